package dev.modelseal.core;

import java.time.Instant;
import java.util.List;

/** Temporary compile stub in kl-cli until kl-kv merges kl-tsa. */
final class Rfc3161Timestamps {
  private Rfc3161Timestamps() {}

  static List<Instant> verify(List<byte[]> signedTimestamps, byte[] signature, TrustedRoot root)
      throws VerificationException {
    throw new UnsupportedOperationException("Rfc3161Timestamps: being written");
  }
}
