package dev.modelseal.core;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** Temporary compile stub in kl-cli until kl-kv merges kl-root. */
final class FulcioCertificates {
  private FulcioCertificates() {}

  static X509Certificate verify(List<X509Certificate> certs, TrustedRoot root, List<Instant> signingTimes)
      throws VerificationException {
    throw new UnsupportedOperationException("FulcioCertificates: being written");
  }
}
