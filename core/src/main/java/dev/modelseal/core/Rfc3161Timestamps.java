package dev.modelseal.core;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Verifies the RFC 3161 timestamps of a Sigstore bundle
 * ({@code verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp}) against
 * the trusted root's timestamp authorities, as sigstore-go does (verify/tsa.go with
 * timestamp-authority's verification): each token's message imprint must be the hash of the bundle
 * signature, its CMS signature must verify with the TSA leaf, and the leaf must chain to an authority
 * that was valid, with all its certificates, at the token's genTime.
 *
 * <p>Stricter than sigstore-go in one way: a timestamp that does not verify fails the whole call
 * instead of being skipped, so a caller never counts an unverified time.
 */
final class Rfc3161Timestamps {
  /** The most timestamps a bundle may carry (sigstore-go's bound). */
  static final int MAX_TIMESTAMPS = 32;
  /** The largest encoded timestamp accepted. */
  static final int MAX_TIMESTAMP_BYTES = 64 * 1024;
  private static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
  private static final String EKU = "2.5.29.37";

  private Rfc3161Timestamps() {}

  /**
   * Verifies every timestamp and returns their genTimes, in order (empty for no timestamps: the
   * caller decides how many it needs). It does not check the signing certificate against those times;
   * the caller must (the conformance case rekor2-timestamp-with-incorrect-time_fail fails only there).
   *
   * @param signedTimestamps the DER timestamps (TimeStampResp or TimeStampToken)
   * @param signature the bytes that were timestamped (the bundle's message signature or DSSE signature)
   * @param root the trusted root whose timestamp authorities are trusted
   * @throws VerificationException TOO_LARGE past the bounds, MALFORMED_SIGNATURE for unparsable or
   *     duplicate tokens, UNSUPPORTED for unknown algorithms, SIGNATURE_INVALID for a bad CMS signature
   *     or signed attribute, UNTRUSTED_KEY when no trusted authority vouches for the signer at genTime,
   *     DIGEST_MISMATCH when a token is not over {@code signature}
   */
  static List<Instant> verify(List<byte[]> signedTimestamps, byte[] signature, TrustedRoot root)
      throws VerificationException {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(root, "root");
    if (signedTimestamps.size() > MAX_TIMESTAMPS) {
      throw new VerificationException(Reason.TOO_LARGE, "bundle has " + signedTimestamps.size()
          + " RFC 3161 timestamps, more than " + MAX_TIMESTAMPS);
    }
    for (int i = 0; i < signedTimestamps.size(); i++) {
      if (signedTimestamps.get(i).length > MAX_TIMESTAMP_BYTES) {
        throw new VerificationException(Reason.TOO_LARGE, "timestamp " + i + " is "
            + signedTimestamps.get(i).length + " bytes, more than " + MAX_TIMESTAMP_BYTES);
      }
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(signedTimestamps.get(i), signedTimestamps.get(j))) {
          throw new VerificationException(Reason.MALFORMED_SIGNATURE,
              "timestamp " + i + " duplicates timestamp " + j);
        }
      }
    }
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < signedTimestamps.size(); i++) {
      times.add(verifyOne("timestamp " + i, signedTimestamps.get(i), signature, root));
    }
    return List.copyOf(times);
  }

  private static Instant verifyOne(String label, byte[] der, byte[] signature, TrustedRoot root)
      throws VerificationException {
    TimestampToken t = TimestampToken.parse(der, label);
    if (!t.contentType.equals(TimestampToken.TST_INFO)) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          label + ": signed attribute content-type is " + t.contentType + ", not id-ct-TSTInfo");
    }
    if (!MessageDigest.isEqual(BundleSignatures.digest(t.digestAlgorithm, t.tstInfo), t.messageDigest)) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          label + ": signed attribute message-digest is not the digest of the TSTInfo");
    }
    X509Certificate signer = signer(t, root, label);
    verifySignature(t, signer, label);
    trust(signer, t.genTime, root, label);
    if (!MessageDigest.isEqual(BundleSignatures.digest(t.imprintAlgorithm, signature), t.imprint)) {
      throw new VerificationException(Reason.DIGEST_MISMATCH,
          label + ": message imprint is not the " + t.imprintAlgorithm + " digest of the bundle signature");
    }
    return t.genTime;
  }

  /** The certificate named by the SignerInfo's sid: an embedded one, else a trusted authority's leaf. */
  private static X509Certificate signer(TimestampToken t, TrustedRoot root, String label)
      throws VerificationException {
    if (!t.certificates.isEmpty()) {
      for (X509Certificate c : t.certificates) {
        if (matchesSid(t, c)) {
          return c;
        }
      }
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          label + ": no embedded certificate matches the SignerInfo's signer id");
    }
    for (Authority a : root.timestampAuthorities()) {
      X509Certificate leaf = leaf(a);
      if (leaf != null && matchesSid(t, leaf)) {
        return leaf;
      }
    }
    throw new VerificationException(Reason.UNTRUSTED_KEY, label
        + ": the token embeds no certificate and its signer is not the leaf of a trusted timestamp authority");
  }

  static boolean matchesSid(TimestampToken t, X509Certificate c) {
    if (t.sidIssuer != null) {
      return t.sidIssuer.equals(c.getIssuerX500Principal()) && t.sidSerial.equals(c.getSerialNumber());
    }
    byte[] ext = c.getExtensionValue("2.5.29.14");
    if (ext == null) {
      return false;
    }
    try {
      byte[] ski = ASN1OctetString.getInstance(
          ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets())).getOctets();
      return MessageDigest.isEqual(ski, t.sidKeyId);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void verifySignature(TimestampToken t, X509Certificate signer, String label)
      throws VerificationException {
    String alg = jdkSignatureAlgorithm(t.signatureAlgorithmOid, t.digestAlgorithm, label);
    boolean ok;
    try {
      Signature s = Signature.getInstance(alg);
      s.initVerify(signer.getPublicKey());
      s.update(t.signedAttributes);
      ok = s.verify(t.signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          label + ": the signature over the signed attributes does not verify with the TSA certificate");
    }
  }

  /** Maps a SignerInfo signature algorithm to the JDK's name; the hash is the SignerInfo's digest. */
  static String jdkSignatureAlgorithm(String oid, String digest, String label) throws VerificationException {
    String h = digest.replace("-", "");
    switch (oid) {
      case "1.2.840.10045.2.1": // id-ecPublicKey
      case "1.2.840.10045.4.3.2": // ecdsa-with-SHA256
      case "1.2.840.10045.4.3.3":
      case "1.2.840.10045.4.3.4":
        return h + "withECDSA";
      case "1.2.840.113549.1.1.1": // rsaEncryption
      case "1.2.840.113549.1.1.11": // sha256WithRSAEncryption
      case "1.2.840.113549.1.1.12":
      case "1.2.840.113549.1.1.13":
        return h + "withRSA";
      case "1.3.101.112":
        return "Ed25519";
      default:
        throw new VerificationException(Reason.UNSUPPORTED,
            label + ": signature algorithm " + oid + " is not supported");
    }
  }

  /**
   * Finds an authority that vouches for {@code signer} at {@code genTime}; throws the failure of the
   * authority the signer belongs to, or UNTRUSTED_KEY when it belongs to none.
   */
  private static void trust(X509Certificate signer, Instant genTime, TrustedRoot root, String label)
      throws VerificationException {
    VerificationException first = null;
    for (Authority a : root.timestampAuthorities()) {
      if (!related(signer, a)) {
        continue;
      }
      try {
        trustedBy(signer, genTime, a, label);
        return;
      } catch (VerificationException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
    throw new VerificationException(Reason.UNTRUSTED_KEY,
        label + ": the TSA certificate is not from a trusted timestamp authority");
  }

  /** The signer belongs to {@code a}: it is its leaf, or (no leaf listed) one of its certs issued it. */
  private static boolean related(X509Certificate signer, Authority a) {
    if (a.chain().isEmpty()) {
      return false;
    }
    X509Certificate leaf = leaf(a);
    if (leaf != null) {
      return leaf.equals(signer);
    }
    for (X509Certificate c : a.chain()) {
      if (c.getSubjectX500Principal().equals(signer.getIssuerX500Principal())) {
        return true;
      }
    }
    return false;
  }

  private static void trustedBy(X509Certificate signer, Instant genTime, Authority a, String label)
      throws VerificationException {
    String who = "timestamp authority " + a.uri();
    if (!a.validAt(genTime)) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, label + ": genTime " + genTime
          + " is outside the trusted root's validity window of " + who + " (" + a.start() + " to "
          + (a.end() == null ? "open" : a.end()) + ")");
    }
    List<X509Certificate> chain = a.chain();
    X509Certificate anchor = chain.get(chain.size() - 1);
    List<X509Certificate> path = new ArrayList<>();
    path.add(signer);
    X509Certificate authorityLeaf = leaf(a);
    List<X509Certificate> intermediates = chain.subList(authorityLeaf == null ? 0 : 1, chain.size() - 1);
    path.addAll(intermediates);
    if (signer.equals(anchor)) {
      path.clear();
    }
    checkEku(signer, label, "TSA certificate", true);
    if (authorityLeaf != null) {
      // timestamp-authority's "EKU chaining": intermediates are for time stamping only, too
      for (X509Certificate c : intermediates) {
        checkEku(c, label, "intermediate certificate " + c.getSubjectX500Principal().getName(), false);
      }
    }
    Date at = Date.from(genTime);
    List<X509Certificate> all = new ArrayList<>(path);
    all.add(anchor);
    for (X509Certificate c : all) {
      if (at.before(c.getNotBefore()) || at.after(c.getNotAfter())) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, label + ": certificate "
            + c.getSubjectX500Principal().getName() + " of " + who + " is not valid at genTime " + genTime
            + " (valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
      }
    }
    if (path.isEmpty()) {
      return;
    }
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      params.setRevocationEnabled(false);
      params.setDate(at);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (GeneralSecurityException e) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, label + ": the TSA certificate does not chain to "
          + who + " at genTime " + genTime + ": " + e.getMessage(), e);
    }
  }

  /** EKU must be exactly timeStamping (and, on the leaf, critical: RFC 3161 section 2.3). */
  private static void checkEku(X509Certificate c, String label, String what, boolean mustBeCritical)
      throws VerificationException {
    List<String> eku;
    try {
      eku = c.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, label + ": " + what + " has a corrupt EKU");
    }
    if (eku == null || eku.size() != 1 || !eku.get(0).equals(TIME_STAMPING)) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          label + ": " + what + " must have the extended key usage timeStamping only");
    }
    Set<String> critical = c.getCriticalExtensionOIDs();
    if (mustBeCritical && (critical == null || !critical.contains(EKU))) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          label + ": " + what + " must mark its extended key usage critical");
    }
  }

  /** The authority's leaf: the first certificate of a chain of two or more when it is not a CA. */
  private static X509Certificate leaf(Authority a) {
    List<X509Certificate> chain = a.chain();
    return chain.size() > 1 && chain.get(0).getBasicConstraints() < 0 ? chain.get(0) : null;
  }
}
