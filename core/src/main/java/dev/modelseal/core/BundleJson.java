package dev.modelseal.core;

import dev.modelseal.core.SignatureMaterial.Format;
import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

/** Reads the two bundle layouts cosign writes for blobs into {@link SignatureMaterial}. */
final class BundleJson {
  private BundleJson() {}

  static SignatureMaterial readSigstore(Map<?, ?> root) throws VerificationException {
    SigstoreBundle b = SigstoreBundle.parse(BundleFields.object(root, "bundle"));
    X509Certificate leaf = b.leaf();
    return SignatureMaterial.fromBundle(Format.SIGSTORE_BUNDLE, b.signature(), b.digestName(), b.digest(),
        b.keyHint(), leaf == null ? null : leaf.getPublicKey(), !b.tlogEntries().isEmpty(), b, leaf != null);
  }

  static SignatureMaterial readLegacy(Map<?, ?> root) throws VerificationException {
    byte[] signature = SignatureMaterial.decodeBase64(string(root, "base64Signature", "bundle"),
        "base64Signature");
    PublicKey embedded = null;
    boolean certificate = false;
    if (root.get("cert") instanceof String cert && !cert.isEmpty()) {
      byte[] pem = SignatureMaterial.decodeBase64(cert, "cert");
      String text = new String(pem, StandardCharsets.US_ASCII);
      try {
        if (text.contains("-----BEGIN PUBLIC KEY-----")) {
          embedded = CosignKeyReader.readPublicKey(pem);
        } else if (text.contains("-----BEGIN CERTIFICATE-----")) {
          embedded = certificateKey(Pem.decode(pem).der());
          certificate = true;
        } else {
          throw new VerificationException(Reason.MALFORMED_SIGNATURE,
              "bundle \"cert\" is neither a PEM public key nor a certificate");
        }
      } catch (KeyFormatException e) {
        throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle \"cert\": " + e.getMessage());
      }
    }
    boolean tlog = root.get("rekorBundle") instanceof Map<?, ?>;
    return SignatureMaterial.fromBundle(Format.LEGACY_BUNDLE, signature, null, null, null, embedded, tlog, null,
        certificate);
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
