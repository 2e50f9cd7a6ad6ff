package dev.modelseal.core;

import java.time.Instant;
import java.util.List;

/** STUB (kl-tsa writes the real one). */
final class Rfc3161Timestamps {
  private Rfc3161Timestamps() {}

  static List<Instant> verify(List<byte[]> signedTimestamps, byte[] signature, TrustedRoot root)
      throws VerificationException {
    throw new UnsupportedOperationException("Rfc3161Timestamps: being written");
  }
}
