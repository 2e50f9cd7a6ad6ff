package dev.modelseal.core;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Private keys: reading PKCS#8, SEC1 and PKCS#1 (with BouncyCastle's ASN.1, as a library) and deriving
 * the public key. Public keys and key classification are in {@link SupportedKeys}, with the JDK only.
 */
final class KeySupport {
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private KeySupport() {}

  /** Parses PKCS#8 PrivateKeyInfo (v1 or v2) into a supported private key. */
  static PrivateKey privateKeyFromPkcs8(byte[] der) throws KeyFormatException {
    PrivateKeyInfo info;
    String algorithm;
    try {
      info = PrivateKeyInfo.getInstance(der);
      algorithm = SupportedKeys.jcaAlgorithm(info.getPrivateKeyAlgorithm().getAlgorithm().getId());
      requireSupportedCurve(info.getPrivateKeyAlgorithm());
      if ("Ed25519".equals(algorithm) && (info.hasPublicKey() || info.getAttributes() != null)) {
        // Normalise OneAsymmetricKey (v2) to the v1 form every JDK reads.
        info = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey());
      }
      der = info.getEncoded();
    } catch (KeyFormatException e) {
      throw e;
    } catch (Exception e) {
      throw new KeyFormatException("corrupt private key: not a DER PKCS#8 PrivateKeyInfo");
    }
    try {
      return SupportedKeys.checkSupported(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (KeyFormatException e) {
      throw e;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyFormatException("corrupt or unsupported " + algorithm + " private key");
    }
  }

  /** Parses a SEC1 {@code EC PRIVATE KEY} (named curve) into a private key. */
  static PrivateKey privateKeyFromSec1(byte[] der) throws KeyFormatException {
    byte[] pkcs8;
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(der);
      if (!(sec1.getParametersObject() instanceof ASN1ObjectIdentifier oid)) {
        throw new KeyFormatException("unsupported EC private key: the curve is not named");
      }
      EcCurve.byOid(oid.getId());
      pkcs8 = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, oid), sec1)
          .getEncoded();
    } catch (KeyFormatException e) {
      throw e;
    } catch (Exception e) {
      throw new KeyFormatException("corrupt EC private key: not DER SEC1");
    }
    return privateKeyFromPkcs8(pkcs8);
  }

  /** Parses a PKCS#1 {@code RSA PRIVATE KEY} into a private key. */
  static PrivateKey privateKeyFromPkcs1(byte[] der) throws KeyFormatException {
    byte[] pkcs8;
    try {
      pkcs8 = new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
              RSAPrivateKey.getInstance(der))
          .getEncoded();
    } catch (Exception e) {
      throw new KeyFormatException("corrupt RSA private key: not DER PKCS#1");
    }
    return privateKeyFromPkcs8(pkcs8);
  }

  /** Derives the public key of a supported private key. */
  static PublicKey publicKeyOf(PrivateKey key) throws KeyFormatException {
    try {
      if (key instanceof ECPrivateKey ec) {
        EcCurve c = EcCurve.of(ec);
        org.bouncycastle.math.ec.ECPoint q =
            CustomNamedCurves.getByOID(new ASN1ObjectIdentifier(c.oid)).getG().multiply(ec.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, c.params()));
      }
      if (key instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (key instanceof EdECPrivateKey ed && ed.getBytes().isPresent()) {
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(ed.getBytes().get(), 0, pk, 0);
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + pk.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(pk, 0, spki, ED25519_SPKI_PREFIX.length, pk.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      }
    } catch (GeneralSecurityException e) {
      throw new KeyFormatException("cannot derive the public key: " + e.getMessage(), e);
    }
    throw new KeyFormatException("unsupported private key type " + key.getAlgorithm());
  }

  private static void requireSupportedCurve(AlgorithmIdentifier id) throws KeyFormatException {
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(id.getAlgorithm())) {
      if (!(id.getParameters() instanceof ASN1ObjectIdentifier oid)) {
        throw new KeyFormatException("unsupported EC key: the curve is not named");
      }
      EcCurve.byOid(oid.getId());
    }
  }
}
