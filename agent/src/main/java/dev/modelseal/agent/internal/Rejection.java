package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.VerificationException;

/** A refused load inside the agent, before the gate turns it into the application's exception. */
final class Rejection extends Exception {
  private static final long serialVersionUID = 1L;

  final RejectReason reason;

  Rejection(RejectReason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  /** Maps a core verification failure to the agent's stable reasons, prefixing the file. */
  static Rejection of(String file, VerificationException e) {
    RejectReason r = switch (e.reason()) {
      case UNSIGNED -> RejectReason.UNSIGNED;
      case UNTRUSTED_KEY -> RejectReason.UNTRUSTED_KEY;
      case DIGEST_MISMATCH -> RejectReason.DIGEST_MISMATCH;
      case MALFORMED_SIGNATURE -> RejectReason.MALFORMED_SIGNATURE;
      case TOO_LARGE -> RejectReason.TOO_LARGE;
      case SIGNATURE_INVALID, UNSUPPORTED -> RejectReason.SIGNATURE_INVALID;
      case MANIFEST_MISMATCH -> RejectReason.MANIFEST_MISMATCH;
      case PATH_REFUSED -> RejectReason.PATH_REFUSED;
    };
    return new Rejection(r, file + ": " + e.getMessage());
  }
}
