package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The checks {@link BlobVerifier} runs on a Sigstore bundle beyond a message signature with the caller's
 * key: a DSSE envelope (signature over PAE, in-toto subject naming the artifact) and, when the caller gave
 * a trusted root, the bundle's transparency-log entries and RFC 3161 timestamps (a managed-key bundle,
 * as sigstore-go verifies it with a key and a trusted root).
 */
final class KeyBundleChecks {
  private KeyBundleChecks() {}

  /**
   * A DSSE bundle: one envelope signature verifies with the key over PAE, the statement names the
   * artifact, and with a trusted root the log records this envelope.
   */
  static void verifyDsse(PublicKey key, TrustedRoot trustedRoot, SignatureMaterial signature,
      Map<String, byte[]> digests) throws VerificationException {
    SigstoreBundle b = signature.bundle();
    byte[] verified = null;
    for (LoggedContent.Signature s : b.envelope().signatures()) {
      if (BundleSignatures.verifyDsse(key, b.envelope(), s.sig(), "the key")) {
        verified = s.sig();
        break;
      }
    }
    if (verified == null) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          "DSSE signature does not verify with key " + KeyId.hex(key));
    }
    BundleSignatures.requireSubject(b.envelope(), digests);
    if (trustedRoot != null) {
      checkLog(trustedRoot, b, new LoggedContent(verified, null, null, b.envelope(), key.getEncoded(), false));
    }
  }

  /**
   * With a trusted root (else nothing): the bundle's log entries (and timestamps) must record this
   * message signature, made with scheme {@code a} over the artifact whose digests are {@code digests}.
   */
  static void checkLog(PublicKey key, TrustedRoot trustedRoot, SignatureMaterial signature, SigningAlgorithm a,
      Map<String, byte[]> digests) throws VerificationException {
    if (trustedRoot == null) {
      return;
    }
    if (signature.bundle() == null) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "a trusted root was given, but "
          + (signature.format() == SignatureMaterial.Format.DETACHED ? "a detached signature" : "a legacy bundle")
          + " carries no transparency-log entry ModelSeal can check");
    }
    String name = a.bundleDigestName() == null ? "SHA2_256" : a.bundleDigestName();
    byte[] digest = digests.get(BundleSignatures.jcaDigest(name));
    if (digest == null) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "the transparency-log entry records the artifact's " + name + " digest, which was not given");
    }
    checkLog(trustedRoot, signature.bundle(),
        new LoggedContent(signature.signature(), name, digest, null, key.getEncoded(), false));
  }

  private static void checkLog(TrustedRoot trustedRoot, SigstoreBundle b, LoggedContent content)
      throws VerificationException {
    List<Instant> times = b.signedTimestamps().isEmpty() ? List.of()
        : Rfc3161Timestamps.verify(b.signedTimestamps(), content.signature(), trustedRoot);
    if (b.tlogEntries().isEmpty()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "the bundle has no transparency-log entry to check against the trusted root");
    }
    TransparencyLogEntries.verify(b.tlogEntries(), content, trustedRoot, b.minorVersion(), times);
  }
}
