package dev.modelseal.cli;

import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.TrustedRoot;
import java.util.Map;

/**
 * {@code modelseal verify-blob-attestation}: cosign's command for attestations, a Sigstore bundle whose
 * DSSE envelope holds an in-toto statement; the file must be one of the statement's subjects.
 */
final class VerifyBlobAttestationCommand implements Command {
  /** cosign's {@code --type} short names and the predicate type URIs they stand for. */
  static final Map<String, String> PREDICATE_TYPES = Map.ofEntries(
      Map.entry("custom", "https://cosign.sigstore.dev/attestation/v1"),
      Map.entry("slsaprovenance", "https://slsa.dev/provenance/v0.2"),
      Map.entry("slsaprovenance02", "https://slsa.dev/provenance/v0.2"),
      Map.entry("slsaprovenance1", "https://slsa.dev/provenance/v1"),
      Map.entry("link", "https://in-toto.io/Link/v1"),
      Map.entry("spdx", "https://spdx.dev/Document"),
      Map.entry("spdxjson", "https://spdx.dev/Document"),
      Map.entry("cyclonedx", "https://cyclonedx.org/bom"),
      Map.entry("cyclonedxxml", "https://cyclonedx.org/bom"),
      Map.entry("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"),
      Map.entry("openvex", "https://openvex.dev/ns"));

  private static final Flags FLAGS = KeylessOptions.declareIdentity(new Flags("verify-blob-attestation",
      "--bundle BUNDLE (--key PUB | --certificate-identity ID --certificate-oidc-issuer URL) [flags] FILE", """
      Verifies an attestation of FILE: a Sigstore bundle (--bundle) whose DSSE envelope is signed and
      holds an in-toto statement with FILE among its subjects (its SHA-256 digest must match). FILE may
      be "-" (stdin) or sha256:<64 hex digits> when no file of that name exists. With --type, the
      statement's predicate type must also match (cosign does not check it for Sigstore bundles). On
      success prints "Verified OK" on stderr and exits 0.

      With --key: the envelope's signature must verify with that key; log entries and timestamps are
      not checked, and a keyless bundle (one with a certificate) fails.

      """ + KeylessOptions.HELP))
      .string("bundle", null, "BUNDLE", "Sigstore bundle file with a DSSE envelope (required)")
      .string("key", null, "PUB", "PEM public key file")
      .string("trusted-root", null, "FILE",
          "keyless: Sigstore trusted_root.json to verify against (default: the shipped public-good root)")
      .string("type", null, "TYPE", "predicate type the statement must have: a URI or one of cosign's names "
          + "(slsaprovenance|slsaprovenance02|slsaprovenance1|link|spdx|spdxjson|cyclonedx|cyclonedxxml|vuln|"
          + "openvex|custom); default: not checked")
      .bool("check-claims", null, "only true is accepted: the subject digest is always checked")
      .bool("insecure-ignore-tlog", null, "no effect (keyless bundles always have their log entries verified)")
      .bool("private-infrastructure", null, "no effect (verification is always offline)")
      .bool("offline", null, "no effect (verification is always offline)")
      .bool("new-bundle-format", null, "no effect (the bundle format is detected)")
      .bool("insecure-ignore-sct", null, "no effect (keyless certificates always have their SCT verified)")
      .bool("use-signed-timestamps", null, "no effect (timestamps in a keyless bundle are always verified)");

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
    String identityFlag = KeylessOptions.identityFlagGiven(f);
    if (keyArg != null && identityFlag != null) {
      throw new CliException("--key and --" + identityFlag + " cannot be used together");
    }
    if (keyArg == null && identityFlag == null) {
      throw new CliException("--key, or --certificate-identity and --certificate-oidc-issuer (keyless), "
          + "is required");
    }
    String bundleArg = f.required("bundle");
    if (!f.bool("check-claims", true)) {
      throw new CliException("--check-claims=false is not supported: the subject digest is always checked");
    }
    String predicateType = predicateType(f.string("type"));
    IdentityPolicy identity = identityFlag == null ? null : KeylessOptions.policy(f);
    BlobArgument blob = BlobArgument.parse(io, blobArg);
    byte[] json = BundleChecks.read(io, bundleArg);
    BundleShape shape = BundleShape.of(json);
    SignatureMaterial bundle = BundleChecks.parse(bundleArg, json);
    if (!shape.dsse()) {
      throw new CliException("bundle " + bundleArg + " holds a signature, not an attestation (a DSSE "
          + "envelope): verify it with verify-blob");
    }
    if (identity != null) {
      TrustedRoot root = KeylessOptions.trustedRoot(io, f);
      BundleChecks.verifyKeyless(io, blob, root, identity, bundle);
    } else {
      BundleChecks.refuseCertificateWithKey(bundleArg, shape);
      if (f.has("trusted-root")) {
        KeylessOptions.trustedRoot(io, f); // XXX-KV: log entries of a managed-key attestation, when core can
      }
      KeyAttestations.verify(io, blob, keyArg, bundleArg, json);
    }
    if (predicateType != null && !predicateType.equals(shape.predicateType())) {
      throw new CliException("verification failed: invalid predicate type, expected " + predicateType
          + " got " + shape.predicateType());
    }
    io.err.println("Verified OK");
    return 0;
  }

  /** {@code --type}: cosign's short name or a URI; null when not given. */
  static String predicateType(String type) throws CliException {
    if (type == null) {
      return null;
    }
    String uri = PREDICATE_TYPES.get(type);
    if (uri != null) {
      return uri;
    }
    int colon = type.indexOf(':');
    if (colon <= 0 || type.chars().anyMatch(Character::isWhitespace)) {
      throw new CliException("invalid predicate type: " + type);
    }
    return type;
  }
}
