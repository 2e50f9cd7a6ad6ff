package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks that a transparency log entry's body (Rekor's canonicalized entry) records exactly the bundle's
 * content: kinds hashedrekord 0.0.1 and 0.0.2 (Rekor v2; DSSE there is logged over its PAE), dsse 0.0.1
 * and intoto 0.0.2. The older dsse 0.0.2 form is refused: Rekor v2 logs DSSE as hashedrekord 0.0.2.
 */
final class LogEntryBody {
  private LogEntryBody() {}

  static void verify(String where, byte[] body, String kind, String version, LoggedContent content)
      throws VerificationException {
    Map<String, Object> root;
    try {
      root = BundleFields.object(Json.parse(new String(body, StandardCharsets.UTF_8)), where + " body");
    } catch (Json.ParseException e) {
      throw TransparencyLogEntries.malformed(where + " body is not JSON: " + e.getMessage());
    }
    String w = where + " body";
    if (!kind.equals(BundleFields.string(root, "kind", w))
        || !version.equals(BundleFields.string(root, "apiVersion", w))) {
      throw TransparencyLogEntries.malformed(where + ": body kind " + root.get("kind") + " " + root.get("apiVersion")
          + " differs from the entry's kindVersion " + kind + " " + version);
    }
    Map<String, Object> spec = BundleFields.object(root.get("spec"), w + " spec");
    String kv = kind + " " + version;
    switch (kv) {
      case "hashedrekord 0.0.1" -> hashedRekordV1(where, spec, content);
      case "hashedrekord 0.0.2" -> hashedRekordV2(where, BundleFields.object(spec.get("hashedRekordV002"),
          w + " spec.hashedRekordV002"), content);
      case "dsse 0.0.1" -> dsseV1(where, spec, content);
      case "intoto 0.0.2" -> intotoV2(where, BundleFields.object(spec.get("content"), w + " spec.content"), content);
      case "dsse 0.0.2" -> throw new VerificationException(Reason.UNSUPPORTED, where
          + ": kind dsse 0.0.2 is not accepted; Rekor v2 records DSSE envelopes as hashedrekord 0.0.2");
      default -> throw new VerificationException(Reason.UNSUPPORTED, where + ": unsupported entry kind " + kv);
    }
  }

  private static void hashedRekordV1(String where, Map<String, Object> spec, LoggedContent c)
      throws VerificationException {
    requireMessage(where, "hashedrekord 0.0.1", c);
    String w = where + " body spec";
    Map<String, Object> sig = BundleFields.object(spec.get("signature"), w + ".signature");
    checkSignature(where, BundleFields.base64(sig, "content", w + ".signature"), c);
    Map<String, Object> key = BundleFields.object(sig.get("publicKey"), w + ".signature.publicKey");
    checkMaterial(where, pemDer(where, BundleFields.base64(key, "content", w + ".signature.publicKey")), c);
    Map<String, Object> hash = BundleFields.object(BundleFields.object(spec.get("data"), w + ".data").get("hash"),
        w + ".data.hash");
    String alg = BundleFields.string(hash, "algorithm", w + ".data.hash");
    checkDigest(where, alg, hexValue(where, hash, w + ".data.hash"), bundleName(alg), c);
  }

  private static void hashedRekordV2(String where, Map<String, Object> spec, LoggedContent c)
      throws VerificationException {
    String w = where + " body spec.hashedRekordV002";
    Map<String, Object> sig = BundleFields.object(spec.get("signature"), w + ".signature");
    checkSignature(where, BundleFields.base64(sig, "content", w + ".signature"), c);
    Map<String, Object> verifier = BundleFields.object(sig.get("verifier"), w + ".signature.verifier");
    String form = c.certificate() ? "x509Certificate" : "publicKey";
    if (!(verifier.get(form) instanceof Map<?, ?>)) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, where + ": logged verifier is not a "
          + (c.certificate() ? "certificate" : "public key") + " as in the bundle");
    }
    checkMaterial(where, BundleFields.base64(BundleFields.object(verifier.get(form), w + ".verifier." + form),
        "rawBytes", w + ".verifier." + form), c);
    Map<String, Object> data = BundleFields.object(spec.get("data"), w + ".data");
    String alg = BundleFields.string(data, "algorithm", w + ".data");
    byte[] digest = BundleFields.base64(data, "digest", w + ".data");
    if (c.dsse() == null) {
      checkDigest(where, alg, digest, alg, c);
      return;
    }
    String jca = BundleSignatures.jcaDigest(alg);
    if (jca == null) {
      throw new VerificationException(Reason.UNSUPPORTED, where + ": unsupported logged digest algorithm " + alg);
    }
    byte[] pae = Dsse.pae(c.dsse().payloadType(), c.dsse().payload());
    if (!MessageDigest.isEqual(BundleSignatures.digest(jca, pae), digest)) {
      throw new VerificationException(Reason.DIGEST_MISMATCH,
          where + ": logged digest is not the digest of the DSSE envelope's PAE");
    }
  }

  private static void dsseV1(String where, Map<String, Object> spec, LoggedContent c) throws VerificationException {
    requireDsse(where, "dsse 0.0.1", c);
    String w = where + " body spec";
    checkPayloadHash(where, BundleFields.object(spec.get("payloadHash"), w + ".payloadHash"), w + ".payloadHash", c);
    Map<String, Object> s = singleSignature(where, BundleFields.list(spec, "signatures", w));
    checkSignature(where, BundleFields.base64(s, "signature", w + ".signatures[0]"), c);
    checkMaterial(where, pemDer(where, BundleFields.base64(s, "verifier", w + ".signatures[0]")), c);
  }

  private static void intotoV2(String where, Map<String, Object> content, LoggedContent c)
      throws VerificationException {
    requireDsse(where, "intoto 0.0.2", c);
    String w = where + " body spec.content";
    checkPayloadHash(where, BundleFields.object(content.get("payloadHash"), w + ".payloadHash"),
        w + ".payloadHash", c);
    Map<String, Object> env = BundleFields.object(content.get("envelope"), w + ".envelope");
    if (env.get("payloadType") != null
        && !c.dsse().payloadType().equals(BundleFields.string(env, "payloadType", w + ".envelope"))) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          where + ": logged payload type differs from the DSSE envelope's");
    }
    Map<String, Object> s = singleSignature(where, BundleFields.list(env, "signatures", w + ".envelope"));
    checkSignature(where, doubleBase64(s, "sig", w + ".envelope.signatures[0]"), c);
    checkMaterial(where, pemDer(where, BundleFields.base64(s, "publicKey", w + ".envelope.signatures[0]")), c);
  }

  private static void requireMessage(String where, String kind, LoggedContent c) throws VerificationException {
    if (c.dsse() != null || c.artifactDigest() == null || c.digestAlgorithm() == null) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          where + ": a " + kind + " entry cannot record a DSSE envelope");
    }
  }

  private static void requireDsse(String where, String kind, LoggedContent c) throws VerificationException {
    if (c.dsse() == null) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          where + ": a " + kind + " entry records a DSSE envelope, but the bundle has a message signature");
    }
  }

  private static Map<String, Object> singleSignature(String where, List<Object> sigs) throws VerificationException {
    if (sigs.size() != 1) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          where + ": entry records " + sigs.size() + " signatures, expected the envelope's one");
    }
    return BundleFields.object(sigs.get(0), where + " body signature");
  }

  private static void checkSignature(String where, byte[] logged, LoggedContent c) throws VerificationException {
    if (!MessageDigest.isEqual(logged, c.signature())) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          where + ": logged signature differs from the bundle's signature");
    }
  }

  private static void checkMaterial(String where, byte[] der, LoggedContent c) throws VerificationException {
    if (!MessageDigest.isEqual(der, c.material())) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, where + ": logged "
          + (c.certificate() ? "certificate" : "public key") + " differs from the bundle's");
    }
  }

  private static void checkDigest(String where, String loggedAlg, byte[] logged, String loggedBundleName,
      LoggedContent c) throws VerificationException {
    if (loggedBundleName == null || !loggedBundleName.equals(c.digestAlgorithm())) {
      throw new VerificationException(Reason.DIGEST_MISMATCH, where + ": logged digest algorithm " + loggedAlg
          + " differs from the bundle's " + c.digestAlgorithm());
    }
    if (!MessageDigest.isEqual(logged, c.artifactDigest())) {
      throw new VerificationException(Reason.DIGEST_MISMATCH,
          where + ": logged digest differs from the artifact's digest");
    }
  }

  private static void checkPayloadHash(String where, Map<String, Object> hash, String w, LoggedContent c)
      throws VerificationException {
    String alg = BundleFields.string(hash, "algorithm", w);
    if (!"sha256".equals(alg)) {
      throw new VerificationException(Reason.UNSUPPORTED, where + ": unsupported payload hash algorithm " + alg);
    }
    if (!MessageDigest.isEqual(hexValue(where, hash, w), BundleSignatures.digest("SHA-256", c.dsse().payload()))) {
      throw new VerificationException(Reason.DIGEST_MISMATCH,
          where + ": logged payload hash differs from the DSSE envelope's payload");
    }
  }

  private static byte[] hexValue(String where, Map<String, Object> hash, String w) throws VerificationException {
    String v = BundleFields.string(hash, "value", w);
    if (v.length() > 128 || !Json.isHex(v) || v.length() % 2 != 0) {
      throw TransparencyLogEntries.malformed(w + " value is not hex");
    }
    return HexFormat.of().parseHex(v);
  }

  /** Rekor intoto 0.0.2 stores the envelope's base64 fields base64-encoded again; undecodable is empty. */
  private static byte[] doubleBase64(Map<String, Object> m, String name, String w)
      throws VerificationException {
    byte[] once = BundleFields.base64(m, name, w);
    try {
      return Base64.getDecoder().decode(once);
    } catch (IllegalArgumentException e) {
      return new byte[0]; // not base64 of base64 (as sigstore-go reads it): it records nothing we have
    }
  }

  private static byte[] pemDer(String where, byte[] pem) throws VerificationException {
    try {
      return Pem.decode(pem).der();
    } catch (KeyFormatException e) {
      throw TransparencyLogEntries.malformed(where + ": logged certificate or key is not PEM: " + e.getMessage());
    }
  }

  /** Rekor v1's hash names to the bundle's. */
  private static String bundleName(String alg) {
    return switch (alg) {
      case "sha256" -> "SHA2_256";
      case "sha384" -> "SHA2_384";
      case "sha512" -> "SHA2_512";
      default -> null;
    };
  }
}
