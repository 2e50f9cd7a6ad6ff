package dev.modelseal.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keyless bundles made in code for the orchestration tests: a Fulcio-like leaf certificate (SAN URI,
 * issuer extension, EKU codeSigning) for a fresh key, signed by a made-up CA, and Sigstore bundle JSON
 * around a message signature or a DSSE envelope. Log entries are placeholders: the tests replace the
 * log, timestamp and certificate verifications ({@link KeylessSteps}).
 */
final class KeylessFixtures {
  static final String SAN = "https://github.com/example/repo/.github/workflows/release.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final Instant SIGNED_AT = Instant.parse("2026-01-02T03:04:05Z");
  static final byte[] ARTIFACT = "a keyless artifact\n".getBytes(StandardCharsets.UTF_8);

  final KeyPair signer;
  final KeyPair ca;
  final X509Certificate leaf;
  final X509Certificate caCert;

  KeylessFixtures(String curve) throws Exception {
    this.signer = ec(curve);
    this.ca = ec("secp256r1");
    this.caCert = certificate("CN=made-up root", ca, "CN=made-up root", ca.getPrivate(), false);
    this.leaf = certificate("CN=made-up root", signer, "", ca.getPrivate(), true);
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  static X509Certificate certificate(String issuer, KeyPair subjectKeys, String subject, PrivateKey issuerKey,
      boolean fulcioLeaf) throws Exception {
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(System.nanoTime()), Date.from(SIGNED_AT.minusSeconds(60)),
        Date.from(SIGNED_AT.plusSeconds(540)), new X500Name(subject), subjectKeys.getPublic());
    if (fulcioLeaf) {
      b.addExtension(Extension.subjectAlternativeName, true,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, SAN)));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8"), false, new DERUTF8String(ISSUER));
    }
    String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
  }

  /** The DER ECDSA signature of {@code data} by the signer, with the curve's hash. */
  byte[] sign(String jcaAlgorithm, byte[] data) throws Exception {
    Signature s = Signature.getInstance(jcaAlgorithm);
    s.initSign(signer.getPrivate());
    s.update(data);
    return s.sign();
  }

  static byte[] digest(String alg, byte[] data) throws Exception {
    return MessageDigest.getInstance(alg).digest(data);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** {@code "certificate":{...}} with the leaf, or an {@code x509CertificateChain} of {@code chain}. */
  String certificateMaterial() throws Exception {
    return "\"certificate\":{\"rawBytes\":\"" + b64(leaf.getEncoded()) + "\"}";
  }

  static String chainMaterial(List<X509Certificate> chain) throws Exception {
    List<String> certs = new ArrayList<>();
    for (X509Certificate c : chain) {
      certs.add("{\"rawBytes\":\"" + b64(c.getEncoded()) + "\"}");
    }
    return "\"x509CertificateChain\":{\"certificates\":[" + String.join(",", certs) + "]}";
  }

  /** A bundle around a message signature; {@code digestName}/{@code digest} null for no messageDigest. */
  static String messageBundle(String mediaType, String material, String digestName, byte[] digest,
      byte[] signature) {
    String md = digestName == null ? "" : "\"messageDigest\":{\"algorithm\":\"" + digestName + "\",\"digest\":\""
        + b64(digest) + "\"},";
    return "{\"mediaType\":\"" + mediaType + "\",\"verificationMaterial\":{" + material
        + ",\"tlogEntries\":[{\"logIndex\":\"1\"}]},\"messageSignature\":{" + md + "\"signature\":\""
        + b64(signature) + "\"}}";
  }

  /** A v0.3 bundle around a DSSE envelope with one signature. */
  static String dsseBundle(String material, String payloadType, byte[] payload, byte[] signature) {
    return "{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE + "\",\"verificationMaterial\":{" + material
        + ",\"tlogEntries\":[{\"logIndex\":\"1\"}]},\"dsseEnvelope\":{\"payload\":\"" + b64(payload)
        + "\",\"payloadType\":\"" + payloadType + "\",\"signatures\":[{\"sig\":\"" + b64(signature) + "\"}]}}";
  }

  /** An in-toto statement with one subject of the given sha256. */
  static byte[] statement(byte[] sha256) {
    return ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"artifact\",\"digest\":"
        + "{\"sha256\":\"" + java.util.HexFormat.of().formatHex(sha256) + "\"}}],"
        + "\"predicateType\":\"https://example.com/predicate\",\"predicate\":{}}").getBytes(StandardCharsets.UTF_8);
  }

  static SignatureMaterial parse(String json) throws VerificationException {
    return SignatureMaterial.parseBundle(json.getBytes(StandardCharsets.UTF_8));
  }
}
