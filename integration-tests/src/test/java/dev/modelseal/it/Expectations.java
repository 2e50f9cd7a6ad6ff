package dev.modelseal.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The exact {@code rejected:} line LoadModel prints for each refusal (as observed, then pinned down). */
final class Expectations {
  /** How the agent's refusal of an in-memory model that matches no signed file says what would allow it. */
  static final String ALLOW_IN_MEMORY = "; to allow a model loaded from memory (as from a jar),"
      + " keep a signed copy of its bytes under a models= root";

  static final String ALGORITHMS = "[ECDSA_P256_SHA256]";

  private Expectations() {}

  static String rejectedLine(Refusal refusal, ModelCase c, Path model, Path root, Fixtures.Signer trusted,
      Fixtures.Signer other) {
    return Fixtures.REJECTED + refusal.reason + "): " + c.location(model) + ": "
        + detail(refusal, c, model, root, trusted, other);
  }

  /**
   * The rejection detail: for a path, {@code <file name relative to the loaded location>: <why>}; for in-memory
   * content, {@code <signed candidate file>: <why>}, or, with no candidate of the same length, a search summary.
   */
  static String detail(Refusal refusal, ModelCase c, Path model, Path root, Fixtures.Signer trusted,
      Fixtures.Signer other) {
    String shown = c.inMemory() ? c.modelFile(model).toString() : c.shownName();
    return switch (refusal) {
      case TAMPERED, WRONG_KEY_SIG, OTHER_MODELS_SIGNATURE -> shown + ": signature does not verify with key "
          + trusted.keyId() + " (tried " + ALGORITHMS + ")";
      case WRONG_KEY_BUNDLE -> shown + ": signed by key " + other.keyId() + ", which is not trusted";
      case UNSIGNED -> c.inMemory()
          ? "no signed model of " + c.modelBytes().length + " bytes under [" + real(root) + "] matches "
              + c.location(model) + ALLOW_IN_MEMORY
          : shown + ": not signed (no " + shown + ".sigstore.json or " + shown + ".sig)";
      case MALFORMED_NOT_BASE64 -> shown + ": signature is not valid base64";
      case MALFORMED_BUNDLE -> shown + ": bundle is not valid JSON: unexpected end of JSON at offset 14";
      case TRUNCATED_DER -> shown + ": ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign"
          + " rejects)";
      case UNSIGNED_EXTRA_JAR -> "libs/extra.jar: not signed (no libs/extra.jar.sigstore.json or libs/extra.jar.sig)";
    };
  }

  static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
