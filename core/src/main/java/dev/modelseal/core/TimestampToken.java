package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * One RFC 3161 timestamp, parsed but not verified: a {@code TimeStampResp} (status granted or
 * grantedWithMods) or a bare {@code TimeStampToken} (CMS ContentInfo of SignedData over a TSTInfo),
 * read with BouncyCastle's generic ASN.1 classes (no CMS/TSP classes, no provider). Counts are
 * bounded: nesting at most {@link #MAX_DEPTH} deep, at most {@link CertificateChains#MAX_CERTIFICATES} embedded certificates, exactly one
 * SignerInfo, at most {@link #MAX_ATTRIBUTES} signed attributes.
 */
final class TimestampToken {
  static final int MAX_ATTRIBUTES = 16;
  /** The deepest ASN.1 nesting read; real tokens nest about 12 deep. */
  static final int MAX_DEPTH = 32;
  private static final String SIGNED_DATA = "1.2.840.113549.1.7.2";
  static final String TST_INFO = "1.2.840.113549.1.9.16.1.4";
  private static final String CONTENT_TYPE = "1.2.840.113549.1.9.3";
  private static final String MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

  /** The TSTInfo DER, as signed (the eContent octets). */
  final byte[] tstInfo;
  /** The JDK name of the message imprint's hash ("SHA-256", ...). */
  final String imprintAlgorithm;
  final byte[] imprint;
  final Instant genTime;
  /** The certificates the token carries, in its order; may be empty. */
  final List<X509Certificate> certificates;
  /** The signer id: issuer and serial, or (when {@code issuer} is null) the subject key identifier. */
  final X500Principal sidIssuer;
  final BigInteger sidSerial;
  final byte[] sidKeyId;
  /** The JDK name of the SignerInfo's digest algorithm. */
  final String digestAlgorithm;
  final String signatureAlgorithmOid;
  /** The signed attributes as the DER SET that was signed. */
  final byte[] signedAttributes;
  /** The content-type attribute's value (an OID) and the message-digest attribute's value. */
  final String contentType;
  final byte[] messageDigest;
  final byte[] signature;

  private TimestampToken(Builder b) {
    tstInfo = b.tstInfo;
    imprintAlgorithm = b.imprintAlgorithm;
    imprint = b.imprint;
    genTime = b.genTime;
    certificates = List.copyOf(b.certificates);
    sidIssuer = b.sidIssuer;
    sidSerial = b.sidSerial;
    sidKeyId = b.sidKeyId;
    digestAlgorithm = b.digestAlgorithm;
    signatureAlgorithmOid = b.signatureAlgorithmOid;
    signedAttributes = b.signedAttributes;
    contentType = b.contentType;
    messageDigest = b.messageDigest;
    signature = b.signature;
  }

  private static final class Builder {
    byte[] tstInfo;
    String imprintAlgorithm;
    byte[] imprint;
    Instant genTime;
    List<X509Certificate> certificates = new ArrayList<>();
    X500Principal sidIssuer;
    BigInteger sidSerial;
    byte[] sidKeyId;
    String digestAlgorithm;
    String signatureAlgorithmOid;
    byte[] signedAttributes;
    String contentType;
    byte[] messageDigest;
    byte[] signature;
  }

  /** Thrown inside the parser; becomes a MALFORMED_SIGNATURE or UNSUPPORTED VerificationException. */
  private static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Reason reason;

    Bad(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * Parses {@code der}; {@code label} names it in messages (e.g. "timestamp 0").
   *
   * @throws VerificationException MALFORMED_SIGNATURE if it is not a timestamp, UNSUPPORTED for an
   *     unsupported hash algorithm, SIGNATURE_INVALID if the authority did not grant it
   */
  static TimestampToken parse(byte[] der, String label) throws VerificationException {
    try {
      return parse(der);
    } catch (Bad e) {
      throw new VerificationException(e.reason, label + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          label + ": not an RFC 3161 timestamp (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static TimestampToken parse(byte[] der) throws IOException {
    checkNesting(der);
    ASN1Primitive top;
    try (ASN1InputStream in = new ASN1InputStream(der)) {
      top = in.readObject();
      if (top == null || in.readObject() != null) {
        throw malformed("not exactly one DER element");
      }
    }
    ASN1Sequence outer = ASN1Sequence.getInstance(top);
    ASN1Sequence contentInfo = outer;
    if (outer.size() > 0 && outer.getObjectAt(0) instanceof ASN1Sequence status) {
      // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
      BigInteger s = ASN1Integer.getInstance(status.getObjectAt(0)).getValue();
      if (!s.equals(BigInteger.ZERO) && !s.equals(BigInteger.ONE)) {
        throw new Bad(Reason.SIGNATURE_INVALID, "the timestamp authority did not grant it (status " + s + ")");
      }
      if (outer.size() != 2) {
        throw malformed("a granted TimeStampResp must hold exactly one token");
      }
      contentInfo = ASN1Sequence.getInstance(outer.getObjectAt(1));
    }
    if (contentInfo.size() != 2 || !oid(contentInfo.getObjectAt(0)).equals(SIGNED_DATA)) {
      throw malformed("the token is not a CMS SignedData ContentInfo");
    }
    ASN1Sequence signedData = ASN1Sequence.getInstance(explicit(contentInfo.getObjectAt(1), 0));
    Builder b = new Builder();
    readSignedData(signedData, b);
    return new TimestampToken(b);
  }

  private static void readSignedData(ASN1Sequence sd, Builder b) throws IOException {
    // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, [0] certificates
    //   OPTIONAL, [1] crls OPTIONAL, signerInfos SET }
    if (sd.size() < 4 || sd.size() > 6) {
      throw malformed("SignedData has " + sd.size() + " fields");
    }
    ASN1Integer.getInstance(sd.getObjectAt(0));
    ASN1Set.getInstance(sd.getObjectAt(1));
    ASN1Sequence encap = ASN1Sequence.getInstance(sd.getObjectAt(2));
    if (encap.size() != 2 || !oid(encap.getObjectAt(0)).equals(TST_INFO)) {
      throw malformed("the signed content is not a TSTInfo (eContentType id-ct-TSTInfo)");
    }
    b.tstInfo = ASN1OctetString.getInstance(explicit(encap.getObjectAt(1), 0)).getOctets();
    readTstInfo(b.tstInfo, b);
    for (int i = 3; i < sd.size() - 1; i++) {
      ASN1TaggedObject t = ASN1TaggedObject.getInstance(sd.getObjectAt(i));
      if (t.getTagClass() != BERTags.CONTEXT_SPECIFIC || t.getTagNo() > 1) {
        throw malformed("unexpected field in SignedData");
      }
      if (t.getTagNo() == 0) {
        readCertificates(ASN1Set.getInstance(t, false), b);
      }
    }
    ASN1Set signerInfos = ASN1Set.getInstance(sd.getObjectAt(sd.size() - 1));
    if (signerInfos.size() != 1) {
      throw malformed("expected exactly one SignerInfo, found " + signerInfos.size());
    }
    readSignerInfo(ASN1Sequence.getInstance(signerInfos.getObjectAt(0)), b);
  }

  private static void readTstInfo(byte[] der, Builder b) throws IOException {
    checkNesting(der);
    ASN1Sequence tst;
    try (ASN1InputStream in = new ASN1InputStream(der)) {
      tst = ASN1Sequence.getInstance(in.readObject());
      if (in.readObject() != null) {
        throw malformed("trailing bytes after TSTInfo");
      }
    }
    // TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy, messageImprint, serialNumber, genTime, ... }
    if (tst.size() < 5) {
      throw malformed("TSTInfo has " + tst.size() + " fields");
    }
    if (!ASN1Integer.getInstance(tst.getObjectAt(0)).hasValue(1)) {
      throw malformed("TSTInfo version is not 1");
    }
    oid(tst.getObjectAt(1));
    ASN1Sequence imprint = ASN1Sequence.getInstance(tst.getObjectAt(2));
    if (imprint.size() != 2) {
      throw malformed("messageImprint has " + imprint.size() + " fields");
    }
    b.imprintAlgorithm = hashName(AlgorithmIdentifier.getInstance(imprint.getObjectAt(0)), "message imprint");
    b.imprint = ASN1OctetString.getInstance(imprint.getObjectAt(1)).getOctets();
    ASN1Integer.getInstance(tst.getObjectAt(3));
    try {
      b.genTime = ASN1GeneralizedTime.getInstance(tst.getObjectAt(4)).getDate().toInstant();
    } catch (ParseException e) {
      throw malformed("TSTInfo genTime is not a valid GeneralizedTime");
    }
  }

  private static void readCertificates(ASN1Set certs, Builder b) {
    if (certs.size() > CertificateChains.MAX_CERTIFICATES) {
      throw malformed("the token embeds " + certs.size() + " certificates, more than "
          + CertificateChains.MAX_CERTIFICATES);
    }
    for (ASN1Encodable c : certs) {
      if (!(c.toASN1Primitive() instanceof ASN1Sequence)) {
        throw malformed("the token embeds a certificate that is not X.509");
      }
      try {
        b.certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(c.toASN1Primitive().getEncoded(ASN1Encoding.DER))));
      } catch (GeneralSecurityException | IOException e) {
        throw malformed("an embedded certificate is not DER X.509");
      }
    }
  }

  private static void readSignerInfo(ASN1Sequence si, Builder b) throws IOException {
    // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm,
    //   signature OCTET STRING, [1] unsignedAttrs OPTIONAL }
    if (si.size() < 6 || si.size() > 7) {
      throw malformed("SignerInfo has " + si.size() + " fields");
    }
    ASN1Integer.getInstance(si.getObjectAt(0));
    ASN1Encodable sid = si.getObjectAt(1);
    if (sid instanceof ASN1TaggedObject t) {
      if (t.getTagClass() != BERTags.CONTEXT_SPECIFIC || t.getTagNo() != 0) {
        throw malformed("unexpected SignerInfo sid");
      }
      b.sidKeyId = ASN1OctetString.getInstance(t, false).getOctets();
    } else {
      ASN1Sequence ias = ASN1Sequence.getInstance(sid);
      if (ias.size() != 2) {
        throw malformed("issuerAndSerialNumber has " + ias.size() + " fields");
      }
      b.sidIssuer = new X500Principal(ias.getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DER));
      b.sidSerial = ASN1Integer.getInstance(ias.getObjectAt(1)).getValue();
    }
    b.digestAlgorithm = hashName(AlgorithmIdentifier.getInstance(si.getObjectAt(2)), "SignerInfo digest");
    ASN1TaggedObject attrs = ASN1TaggedObject.getInstance(si.getObjectAt(3));
    if (attrs.getTagClass() != BERTags.CONTEXT_SPECIFIC || attrs.getTagNo() != 0) {
      throw malformed("the SignerInfo has no signed attributes");
    }
    ASN1Set attrSet = ASN1Set.getInstance(attrs, false);
    // DL keeps the attributes in the order they were sent: the signature is over that encoding.
    b.signedAttributes = attrSet.getEncoded(ASN1Encoding.DL);
    readSignedAttributes(attrSet, b);
    b.signatureAlgorithmOid = AlgorithmIdentifier.getInstance(si.getObjectAt(4)).getAlgorithm().getId();
    b.signature = ASN1OctetString.getInstance(si.getObjectAt(5)).getOctets();
  }

  private static void readSignedAttributes(ASN1Set attrs, Builder b) {
    if (attrs.size() > MAX_ATTRIBUTES) {
      throw malformed("the SignerInfo has " + attrs.size() + " signed attributes, more than " + MAX_ATTRIBUTES);
    }
    for (ASN1Encodable a : attrs) {
      ASN1Sequence attr = ASN1Sequence.getInstance(a);
      if (attr.size() != 2) {
        throw malformed("a signed attribute has " + attr.size() + " fields");
      }
      String type = oid(attr.getObjectAt(0));
      ASN1Set values = ASN1Set.getInstance(attr.getObjectAt(1));
      if (type.equals(CONTENT_TYPE) || type.equals(MESSAGE_DIGEST)) {
        if (values.size() != 1 || (type.equals(CONTENT_TYPE) ? b.contentType : b.messageDigest) != null) {
          throw malformed("signed attribute " + type + " must occur once with one value");
        }
        if (type.equals(CONTENT_TYPE)) {
          b.contentType = oid(values.getObjectAt(0));
        } else {
          b.messageDigest = ASN1OctetString.getInstance(values.getObjectAt(0)).getOctets();
        }
      }
    }
    if (b.contentType == null || b.messageDigest == null) {
      throw malformed("the signed attributes lack content-type or message-digest");
    }
  }

  /**
   * Refuses BER/DER nested deeper than {@link #MAX_DEPTH} before BouncyCastle (which recurses) reads
   * it: a walk over the tag-length headers without recursion. Definite and indefinite lengths.
   */
  static void checkNesting(byte[] b) {
    int[] ends = new int[MAX_DEPTH]; // end offset of each open constructed element, -1 if indefinite
    int depth = 0;
    int pos = 0;
    while (pos < b.length) {
      while (depth > 0 && ends[depth - 1] >= 0 && pos >= ends[depth - 1]) {
        depth--;
      }
      int tag = b[pos++] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        while (pos < b.length && (b[pos] & 0x80) != 0) {
          pos++;
        }
        pos++;
      }
      if (pos >= b.length) {
        throw malformed("truncated DER header");
      }
      int first = b[pos++] & 0xff;
      if (tag == 0 && first == 0) { // end-of-contents of an indefinite-length element
        if (depth == 0 || ends[depth - 1] >= 0) {
          throw malformed("stray end-of-contents");
        }
        depth--;
        continue;
      }
      int len;
      if (first == 0x80) {
        len = -1;
      } else if (first < 0x80) {
        len = first;
      } else {
        int n = first & 0x7f;
        if (n > 3 || n > b.length - pos) {
          throw malformed("bad DER length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[pos++] & 0xff);
        }
      }
      if (len > b.length - pos) {
        throw malformed("DER length past the end");
      }
      if ((tag & 0x20) != 0) {
        if (depth == MAX_DEPTH) {
          throw malformed("ASN.1 nested deeper than " + MAX_DEPTH);
        }
        ends[depth++] = len < 0 ? -1 : pos + len;
      } else if (len < 0) {
        throw malformed("indefinite length on a primitive element");
      } else {
        pos += len;
      }
    }
  }

  /** The JDK name of a SHA-2 AlgorithmIdentifier. */
  private static String hashName(AlgorithmIdentifier alg, String what) {
    String id = alg.getAlgorithm().getId();
    switch (id) {
      case "2.16.840.1.101.3.4.2.1":
        return "SHA-256";
      case "2.16.840.1.101.3.4.2.2":
        return "SHA-384";
      case "2.16.840.1.101.3.4.2.3":
        return "SHA-512";
      default:
        throw new Bad(Reason.UNSUPPORTED, what + " hash algorithm " + id + " is not SHA-256, SHA-384 or SHA-512");
    }
  }

  private static ASN1Primitive explicit(ASN1Encodable e, int tagNo) {
    ASN1TaggedObject t = ASN1TaggedObject.getInstance(e);
    if (t.getTagClass() != BERTags.CONTEXT_SPECIFIC || t.getTagNo() != tagNo || !t.isExplicit()) {
      throw malformed("expected an explicit [" + tagNo + "] field");
    }
    return t.getExplicitBaseObject().toASN1Primitive();
  }

  private static String oid(ASN1Encodable e) {
    return ASN1ObjectIdentifier.getInstance(e).getId();
  }

  private static Bad malformed(String message) {
    return new Bad(Reason.MALFORMED_SIGNATURE, "not an RFC 3161 timestamp: " + message);
  }
}
