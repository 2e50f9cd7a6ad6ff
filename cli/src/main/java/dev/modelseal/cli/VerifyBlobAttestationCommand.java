package dev.modelseal.cli;

import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.SignatureMaterial;
import java.security.PublicKey;

/**
 * {@code modelseal verify-blob-attestation}: cosign's command for attestations, a Sigstore bundle whose
 * DSSE envelope holds an in-toto statement; the file must be one of the statement's subjects.
 */
final class VerifyBlobAttestationCommand implements Command {
  private static final Flags FLAGS = KeylessOptions.declareNoEffectVerifyFlags(
      KeylessOptions.declareIdentity(new Flags("verify-blob-attestation",
      "--bundle BUNDLE (--key PUB | --certificate-identity ID --certificate-oidc-issuer URL) [flags] FILE", """
      Verifies an attestation of FILE: a Sigstore bundle (--bundle) whose DSSE envelope is signed and
      holds an in-toto statement with FILE among its subjects (its SHA-256 digest must match). FILE may
      be "-" (stdin) or sha256:<64 hex digits> when no file of that name exists. With --type, the
      statement's predicate type must also match (cosign does not check it for Sigstore bundles). On
      success prints "Verified OK" on stderr and exits 0.

      With --key: the envelope's signature must verify with that key, and a keyless bundle (one with
      a certificate) fails; log entries and timestamps are only checked with --trusted-root.

      """ + KeylessOptions.HELP))
      .string("bundle", null, "BUNDLE", "Sigstore bundle file with a DSSE envelope (required)")
      .string("key", null, "PUB", "PEM public key file")
      .string("trusted-root", null, "FILE", "Sigstore trusted_root.json to verify against (keyless default: the "
          + "shipped public-good root; --key: also verify the bundle's log entries)")
      .string("type", null, "TYPE", "predicate type the statement must have: a URI or one of cosign's names "
          + "(slsaprovenance|slsaprovenance02|slsaprovenance1|link|spdx|spdxjson|cyclonedx|cyclonedxxml|vuln|"
          + "openvex|custom); default: not checked")
      .bool("check-claims", null, "only true is accepted: the subject digest is always checked"))
      .bool("use-signed-timestamps", null,
          "no effect (timestamps in a bundle are verified whenever a trusted root is used)");

  @Override
  public String name() {
    return "verify-blob-attestation";
  }

  @Override
  public String summary() {
    return "verify an attestation (DSSE bundle) whose in-toto subject is the file";
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
    String bundleArg = f.required("bundle");
    if (!f.bool("check-claims", true)) {
      throw new CliException("--check-claims=false is not supported: the subject digest is always checked");
    }
    String predicateType = PredicateTypes.resolve(f.string("type"));
    IdentityPolicy identity = identityFlag == null ? null : KeylessOptions.policy(f);
    BlobArgument blob = BlobArgument.parse(io, blobArg);
    byte[] json = BundleChecks.read(io, bundleArg);
    SignatureMaterial bundle = BundleChecks.parse(bundleArg, json);
    BundleChecks.requireAttestation(bundleArg, bundle);
    boolean withRoot = f.has(KeylessOptions.TRUSTED_ROOT);
    if (identity != null) {
      BundleChecks.verifyKeyless(io, blob, KeylessOptions.trustedRoot(io, f), identity, bundle);
    } else {
      PublicKey key = Inputs.readPublicKey(io, keyArg);
      BlobVerifier verifier;
      try {
        verifier = BlobVerifier.builder(key).trustedRoot(withRoot ? KeylessOptions.trustedRoot(io, f) : null)
            .build();
      } catch (KeyFormatException e) {
        throw Inputs.keyError(keyArg, e);
      }
      BundleChecks.verifyWithKey(io, blob, verifier, bundle);
    }
    String declared = PredicateTypes.of(json);
    if (predicateType != null && !predicateType.equals(declared)) {
      throw new CliException("verification failed: invalid predicate type, expected " + predicateType
          + " got " + declared);
    }
    io.err.println("Verified OK");
    return 0;
  }
}
