package dev.modelseal.core;

import java.time.Instant;
import java.util.List;

/** Temporary compile stub in kl-cli until kl-kv merges kl-tlog. */
final class TransparencyLogEntries {
  private TransparencyLogEntries() {}

  static List<Instant> verify(List<Object> entries, LoggedContent content, TrustedRoot root, int minorVersion,
      List<Instant> timestampTimes) throws VerificationException {
    throw new UnsupportedOperationException("TransparencyLogEntries: being written");
  }
}
