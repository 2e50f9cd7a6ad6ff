package dev.modelseal.core;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The three verifications of other classes the orchestration calls, as one seam so that tests of the
 * orchestration can replace them; {@link #REAL} calls {@link Rfc3161Timestamps},
 * {@link TransparencyLogEntries} and {@link FulcioCertificates}.
 */
interface KeylessSteps {
  /** Verified RFC 3161 genTimes over {@code signature}. */
  List<Instant> timestamps(List<byte[]> signedTimestamps, byte[] signature, TrustedRoot root)
      throws VerificationException;

  /** Verified integrated times of the log entries, which must record {@code content}. */
  List<Instant> logEntries(List<Object> entries, LoggedContent content, TrustedRoot root, int minorVersion,
      List<Instant> timestampTimes) throws VerificationException;

  /** The verified leaf: chain, CA window, validity at every time, EKU, SCT. */
  X509Certificate certificates(List<X509Certificate> certs, TrustedRoot root, List<Instant> signingTimes)
      throws VerificationException;

  KeylessSteps REAL = new KeylessSteps() {
    @Override
    public List<Instant> timestamps(List<byte[]> signedTimestamps, byte[] signature, TrustedRoot root)
        throws VerificationException {
      return Rfc3161Timestamps.verify(signedTimestamps, signature, root);
    }

    @Override
    public List<Instant> logEntries(List<Object> entries, LoggedContent content, TrustedRoot root,
        int minorVersion, List<Instant> timestampTimes) throws VerificationException {
      return TransparencyLogEntries.verify(entries, content, root, minorVersion, timestampTimes);
    }

    @Override
    public X509Certificate certificates(List<X509Certificate> certs, TrustedRoot root,
        List<Instant> signingTimes) throws VerificationException {
      return FulcioCertificates.verify(certs, root, signingTimes);
    }
  };
}
