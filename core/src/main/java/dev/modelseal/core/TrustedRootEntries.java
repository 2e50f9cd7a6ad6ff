package dev.modelseal.core;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.TrustedRoot.LogKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the entries of a trusted root: authorities (certificate chain and validity window) and log
 * keys (key, key type, log id, validity window). Malformed entries are {@code MALFORMED_SIGNATURE};
 * well-formed log keys of a type ModelSeal cannot use get a null key (never valid).
 */
final class TrustedRootEntries {
  /** The most entries a trusted root array may hold. */
  static final int MAX_ENTRIES = 64;

  private TrustedRootEntries() {}

  static Authority authority(Object o, String where) throws VerificationException {
    Map<String, Object> m = BundleFields.object(o, where);
    String uri = optionalString(m, "uri", where);
    Map<String, Object> chain = BundleFields.object(m.get("certChain"), where + ".certChain");
    List<Object> certs = BundleFields.list(chain, "certificates", where + ".certChain");
    if (certs.isEmpty() || certs.size() > CertificateChains.MAX_CERTIFICATES) {
      throw TrustedRoot.malformed(where + ".certChain must hold 1 to " + CertificateChains.MAX_CERTIFICATES
          + " certificates, found " + certs.size());
    }
    List<X509Certificate> parsed = new ArrayList<>();
    for (Object c : certs) {
      String at = where + ".certChain.certificates[" + parsed.size() + "]";
      byte[] der = BundleFields.base64(BundleFields.object(c, at), "rawBytes", at);
      try {
        parsed.add(CertificateChains.parse(der));
      } catch (VerificationException e) {
        throw TrustedRoot.malformed(at + " is not DER X.509");
      }
    }
    Instant[] window = validFor(m.get("validFor"), where + ".validFor");
    return new Authority(uri, parsed, window[0], window[1]);
  }

  static LogKey logKey(Object o, String where) throws VerificationException {
    Map<String, Object> m = BundleFields.object(o, where);
    String baseUrl = optionalString(m, "baseUrl", where);
    String hashAlgorithm = optionalString(m, "hashAlgorithm", where);
    Map<String, Object> logId = BundleFields.object(m.get("logId"), where + ".logId");
    byte[] id = BundleFields.base64(logId, "keyId", where + ".logId");
    Map<String, Object> pk = BundleFields.object(m.get("publicKey"), where + ".publicKey");
    Instant[] window = validFor(pk.get("validFor"), where + ".publicKey.validFor");
    String details = optionalString(pk, "keyDetails", where + ".publicKey");
    PublicKey key = null;
    if (pk.get("rawBytes") != null && "SHA2_256".equals(hashAlgorithm)) {
      key = usableKey(BundleFields.base64(pk, "rawBytes", where + ".publicKey"), details);
    }
    return new LogKey(baseUrl, id, key, window[0], window[1]);
  }

  /**
   * The key when ModelSeal supports {@code details} and the key is of that type; null otherwise (the
   * entry is then never valid).
   */
  static PublicKey usableKey(byte[] raw, String details) {
    if (details == null) {
      return null;
    }
    try {
      if (details.equals("PKCS1_RSA_PKCS1V5")) {
        org.bouncycastle.asn1.pkcs.RSAPublicKey rsa = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(raw);
        return KeyFactory.getInstance("RSA").generatePublic(
            new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      PublicKey key = SupportedKeys.publicKeyFromSpki(raw);
      return matches(key, details) ? key : null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static boolean matches(PublicKey key, String details) throws KeyFormatException {
    return switch (details) {
      case "PKIX_ECDSA_P256_SHA_256" -> key instanceof ECKey ec && EcCurve.of(ec) == EcCurve.P256;
      case "PKIX_ECDSA_P384_SHA_384" -> key instanceof ECKey ec && EcCurve.of(ec) == EcCurve.P384;
      case "PKIX_ECDSA_P521_SHA_512" -> key instanceof ECKey ec && EcCurve.of(ec) == EcCurve.P521;
      case "PKIX_ED25519" -> key instanceof EdECKey;
      case "PKIX_RSA_PKCS1V15_2048_SHA256", "PKIX_RSA_PKCS1V5" ->
          key instanceof RSAKey rsa && (details.equals("PKIX_RSA_PKCS1V5") || rsa.getModulus().bitLength() == 2048);
      case "PKIX_RSA_PKCS1V15_3072_SHA256" -> key instanceof RSAKey rsa && rsa.getModulus().bitLength() == 3072;
      case "PKIX_RSA_PKCS1V15_4096_SHA256" -> key instanceof RSAKey rsa && rsa.getModulus().bitLength() == 4096;
      default -> false;
    };
  }

  /** {start, end} of a {@code validFor}; either may be null (an absent start is never valid). */
  private static Instant[] validFor(Object v, String where) throws VerificationException {
    if (v == null || v == Json.NULL) {
      return new Instant[2];
    }
    Map<String, Object> m = BundleFields.object(v, where);
    return new Instant[] {time(m, "start", where), time(m, "end", where)};
  }

  private static Instant time(Map<String, Object> m, String name, String where) throws VerificationException {
    String s = optionalString(m, name, where);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw TrustedRoot.malformed(where + "." + name + " is not an RFC 3339 time: " + s);
    }
  }

  private static String optionalString(Map<String, Object> m, String name, String where)
      throws VerificationException {
    Object v = m.get(name);
    if (v == null || v == Json.NULL) {
      return null;
    }
    return BundleFields.string(m, name, where);
  }
}
