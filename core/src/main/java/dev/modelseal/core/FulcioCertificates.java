package dev.modelseal.core;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.VerificationException.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies a keyless bundle's Fulcio signing certificate against a trusted root: the leaf chains to one
 * of the root's certificate authorities (the authority's own chain; certificates the bundle adds after
 * the leaf are ignored, but a self-signed root among them is refused, as the conformance suite requires),
 * the authority is inside its trusted-root window and the whole chain is valid at every signing time,
 * the leaf is an end-entity certificate for code signing, and its embedded SCT verifies with a CT log of
 * the root ({@link SignedCertificateTimestamps}).
 */
final class FulcioCertificates {

  private FulcioCertificates() {}

  /**
   * Verifies {@code bundleCerts} (leaf first) at each of {@code signingTimes} (verified log or
   * timestamp times); returns the leaf.
   *
   * @throws VerificationException {@code MALFORMED_SIGNATURE} for an empty chain or a corrupt
   *     extension; {@code UNTRUSTED_KEY} when no signing time is given, the bundle carries a root
   *     certificate, the leaf is a CA or not for code signing, it chains to no authority of the root,
   *     the authority or a certificate is not valid at a signing time, or no SCT verifies
   */
  static X509Certificate verify(List<X509Certificate> bundleCerts, TrustedRoot root, List<Instant> signingTimes)
      throws VerificationException {
    if (bundleCerts.isEmpty()) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle has no signing certificate");
    }
    if (signingTimes.isEmpty()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "no verified signing time (transparency log or timestamp) to check the signing certificate at");
    }
    X509Certificate leaf = bundleCerts.get(0);
    for (int i = 1; i < bundleCerts.size(); i++) {
      if (isSelfSigned(bundleCerts.get(i))) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, "bundle certificate chain contains a root"
            + " certificate (" + bundleCerts.get(i).getSubjectX500Principal().getName()
            + "): the root must come from the trusted root only");
      }
    }
    requireCodeSigningLeaf(leaf);
    VerificationException firstFailure = null;
    for (Authority ca : root.certificateAuthorities()) {
      if (!chains(leaf, ca, leaf.getNotBefore())) {
        continue;
      }
      try {
        checkAtSigningTimes(leaf, ca, signingTimes);
        SignedCertificateTimestamps.verify(leaf, ca.chain().get(0), root);
        return leaf;
      } catch (VerificationException e) {
        if (firstFailure == null) {
          firstFailure = e;
        }
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
    throw new VerificationException(Reason.UNTRUSTED_KEY, "signing certificate (issuer "
        + leaf.getIssuerX500Principal().getName() + ") does not chain to any certificate authority of the"
        + " trusted root");
  }

  private static void checkAtSigningTimes(X509Certificate leaf, Authority ca, List<Instant> times)
      throws VerificationException {
    for (Instant t : times) {
      if (!ca.validAt(t)) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, "certificate authority " + ca.uri()
            + " is not valid at signing time " + t + " (trusted root window " + ca.start() + " to "
            + (ca.end() == null ? "open" : ca.end()) + ")");
      }
      try {
        leaf.checkValidity(Date.from(t));
      } catch (CertificateException e) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, "signing certificate is not valid at signing"
            + " time " + t + " (valid from " + leaf.getNotBefore().toInstant() + " to "
            + leaf.getNotAfter().toInstant() + ")");
      }
      if (!chains(leaf, ca, Date.from(t))) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, "certificate chain to " + ca.uri()
            + " is not valid at signing time " + t);
      }
    }
  }

  /** True when PKIX validates leaf + the authority's intermediates to its last certificate at {@code at}. */
  static boolean chains(X509Certificate leaf, Authority ca, Date at) {
    List<X509Certificate> chain = ca.chain();
    X509Certificate anchor = chain.get(chain.size() - 1);
    List<X509Certificate> path = new java.util.ArrayList<>();
    path.add(leaf);
    path.addAll(chain.subList(0, chain.size() - 1));
    try {
      CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      params.setRevocationEnabled(false);
      params.setDate(at);
      CertPathValidator.getInstance("PKIX").validate(cp, params);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void requireCodeSigningLeaf(X509Certificate leaf) throws VerificationException {
    if (leaf.getBasicConstraints() != -1) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "signing certificate is a CA certificate, not a Fulcio leaf");
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "signing certificate has a corrupt EKU");
    }
    if (eku == null || !eku.contains(CertificateChains.CODE_SIGNING)) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "signing certificate is not for code signing: it has no EKU codeSigning");
    }
  }

  /** True for a certificate whose subject is its issuer and whose signature verifies with its own key. */
  static boolean isSelfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
