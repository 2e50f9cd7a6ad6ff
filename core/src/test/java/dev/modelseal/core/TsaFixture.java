package dev.modelseal.core;

import dev.modelseal.core.TrustedRoot.Authority;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * Throwaway timestamp authorities for tests: EC P-256 root, optional intermediate and TSA leaf
 * certificates made with BouncyCastle's certificate builder, and RFC 3161 tokens from BouncyCastle's
 * {@link TimeStampTokenGenerator} (no provider registered: JDK crypto underneath).
 */
final class TsaFixture {
  static final Instant GEN_TIME = Instant.parse("2025-08-01T12:00:00Z");
  static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant NOT_AFTER = Instant.parse("2026-01-01T00:00:00Z");
  static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.2.3.4");
  static final byte[] SIGNATURE = "the bundle signature".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  final KeyPair rootKey = ecKey();
  final X509Certificate root;
  final KeyPair leafKey;
  final String leafSignatureAlgorithm;
  final X509Certificate leaf;

  /** A root valid over [NOT_BEFORE, NOT_AFTER] and an EC P-256 timestamping leaf it issued (serial 2). */
  TsaFixture() throws Exception {
    this("EC");
  }

  /** As {@link #TsaFixture()} with a leaf key of {@code keyAlgorithm}: EC, RSA or Ed25519. */
  TsaFixture(String keyAlgorithm) throws Exception {
    switch (keyAlgorithm) {
      case "EC":
        leafKey = ecKey();
        leafSignatureAlgorithm = "SHA256withECDSA";
        break;
      case "RSA":
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        leafKey = rsa.generateKeyPair();
        leafSignatureAlgorithm = "SHA256withRSA";
        break;
      default:
        leafKey = KeyPairGenerator.getInstance(keyAlgorithm).generateKeyPair();
        leafSignatureAlgorithm = keyAlgorithm;
    }
    root = cert("CN=Test TSA Root", "CN=Test TSA Root", rootKey.getPublic(), rootKey.getPrivate(), 1,
        NOT_BEFORE, NOT_AFTER, true, false, false);
    leaf = leaf(2, NOT_BEFORE, NOT_AFTER, true, true);
  }

  /** Another leaf for {@link #leafKey}, issued by the root, with the given serial, window and EKU. */
  X509Certificate leaf(long serial, Instant notBefore, Instant notAfter, boolean eku, boolean ekuCritical)
      throws Exception {
    return cert("CN=Test TSA Root", "CN=Test TSA", leafKey.getPublic(), rootKey.getPrivate(), serial,
        notBefore, notAfter, false, eku, ekuCritical);
  }

  /** An authority listing {@code chain}, valid over [start, end]. */
  static TrustedRoot rootOf(List<X509Certificate> chain, Instant start, Instant end) {
    return new TrustedRoot(List.of(), List.of(new Authority("https://tsa.test", chain, start, end)),
        List.of(), List.of());
  }

  /** The default trusted root: this fixture's leaf and root, valid from NOT_BEFORE, open-ended. */
  TrustedRoot trustedRoot() {
    return rootOf(List.of(leaf, root), NOT_BEFORE, null);
  }

  /** A token over SHA-256({@code signed}) at {@code genTime}, its SignerInfo naming {@code sidCert}. */
  byte[] token(byte[] signed, Instant genTime, X509Certificate sidCert, PrivateKey signingKey,
      List<X509Certificate> embedded) throws Exception {
    return token(TSPAlgorithms.SHA256, "SHA-256", signed, genTime, sidCert, signingKey, embedded);
  }

  /** As above with the message imprint made with {@code imprintOid} / {@code imprintJdkName}. */
  byte[] token(ASN1ObjectIdentifier imprintOid, String imprintJdkName, byte[] signed, Instant genTime,
      X509Certificate sidCert, PrivateKey signingKey, List<X509Certificate> embedded) throws Exception {
    DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
    SignerInfoGenerator sig = new JcaSignerInfoGeneratorBuilder(digests)
        .build(new JcaContentSignerBuilder(leafSignatureAlgorithm).build(signingKey), sidCert);
    TimeStampTokenGenerator gen = new TimeStampTokenGenerator(sig,
        digests.get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)), POLICY);
    if (!embedded.isEmpty()) {
      gen.addCertificates(new JcaCertStore(embedded));
    }
    TimeStampRequestGenerator reqGen = new TimeStampRequestGenerator();
    reqGen.setCertReq(!embedded.isEmpty()); // BouncyCastle embeds the certificates only when asked
    TimeStampRequest req = reqGen.generate(imprintOid, MessageDigest.getInstance(imprintJdkName).digest(signed));
    return gen.generate(req, BigInteger.valueOf(7), Date.from(genTime)).getEncoded();
  }

  /** A good token over {@link #SIGNATURE} at {@link #GEN_TIME} with the leaf embedded. */
  byte[] token() throws Exception {
    return token(SIGNATURE, GEN_TIME, leaf, leafKey.getPrivate(), List.of(leaf));
  }

  /**
   * A SignedData made by BouncyCastle's generic CMS generator (not the TSP one), signed by the leaf
   * with the leaf embedded: content {@code tstInfo} of type {@code eContentType}, and signed attribute
   * content-type {@code contentTypeAttribute}.
   */
  byte[] signedData(ASN1ObjectIdentifier eContentType, byte[] tstInfo, ASN1ObjectIdentifier contentTypeAttribute)
      throws Exception {
    return signedData(eContentType, tstInfo, contentTypeAttribute, null);
  }

  /** As above; a non-null {@code subjectKeyId} becomes the SignerInfo's sid instead of issuer and serial. */
  byte[] signedData(ASN1ObjectIdentifier eContentType, byte[] tstInfo, ASN1ObjectIdentifier contentTypeAttribute,
      byte[] subjectKeyId) throws Exception {
    DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
    ASN1EncodableVector attrs = new ASN1EncodableVector();
    attrs.add(new Attribute(CMSAttributes.contentType, new DERSet(contentTypeAttribute)));
    JcaSignerInfoGeneratorBuilder builder = new JcaSignerInfoGeneratorBuilder(digests)
        .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)));
    ContentSigner signer = new JcaContentSignerBuilder(leafSignatureAlgorithm).build(leafKey.getPrivate());
    SignerInfoGenerator sig = subjectKeyId == null ? builder.build(signer, leaf) : builder.build(signer, subjectKeyId);
    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
    gen.addSignerInfoGenerator(sig);
    gen.addCertificates(new JcaCertStore(List.of(leaf)));
    return gen.generate(new CMSProcessableByteArray(eContentType, tstInfo), true).getEncoded();
  }

  /** The leaf's subject key identifier. */
  byte[] leafKeyId() throws Exception {
    return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(leafKey.getPublic()).getKeyIdentifier();
  }

  static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate cert(String issuer, String subject, PublicKey key, PrivateKey issuerKey, long serial,
      Instant notBefore, Instant notAfter, boolean ca, boolean eku, boolean ekuCritical) throws Exception {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(serial), Date.from(notBefore), Date.from(notAfter), new X500Name(subject), key);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    if (ca) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    }
    if (eku) {
      b.addExtension(Extension.extendedKeyUsage, ekuCritical, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

}
