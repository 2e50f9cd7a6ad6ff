package dev.modelseal.cli;

import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.SigningAlgorithm;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Set;

/** {@code modelseal verify-blob}: cosign verify-blob --key, offline, streaming. */
final class VerifyBlobCommand implements Command {
  private static final Flags FLAGS = new Flags("verify-blob",
      "--key PUB (--signature SIG | --bundle BUNDLE) [flags] FILE", """
      Verifies that FILE (or stdin, "-") is exactly what the private key of PUB signed, streaming
      it in one pass. The signature is a detached signature (--signature: a file, or the base64
      text itself, as cosign accepts) or a Sigstore / cosign legacy JSON bundle (--bundle). Only
      the key given with --key is trusted; keys or hints inside a bundle can only make
      verification fail. On success prints "Verified OK" on stderr and exits 0.
      Verification is offline: transparency-log entries and timestamps are never checked, so the
      tlog/timestamp flags below are accepted for cosign compatibility and have no effect.""")
      .string("key", null, "PUB", "PEM public key file (required)")
      .string("signature", null, "SIG", "detached signature: a file (base64 or raw) or the base64 text")
      .string("bundle", null, "BUNDLE", "Sigstore bundle or cosign legacy JSON bundle file")
      .string("signature-digest-algorithm", null, "ALG",
          "sha256 also accepts P-384/P-521 signatures over SHA-256 (cosign <= 2.5); "
              + "sha384/sha512 must match the key")
      .bool("insecure-ignore-tlog", null, "no effect (verification is always offline)")
      .bool("private-infrastructure", null, "no effect (verification is always offline)")
      .bool("offline", null, "no effect (verification is always offline)")
      .bool("new-bundle-format", null, "no effect (the bundle format is detected)")
      .bool("insecure-ignore-sct", null, "no effect (no certificates are used)")
      .bool("use-signed-timestamps", null, "only false is accepted: timestamps are not verified")
      .string("trusted-root", null, "FILE", "no effect (no transparency log or timestamp is verified)");

  @Override
  public String name() {
    return "verify-blob";
  }

  @Override
  public String summary() {
    return "verify a file against a public key and a signature or bundle";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    String blobArg = Command.exactlyOne(f, "FILE");
    String keyArg = f.required("key");
    String sigArg = f.string("signature");
    String bundleArg = f.string("bundle");
    if (sigArg != null && bundleArg != null) {
      throw new CliException("--signature and --bundle cannot be used together");
    }
    if (sigArg == null && bundleArg == null) {
      throw new CliException("--signature or --bundle is required");
    }
    if (f.bool("use-signed-timestamps", false)) {
      throw new CliException("--use-signed-timestamps is not supported: modelseal verifies offline with a key");
    }
    boolean fromStdin = blobArg.equals("-");
    Path blob = fromStdin ? null : Inputs.existingFile(io, blobArg);
    // Start hashing with SHA-256 (what P-256 and RSA keys sign, cosign's usual keys) at once, while the
    // key and signature are read; other keys fall back to one normal pass below.
    EarlySha256 early = blob == null ? null : EarlySha256.start(blob, io);
    PublicKey key = Inputs.readPublicKey(io, keyArg);
    BlobVerifier verifier = verifier(key, keyArg, f.string("signature-digest-algorithm"));
    SignatureMaterial sig = bundleArg != null ? readBundle(io, bundleArg) : readSignature(io, sigArg);
    try {
      if (early != null && Set.of(EarlySha256.ALGORITHM).containsAll(verifier.digestAlgorithms())) {
        verifier.verifyDigests(early.await(blobArg), sig);
      } else if (blob == null) {
        verifier.verify(io.in, -1, sig, ProgressListener.NONE);
      } else {
        early.cancel();
        long size = Files.size(blob);
        try (InputStream in = Files.newInputStream(blob);
            ProgressBar bar = ProgressBar.open(io, "verifying " + blob.getFileName(), size)) {
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

  private static BlobVerifier verifier(PublicKey key, String keyArg, String digest) throws CliException {
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
      return BlobVerifier.builder(key).acceptLegacySha256(legacy).build();
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    }
  }

  private static SignatureMaterial readBundle(CliIo io, String arg) throws CliException {
    byte[] json = Inputs.readBounded(io, arg, SignatureMaterial.MAX_BUNDLE_BYTES);
    try {
      return SignatureMaterial.parseBundle(json);
    } catch (VerificationException e) {
      throw new CliException("invalid bundle " + arg + ": " + e.getMessage(), e);
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
