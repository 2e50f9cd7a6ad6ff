package dev.modelseal.core;

import dev.modelseal.core.TrustedRoot.LogKey;
import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * Verifies the signed certificate timestamps (RFC 6962) embedded in a Fulcio leaf (extension
 * 1.3.6.1.4.1.11129.2.4.2): each SCT names its CT log by id; the log must be in the trusted root and
 * valid at the SCT's time, and its signature over the precertificate entry (issuer key hash and the
 * TBSCertificate without the SCT extension) must verify. At least one SCT must verify.
 */
final class SignedCertificateTimestamps {
  static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";
  /** The most SCTs read from one certificate. */
  static final int MAX_SCTS = 16;

  private SignedCertificateTimestamps() {}

  /** One SCT, v1: log id, timestamp (ms), extensions, signature algorithm bytes and signature. */
  record Sct(byte[] logId, long timestamp, byte[] extensions, int hashAlgorithm, int signatureAlgorithm,
      byte[] signature) {}

  /**
   * Verifies the leaf's SCTs; {@code issuer} is the certificate that issued the leaf.
   *
   * @throws VerificationException {@code UNTRUSTED_KEY} when the leaf has no SCT or none verifies;
   *     {@code MALFORMED_SIGNATURE} when the SCT list is corrupt
   */
  static void verify(X509Certificate leaf, X509Certificate issuer, TrustedRoot root) throws VerificationException {
    byte[] ext = leaf.getExtensionValue(SCT_LIST_OID);
    if (ext == null) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "signing certificate has no embedded SCT");
    }
    List<Sct> scts = parseList(ext);
    byte[] tbs = tbsWithoutScts(leaf);
    byte[] issuerKeyHash = KeyId.sha256(issuer.getPublicKey());
    String firstProblem = null;
    for (int i = 0; i < scts.size(); i++) {
      String problem = check(scts.get(i), issuerKeyHash, tbs, root);
      if (problem == null) {
        return;
      }
      if (firstProblem == null) {
        firstProblem = "SCT " + i + ": " + problem;
      }
    }
    throw new VerificationException(Reason.UNTRUSTED_KEY, "no embedded SCT of the signing certificate"
        + " verifies with a CT log of the trusted root; " + firstProblem);
  }

  /** Null when the SCT verifies, else why not. */
  private static String check(Sct sct, byte[] issuerKeyHash, byte[] tbs, TrustedRoot root) {
    String id = Base64.getEncoder().encodeToString(sct.logId());
    List<LogKey> logs = root.ctlogs(sct.logId());
    if (logs.isEmpty()) {
      return "CT log " + id + " is not in the trusted root";
    }
    Instant t = Instant.ofEpochMilli(sct.timestamp());
    byte[] signed = signedData(sct, issuerKeyHash, tbs);
    String problem = "CT log " + id + " is not valid at the SCT time " + t;
    for (LogKey log : logs) {
      if (!log.validAt(t)) {
        continue;
      }
      if (signatureVerifies(log.key(), sct, signed)) {
        return null;
      }
      problem = "signature does not verify with CT log " + id;
    }
    return problem;
  }

  private static boolean signatureVerifies(PublicKey key, Sct sct, byte[] signed) {
    String algorithm;
    if (sct.hashAlgorithm() != 4) { // TLS HashAlgorithm sha256
      return false;
    }
    if (key instanceof ECKey && sct.signatureAlgorithm() == 3) {
      algorithm = "SHA256withECDSA";
    } else if (key instanceof RSAKey && sct.signatureAlgorithm() == 1) {
      algorithm = "SHA256withRSA";
    } else {
      return false;
    }
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(key);
      s.update(signed);
      return s.verify(sct.signature());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** RFC 6962 3.2 digitally-signed struct for a precert entry. */
  static byte[] signedData(Sct sct, byte[] issuerKeyHash, byte[] tbs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(tbs.length + 64);
    out.write(0); // version v1
    out.write(0); // signature_type certificate_timestamp
    for (int i = 7; i >= 0; i--) {
      out.write((int) (sct.timestamp() >>> (8 * i)));
    }
    out.write(0);
    out.write(1); // entry_type precert_entry
    out.writeBytes(issuerKeyHash);
    out.write(tbs.length >>> 16);
    out.write(tbs.length >>> 8);
    out.write(tbs.length);
    out.writeBytes(tbs);
    out.write(sct.extensions().length >>> 8);
    out.write(sct.extensions().length);
    out.writeBytes(sct.extensions());
    return out.toByteArray();
  }

  /** Parses the extension value (an OCTET STRING holding an OCTET STRING holding the TLS list). */
  static List<Sct> parseList(byte[] extensionValue) throws VerificationException {
    byte[] tls;
    try {
      ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extensionValue).getOctets());
      tls = ASN1OctetString.getInstance(inner).getOctets();
    } catch (IOException | RuntimeException e) {
      throw corrupt("the SCT extension is not an OCTET STRING");
    }
    Tls in = new Tls(tls);
    Tls list = in.sub(in.u16());
    in.requireEnd();
    List<Sct> out = new ArrayList<>();
    while (!list.atEnd()) {
      if (out.size() == MAX_SCTS) {
        throw corrupt("more than " + MAX_SCTS + " SCTs");
      }
      Tls one = list.sub(list.u16());
      int version = one.u8();
      if (version != 0) {
        continue; // only v1 is defined; others are skipped, as Go's ct library
      }
      byte[] logId = one.bytes(32);
      long timestamp = 0;
      for (int i = 0; i < 8; i++) {
        timestamp = (timestamp << 8) | one.u8();
      }
      byte[] extensions = one.bytes(one.u16());
      int hash = one.u8();
      int sig = one.u8();
      byte[] signature = one.bytes(one.u16());
      one.requireEnd();
      out.add(new Sct(logId, timestamp, extensions, hash, sig, signature));
    }
    if (out.isEmpty()) {
      throw corrupt("the SCT list holds no v1 SCT");
    }
    return out;
  }

  /** The leaf's TBSCertificate DER with the SCT list extension removed (the precertificate's TBS). */
  static byte[] tbsWithoutScts(X509Certificate leaf) throws VerificationException {
    try {
      ASN1Sequence tbs = ASN1Sequence.getInstance(leaf.getTBSCertificate());
      ASN1EncodableVector rebuilt = new ASN1EncodableVector();
      for (ASN1Encodable e : tbs) {
        if (e instanceof ASN1TaggedObject tag && tag.getTagNo() == 3) {
          Extensions exts = Extensions.getInstance(tag.getExplicitBaseObject());
          ASN1ObjectIdentifier sctOid = new ASN1ObjectIdentifier(SCT_LIST_OID);
          ASN1EncodableVector kept = new ASN1EncodableVector();
          for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
            if (!oid.equals(sctOid)) {
              Extension x = exts.getExtension(oid);
              kept.add(x);
            }
          }
          rebuilt.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
        } else {
          rebuilt.add(e);
        }
      }
      return new DERSequence(rebuilt).getEncoded(ASN1Encoding.DER);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw corrupt("cannot rebuild the signing certificate's TBSCertificate");
    }
  }

  private static VerificationException corrupt(String what) {
    return new VerificationException(Reason.MALFORMED_SIGNATURE, "signing certificate has a corrupt embedded"
        + " SCT list: " + what);
  }

  /** A bounded reader of TLS-encoded bytes. */
  private static final class Tls {
    private final byte[] b;
    private int pos;
    private final int end;

    Tls(byte[] b) {
      this(b, 0, b.length);
    }

    private Tls(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean atEnd() {
      return pos == end;
    }

    int u8() throws VerificationException {
      need(1);
      return b[pos++] & 0xff;
    }

    int u16() throws VerificationException {
      return (u8() << 8) | u8();
    }

    byte[] bytes(int n) throws VerificationException {
      need(n);
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    Tls sub(int n) throws VerificationException {
      need(n);
      Tls t = new Tls(b, pos, pos + n);
      pos += n;
      return t;
    }

    void requireEnd() throws VerificationException {
      if (pos != end) {
        throw corrupt("trailing bytes");
      }
    }

    private void need(int n) throws VerificationException {
      if (n > end - pos) {
        throw corrupt("truncated");
      }
    }
  }
}
