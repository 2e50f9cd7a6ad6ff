package dev.modelseal.core;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.TrustedRoot.LogKey;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A made-up Fulcio-like PKI for tests, built with the JDK (keys, signatures) and BouncyCastle's ASN.1
 * classes (no JCA provider): a root, an intermediate, a CT log key, and leaves with knobs for each rule
 * the verifier checks (EKU, CA flag, SANs, issuer extensions, validity, SCT).
 */
final class TestPki {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final String CA_URI = "https://fulcio.test";
  static final String SAN = "https://github.com/acme/repo/.github/workflows/release.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  final KeyPair rootKey = ec();
  final KeyPair intermediateKey = ec();
  final KeyPair ctKey = ec();
  final X509Certificate root;
  final X509Certificate intermediate;

  TestPki() {
    this(T0.plus(Duration.ofDays(3650)));
  }

  /** A PKI whose intermediate expires at {@code intermediateNotAfter}. */
  TestPki(Instant intermediateNotAfter) {
    root = ca("CN=test root", "CN=test root", rootKey.getPublic(), rootKey.getPrivate(),
        T0.minus(Duration.ofDays(365)), T0.plus(Duration.ofDays(3650)));
    intermediate = ca("CN=test intermediate", "CN=test root", intermediateKey.getPublic(), rootKey.getPrivate(),
        T0.minus(Duration.ofDays(365)), intermediateNotAfter);
  }

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] ctLogId() {
    return sha256(ctKey.getPublic().getEncoded());
  }

  /** A root trusting the intermediate+root chain and the CT log, both valid from T0-1y, open-ended. */
  TrustedRoot trustedRoot() {
    return trustedRoot(T0.minus(Duration.ofDays(365)), null);
  }

  TrustedRoot trustedRoot(Instant caStart, Instant caEnd) {
    return new TrustedRoot(List.of(new Authority(CA_URI, List.of(intermediate, root), caStart, caEnd)), List.of(),
        List.of(), List.of(new LogKey("https://ct.test", ctLogId(), ctKey.getPublic(),
            T0.minus(Duration.ofDays(365)), null)));
  }

  TrustedRoot trustedRootWithCtLog(LogKey ctLog) {
    return new TrustedRoot(List.of(new Authority(CA_URI, List.of(intermediate, root), T0.minus(Duration.ofDays(365)),
        null)), List.of(), List.of(), List.of(ctLog));
  }

  LeafBuilder leaf() {
    return new LeafBuilder();
  }

  enum SctMode { VALID, NONE, BAD_SIGNATURE, UNKNOWN_LOG, TRUNCATED }

  final class LeafBuilder {
    boolean codeSigning = true;
    boolean isCa = false;
    List<GeneralName> sans = new ArrayList<>(List.of(new GeneralName(GeneralName.uniformResourceIdentifier, SAN)));
    String issuerV2 = ISSUER;
    String issuerV1 = null;
    boolean issuerV2Raw = false;
    Instant notBefore = T0;
    Instant notAfter = T0.plus(Duration.ofMinutes(10));
    SctMode sct = SctMode.VALID;
    Instant sctTime = T0;

    LeafBuilder codeSigning(boolean v) { codeSigning = v; return this; }
    LeafBuilder ca(boolean v) { isCa = v; return this; }
    LeafBuilder sans(GeneralName... names) { sans = List.of(names); return this; }
    LeafBuilder issuerV2(String v) { issuerV2 = v; return this; }
    LeafBuilder issuerV1(String v) { issuerV1 = v; return this; }
    LeafBuilder issuerV2Raw(boolean v) { issuerV2Raw = v; return this; }
    LeafBuilder sct(SctMode v) { sct = v; return this; }
    LeafBuilder sctTime(Instant v) { sctTime = v; return this; }

    X509Certificate build() {
      try {
        KeyPair leafKey = ec();
        List<Extension> exts = new ArrayList<>();
        exts.add(new Extension(Extension.keyUsage, true,
            new DEROctetString(new KeyUsage(KeyUsage.digitalSignature))));
        if (codeSigning) {
          exts.add(new Extension(Extension.extendedKeyUsage, false,
              new DEROctetString(new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning))));
        } else {
          exts.add(new Extension(Extension.extendedKeyUsage, false,
              new DEROctetString(new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))));
        }
        if (isCa) {
          exts.add(new Extension(Extension.basicConstraints, true, new DEROctetString(new BasicConstraints(0))));
        }
        if (!sans.isEmpty()) {
          exts.add(new Extension(Extension.subjectAlternativeName, true,
              new DEROctetString(new GeneralNames(sans.toArray(new GeneralName[0])))));
        }
        if (issuerV1 != null) {
          exts.add(new Extension(new ASN1ObjectIdentifier(IdentityPolicy.ISSUER_V1), false,
              issuerV1.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (issuerV2 != null) {
          exts.add(new Extension(new ASN1ObjectIdentifier(IdentityPolicy.ISSUER_V2), false,
              issuerV2Raw ? new DEROctetString(issuerV2.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  : new DEROctetString(new DERUTF8String(issuerV2))));
        }
        BigInteger serial = serial();
        TBSCertificate precert = tbs(serial, "", "CN=test intermediate", leafKey.getPublic(), notBefore, notAfter, exts);
        if (sct != SctMode.NONE) {
          byte[] logId = sct == SctMode.UNKNOWN_LOG ? sha256(new byte[] {1}) : ctLogId();
          byte[] sctBytes = sct(logId, precert.getEncoded(ASN1Encoding.DER));
          byte[] list = sctList(sctBytes);
          if (sct == SctMode.TRUNCATED) {
            list = java.util.Arrays.copyOf(list, list.length - 1);
          }
          exts.add(new Extension(new ASN1ObjectIdentifier(SignedCertificateTimestamps.SCT_LIST_OID), false,
              new DEROctetString(new DEROctetString(list))));
        }
        TBSCertificate tbs = tbs(serial, "", "CN=test intermediate", leafKey.getPublic(), notBefore, notAfter, exts);
        return sign(tbs, intermediateKey.getPrivate());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private byte[] sct(byte[] logId, byte[] precertTbs) throws Exception {
      SignedCertificateTimestamps.Sct unsigned = new SignedCertificateTimestamps.Sct(logId, sctTime.toEpochMilli(),
          new byte[0], 4, 3, new byte[0]);
      byte[] signed = SignedCertificateTimestamps.signedData(unsigned,
          sha256(intermediate.getPublicKey().getEncoded()), precertTbs);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(ctKey.getPrivate());
      s.update(signed);
      byte[] sig = s.sign();
      if (sct == SctMode.BAD_SIGNATURE) {
        Signature other = Signature.getInstance("SHA256withECDSA");
        other.initSign(ctKey.getPrivate());
        other.update(new byte[] {0});
        sig = other.sign();
      }
      ByteBuffer b = ByteBuffer.allocate(1 + 32 + 8 + 2 + 2 + 2 + sig.length);
      b.put((byte) 0).put(logId).putLong(sctTime.toEpochMilli()).putShort((short) 0);
      b.put((byte) 4).put((byte) 3).putShort((short) sig.length).put(sig);
      return b.array();
    }
  }

  static byte[] sctList(byte[]... scts) {
    int total = 0;
    for (byte[] s : scts) {
      total += 2 + s.length;
    }
    ByteBuffer b = ByteBuffer.allocate(2 + total);
    b.putShort((short) total);
    for (byte[] s : scts) {
      b.putShort((short) s.length).put(s);
    }
    return b.array();
  }

  private static X509Certificate ca(String subject, String issuer, PublicKey key, PrivateKey signer, Instant from,
      Instant to) {
    try {
      List<Extension> exts = List.of(
          new Extension(Extension.basicConstraints, true, new DEROctetString(new BasicConstraints(1))),
          new Extension(Extension.keyUsage, true, new DEROctetString(new KeyUsage(KeyUsage.keyCertSign))));
      return sign(tbs(serial(), subject, issuer, key, from, to, exts), signer);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, new java.security.SecureRandom()).add(BigInteger.ONE);
  }

  private static TBSCertificate tbs(BigInteger serial, String subject, String issuer, PublicKey key, Instant from, Instant to,
      List<Extension> exts) {
    V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
    g.setSerialNumber(new ASN1Integer(serial));
    g.setSignature(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256));
    g.setIssuer(new X500Name(issuer));
    g.setSubject(subject.isEmpty() ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0]) : new X500Name(subject));
    g.setStartDate(new Time(Date.from(from)));
    g.setEndDate(new Time(Date.from(to)));
    g.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    g.setExtensions(new Extensions(exts.toArray(new Extension[0])));
    return g.generateTBSCertificate();
  }

  private static X509Certificate sign(TBSCertificate tbs, PrivateKey signer) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer);
    s.update(tbs.getEncoded(ASN1Encoding.DER));
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(tbs);
    v.add(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256));
    v.add(new DERBitString(s.sign()));
    byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
