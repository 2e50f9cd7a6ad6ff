package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a bundle's certificate chain to caller-given trust anchors with the JDK's PKIX validator,
 * revocation off, at the leaf's notBefore (the reference's rule, so expired chains still verify), and
 * checks that the leaf may sign: KeyUsage digitalSignature or EKU codeSigning, and an EC key.
 */
final class CertificateChains {
  static final int MAX_CERTIFICATES = 10;
  static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private CertificateChains() {}

  static X509Certificate parse(byte[] der) throws VerificationException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle certificate is not DER X.509");
    }
  }

  /** The certificates of a bundle's {@code verificationMaterial.x509CertificateChain}, leaf first. */
  static List<X509Certificate> fromBundle(Map<String, Object> vm) throws VerificationException {
    Map<String, Object> x = BundleFields.object(vm.get("x509CertificateChain"), "x509CertificateChain");
    List<Object> certs = BundleFields.list(x, "certificates", "x509CertificateChain");
    if (certs.isEmpty() || certs.size() > MAX_CERTIFICATES) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "x509CertificateChain must hold 1 to "
          + MAX_CERTIFICATES + " certificates, found " + certs.size());
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Object c : certs) {
      out.add(parse(BundleFields.base64(BundleFields.object(c, "certificate"), "rawBytes",
          "certificate")));
    }
    return out;
  }

  /** Validates {@code chain} (leaf first) to {@code anchors}; returns the leaf. */
  static X509Certificate validate(List<X509Certificate> chain, List<X509Certificate> anchors)
      throws VerificationException {
    if (chain.isEmpty()) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle certificate chain is empty");
    }
    X509Certificate leaf = chain.get(0);
    if (!(leaf.getPublicKey() instanceof ECPublicKey ec)) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "model signing supports ECDSA P-256, P-384 and P-521 keys only; the signing certificate has a "
              + leaf.getPublicKey().getAlgorithm() + " key");
    }
    try {
      EcCurve.of(ec);
    } catch (KeyFormatException e) {
      throw new VerificationException(Reason.UNSUPPORTED, "signing certificate key: " + e.getMessage());
    }
    boolean[] ku = leaf.getKeyUsage();
    boolean digitalSignature = ku != null && ku.length > 0 && ku[0];
    boolean codeSigning = false;
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      codeSigning = eku != null && eku.contains(CODE_SIGNING);
    } catch (java.security.cert.CertificateParsingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "signing certificate has a corrupt EKU");
    }
    if (!digitalSignature && !codeSigning) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "signing certificate is not for signing: it has neither KeyUsage digitalSignature nor EKU codeSigning");
    }
    Set<TrustAnchor> trust = new HashSet<>();
    for (X509Certificate a : anchors) {
      trust.add(new TrustAnchor(a, null));
    }
    List<X509Certificate> path = new ArrayList<>();
    for (X509Certificate c : chain) {
      if (anchors.contains(c)) {
        break; // the validator wants the path without its anchor
      }
      path.add(c);
    }
    if (path.isEmpty()) {
      path.add(leaf);
    }
    try {
      CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(trust);
      params.setRevocationEnabled(false);
      params.setDate(leaf.getNotBefore());
      CertPathValidator.getInstance("PKIX").validate(cp, params);
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "certificate chain does not lead to a trusted anchor: " + e.getMessage(), e);
    }
    return leaf;
  }
}
