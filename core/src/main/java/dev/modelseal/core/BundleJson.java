package dev.modelseal.core;

import dev.modelseal.core.SignatureMaterial.Format;
import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/** Reads the two bundle layouts cosign writes for blobs into {@link SignatureMaterial}. */
final class BundleJson {
  private BundleJson() {}

  static SignatureMaterial readSigstore(Map<?, ?> root) throws VerificationException {
    Object mediaType = root.get("mediaType");
    if (!(mediaType instanceof String mt) || !SignatureMaterial.acceptedMediaType(mt)) {
      throw new VerificationException(Reason.UNSUPPORTED, "unsupported bundle media type " + mediaType);
    }
    if (root.containsKey("dsseEnvelope")) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "bundle holds a DSSE envelope, not a blob signature (use verify-model for model signatures)");
    }
    Map<?, ?> ms = object(root, "messageSignature", "bundle");
    byte[] signature = SignatureMaterial.decodeBase64(string(ms, "signature", "messageSignature"),
        "messageSignature.signature");
    String digestName = null;
    byte[] digest = null;
    if (ms.get("messageDigest") instanceof Map<?, ?> md && !md.isEmpty()) {
      digestName = string(md, "algorithm", "messageDigest");
      if (!List.of("SHA2_256", "SHA2_384", "SHA2_512").contains(digestName)) {
        throw new VerificationException(Reason.UNSUPPORTED, "unsupported bundle digest algorithm " + digestName);
      }
      digest = SignatureMaterial.decodeBase64(string(md, "digest", "messageDigest"), "messageDigest.digest");
    }
    Map<?, ?> vm = object(root, "verificationMaterial", "bundle");
    byte[] hint = null;
    PublicKey embedded = null;
    if (vm.get("publicKey") instanceof Map<?, ?> pk && pk.get("hint") instanceof String h) {
      hint = SignatureMaterial.decodeBase64(h, "publicKey.hint");
    }
    if (vm.get("certificate") instanceof Map<?, ?> cert) {
      embedded = certificateKey(SignatureMaterial.decodeBase64(
          string(cert, "rawBytes", "certificate"), "certificate.rawBytes"));
    } else if (vm.get("x509CertificateChain") instanceof Map<?, ?> chain
        && chain.get("certificates") instanceof List<?> certs && !certs.isEmpty()
        && certs.get(0) instanceof Map<?, ?> leaf) {
      embedded = certificateKey(SignatureMaterial.decodeBase64(
          string(leaf, "rawBytes", "certificate"), "certificate.rawBytes"));
    }
    boolean tlog = vm.get("tlogEntries") instanceof List<?> l && !l.isEmpty();
    return SignatureMaterial.fromBundle(
        Format.SIGSTORE_BUNDLE, signature, digestName, digest, hint, embedded, tlog);
  }

  static SignatureMaterial readLegacy(Map<?, ?> root) throws VerificationException {
    byte[] signature = SignatureMaterial.decodeBase64(string(root, "base64Signature", "bundle"),
        "base64Signature");
    PublicKey embedded = null;
    if (root.get("cert") instanceof String cert && !cert.isEmpty()) {
      byte[] pem = SignatureMaterial.decodeBase64(cert, "cert");
      String text = new String(pem, StandardCharsets.US_ASCII);
      try {
        if (text.contains("-----BEGIN PUBLIC KEY-----")) {
          embedded = CosignKeyReader.readPublicKey(pem);
        } else if (text.contains("-----BEGIN CERTIFICATE-----")) {
          embedded = certificateKey(Pem.decode(pem).der());
        } else {
          throw new VerificationException(Reason.MALFORMED_SIGNATURE,
              "bundle \"cert\" is neither a PEM public key nor a certificate");
        }
      } catch (KeyFormatException e) {
        throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle \"cert\": " + e.getMessage());
      }
    }
    boolean tlog = root.get("rekorBundle") instanceof Map<?, ?>;
    return SignatureMaterial.fromBundle(Format.LEGACY_BUNDLE, signature, null, null, null, embedded, tlog);
  }

  private static PublicKey certificateKey(byte[] der) throws VerificationException {
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return c.getPublicKey();
    } catch (CertificateException | RuntimeException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle certificate is not valid DER X.509");
    }
  }

  private static Map<?, ?> object(Map<?, ?> m, String name, String where) throws VerificationException {
    if (m.get(name) instanceof Map<?, ?> v) {
      return v;
    }
    throw new VerificationException(Reason.MALFORMED_SIGNATURE,
        where + " has no \"" + name + "\" object");
  }

  private static String string(Map<?, ?> m, String name, String where) throws VerificationException {
    if (m.get(name) instanceof String v) {
      return v;
    }
    throw new VerificationException(Reason.MALFORMED_SIGNATURE,
        where + " has no \"" + name + "\" string");
  }
}
