package dev.modelseal.cli;

import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.SigningAlgorithm;
import dev.modelseal.core.TrustedRoot;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.Set;

/** {@code modelseal verify-blob}: cosign verify-blob with --key or keyless, offline, streaming. */
final class VerifyBlobCommand implements Command {
  private static final Flags FLAGS = KeylessOptions.declareNoEffectVerifyFlags(
      KeylessOptions.declareIdentity(new Flags("verify-blob",
      "(--key PUB (--signature SIG | --bundle BUNDLE) | --bundle BUNDLE --certificate-identity ID "
          + "--certificate-oidc-issuer URL) [flags] FILE", """
      Verifies that FILE (or stdin, "-") is exactly what was signed, streaming it in one pass. FILE
      may also be sha256:<64 hex digits>, when no file of that name exists: then that digest of the
      file is checked instead. On success prints "Verified OK" on stderr and exits 0.

      With --key: the signature is a detached signature (--signature: a file, or the base64 text
      itself, as cosign accepts) or a Sigstore / cosign legacy JSON bundle (--bundle), and only the
      key given is trusted; keys or hints inside a bundle can only make verification fail, and a
      keyless bundle (one with a certificate) fails. Transparency-log entries and timestamps are
      only checked with --trusted-root: then the Sigstore bundle's log entries (and any RFC 3161
      timestamps) must verify against that root, and a detached signature or legacy bundle fails.

      """ + KeylessOptions.HELP + "\n\n" + """
      Attestations (DSSE envelopes) are verified with verify-blob-attestation."""))
      .string("key", null, "PUB", "PEM public key file")
      .string("signature", null, "SIG",
          "detached signature (--key only): a file (base64 or raw) or the base64 text")
      .string("bundle", null, "BUNDLE", "Sigstore bundle or cosign legacy JSON bundle file")
      .string("trusted-root", null, "FILE", "Sigstore trusted_root.json to verify against (keyless default: the "
          + "shipped public-good root; --key: also verify the bundle's log entries)")
      .string("signature-digest-algorithm", null, "ALG",
          "sha256 also accepts P-384/P-521 signatures over SHA-256 (cosign <= 2.5); "
              + "sha384/sha512 must match the key"))
      .bool("use-signed-timestamps", null,
          "no effect (a bundle's timestamps are verified whenever a trusted root is used); --key: needs "
              + "--trusted-root");

  @Override
  public String name() {
    return "verify-blob";
  }

  @Override
  public String summary() {
    return "verify a file against a public key or a keyless signer identity";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    String blobArg = Command.exactlyOne(f, "FILE");
    String keyArg = f.string("key");
    String identityFlag = KeylessOptions.keyOrIdentity(f);
    String sigArg = f.string("signature");
    String bundleArg = f.string("bundle");
    if (sigArg != null && bundleArg != null) {
      throw new CliException("--signature and --bundle cannot be used together");
    }
    if (identityFlag != null) {
      return keyless(f, io, blobArg, sigArg, bundleArg);
    }
    if (sigArg == null && bundleArg == null) {
      throw new CliException("--signature or --bundle is required");
    }
    boolean withRoot = f.has(KeylessOptions.TRUSTED_ROOT);
    if (f.bool("use-signed-timestamps", false) && !withRoot) {
      throw new CliException("--use-signed-timestamps needs --trusted-root with --key: timestamps are verified "
          + "against a trusted root");
    }
    BlobArgument blob = BlobArgument.parse(io, blobArg);
    // Start hashing with SHA-256 (what P-256 and RSA keys sign, cosign's usual keys) at once, while the
    // key and signature are read; other keys fall back to one normal pass below.
    EarlySha256 early = blob.file() == null ? null : EarlySha256.start(blob.file(), io);
    PublicKey key = Inputs.readPublicKey(io, keyArg);
    BlobVerifier verifier = verifier(key, keyArg, f.string("signature-digest-algorithm"),
        withRoot ? KeylessOptions.trustedRoot(io, f) : null);
    SignatureMaterial sig;
    if (bundleArg != null) {
      sig = BundleChecks.parse(bundleArg, BundleChecks.read(io, bundleArg));
      BundleChecks.refuseAttestation(bundleArg, sig);
    } else {
      sig = readSignature(io, sigArg);
    }
    try {
      if (blob.isDigest()) {
        blob.requireSha256Usable(bundleArg, sig.digestName());
        verifier.verifyDigests(Map.of(EarlySha256.ALGORITHM, blob.sha256()), sig);
      } else if (early != null && Set.of(EarlySha256.ALGORITHM).containsAll(verifier.digestAlgorithms())) {
        verifier.verifyDigests(early.await(blobArg), sig);
      } else if (blob.isStdin()) {
        verifier.verify(io.in, -1, sig, ProgressListener.NONE);
      } else {
        early.cancel();
        long size = Files.size(blob.file());
        try (InputStream in = Files.newInputStream(blob.file());
            ProgressBar bar = ProgressBar.open(io, "verifying " + blob.file().getFileName(), size)) {
          verifier.verify(in, size, sig, bar);
        }
      }
    } catch (IOException e) {
      throw Inputs.readError(blobArg, e);
    } catch (VerificationException e) {
      throw new CliException("verification failed: " + e.getMessage(), e);
    }
    io.err.println("Verified OK");
    return 0;
  }

  private static int keyless(Flags.Parsed f, CliIo io, String blobArg, String sigArg, String bundleArg)
      throws CliException {
    if (sigArg != null) {
      throw new CliException("--signature cannot be used keyless: pass the Sigstore bundle with --bundle");
    }
    if (bundleArg == null) {
      throw new CliException("--bundle is required for keyless verification");
    }
    if (f.has("signature-digest-algorithm")) {
      throw new CliException("--signature-digest-algorithm is only used with --key");
    }
    IdentityPolicy identity = KeylessOptions.policy(f);
    BlobArgument blob = BlobArgument.parse(io, blobArg);
    SignatureMaterial bundle = BundleChecks.parse(bundleArg, BundleChecks.read(io, bundleArg));
    BundleChecks.refuseAttestation(bundleArg, bundle);
    blob.requireSha256Usable(bundleArg, bundle.digestName());
    TrustedRoot root = KeylessOptions.trustedRoot(io, f);
    BundleChecks.verifyKeyless(io, blob, root, identity, bundle);
    io.err.println("Verified OK");
    return 0;
  }

  private static BlobVerifier verifier(PublicKey key, String keyArg, String digest, TrustedRoot root)
      throws CliException {
    try {
      SigningAlgorithm def = SigningAlgorithm.defaultFor(key);
      boolean legacy = false;
      if (digest != null) {
        switch (digest) {
          case "sha256" -> legacy = def == SigningAlgorithm.ECDSA_P384_SHA384
              || def == SigningAlgorithm.ECDSA_P521_SHA512;
          case "sha384", "sha512" -> {
            String wanted = digest.equals("sha384") ? "SHA-384" : "SHA-512";
            if (!wanted.equals(def.digestAlgorithm())) {
              throw new CliException("--signature-digest-algorithm " + digest + " does not match the key "
                  + keyArg + ", which signs " + (def.digestAlgorithm() == null ? "the message itself (Ed25519)"
                  : "with " + def.digestAlgorithm()));
            }
          }
          default -> throw new CliException("invalid --signature-digest-algorithm \"" + digest
              + "\" (expected sha256, sha384 or sha512)");
        }
      }
      return BlobVerifier.builder(key).acceptLegacySha256(legacy).trustedRoot(root).build();
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    }
  }

  /** cosign: SIG is a file if one exists, otherwise the signature text itself. */
  private static SignatureMaterial readSignature(CliIo io, String arg) throws CliException {
    Path p = io.resolve(arg);
    boolean isFile = !arg.isEmpty() && Files.exists(p);
    byte[] content = isFile ? Inputs.readBounded(io, arg, SignatureMaterial.MAX_SIGNATURE_BYTES)
        : arg.getBytes(StandardCharsets.UTF_8);
    try {
      return SignatureMaterial.parseDetached(content);
    } catch (VerificationException e) {
      if (!isFile && e.reason() == VerificationException.Reason.MALFORMED_SIGNATURE) {
        throw new CliException("cannot read signature " + arg
            + ": no such file, and not a base64 signature either", e);
      }
      throw new CliException("invalid signature " + (isFile ? arg : "given on the command line")
          + ": " + e.getMessage(), e);
    }
  }
}
