package dev.modelseal.core;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
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

/** Key classification and conversion shared by the key readers, writers, signers and verifiers. */
final class KeySupport {
  /** The curves cosign accepts, with their JCA names. */
  enum Curve {
    P256("secp256r1", "1.2.840.10045.3.1.7",
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    P384("secp384r1", "1.3.132.0.34",
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
    P521("secp521r1", "1.3.132.0.35",
        "1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        "c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        "11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");

    final String jcaName;
    final String oid;
    final ECParameterSpec params;

    /** The curve's parameters (FIPS 186-4), without asking a JCA provider: no provider start-up cost. */
    Curve(String jcaName, String oid, String p, String b, String gx, String gy, String n) {
      this.jcaName = jcaName;
      this.oid = oid;
      BigInteger prime = new BigInteger(p, 16);
      this.params = new ECParameterSpec(
          new java.security.spec.EllipticCurve(new java.security.spec.ECFieldFp(prime),
              prime.subtract(BigInteger.valueOf(3)), new BigInteger(b, 16)),
          new ECPoint(new BigInteger(gx, 16), new BigInteger(gy, 16)), new BigInteger(n, 16), 1);
    }

    /** Field element size in bytes. */
    int size() {
      return (params.getCurve().getField().getFieldSize() + 7) / 8;
    }
  }

  private static final String ID_EC = "1.2.840.10045.2.1";
  private static final String ID_RSA = "1.2.840.113549.1.1.1";
  private static final String ID_ED25519 = "1.3.101.112";

  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private KeySupport() {}

  /** Returns the curve of an EC key, or throws if it is not P-256, P-384 or P-521. */
  static Curve curve(ECKey key) throws KeyFormatException {
    Curve c = curveOrNull(key);
    if (c == null) {
      throw new KeyFormatException(
          "unsupported elliptic curve of " + key.getParams().getCurve().getField().getFieldSize()
              + " bits (supported: P-256, P-384, P-521)");
    }
    return c;
  }

  /**
   * Returns the curve of an EC key, or null if it is not P-256, P-384 or P-521: the one check behind
   * {@code ModelSigner.EC_ONLY}, whose callers each throw their own exception.
   */
  static Curve curveOrNull(ECKey key) {
    ECParameterSpec p = key.getParams();
    for (Curve c : Curve.values()) {
      if (c.params.getOrder().equals(p.getOrder())
          && c.params.getCurve().equals(p.getCurve())
          && c.params.getGenerator().equals(p.getGenerator())) {
        return c;
      }
    }
    return null;
  }

  /** Checks that the key is a kind cosign supports; returns it. */
  static <K extends Key> K checkSupported(K key) throws KeyFormatException {
    defaultAlgorithm(key);
    return key;
  }

  static SigningAlgorithm defaultAlgorithm(Key key) throws KeyFormatException {
    if (key instanceof ECKey ec) {
      return switch (curve(ec)) {
        case P256 -> SigningAlgorithm.ECDSA_P256_SHA256;
        case P384 -> SigningAlgorithm.ECDSA_P384_SHA384;
        case P521 -> SigningAlgorithm.ECDSA_P521_SHA512;
      };
    }
    if (key instanceof RSAKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits != 2048 && bits != 3072 && bits != 4096) {
        throw new KeyFormatException(
            "unsupported RSA key size " + bits + " bits (supported: 2048, 3072, 4096)");
      }
      return SigningAlgorithm.RSA_PKCS1_SHA256;
    }
    if (key instanceof EdECKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
      return SigningAlgorithm.ED25519;
    }
    throw new KeyFormatException("unsupported key type " + key.getAlgorithm()
        + " (supported: ECDSA P-256/P-384/P-521, RSA 2048-4096, Ed25519)");
  }

  /** Parses a DER SubjectPublicKeyInfo into a supported public key, with the JDK only. */
  static PublicKey publicKeyFromSpki(byte[] der) throws KeyFormatException {
    String oid;
    String curveOid = null;
    byte[] keyBits;
    try {
      Der spki = Der.whole(der, Der.SEQUENCE);
      Der alg = spki.next(Der.SEQUENCE);
      oid = Der.dotted(alg.next(Der.OID).bytes());
      if (!alg.atEnd() && alg.peekTag() == Der.OID) {
        curveOid = Der.dotted(alg.next(Der.OID).bytes());
      }
      keyBits = spki.next(Der.BIT_STRING).bytes();
      spki.requireEnd();
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("corrupt public key: not a DER SubjectPublicKeyInfo");
    }
    String algorithm = jcaAlgorithm(oid);
    if ("EC".equals(algorithm)) {
      if (curveOid == null) {
        throw new KeyFormatException("unsupported EC key: the curve is not named");
      }
      return ecPublicKey(der, requireSupportedCurveOid(curveOid), keyBits);
    }
    // RSA or Ed25519 (never an ECPublicKey): the JDK decodes them, checkSupported checks them.
    try {
      return checkSupported(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
    } catch (KeyFormatException e) {
      throw e;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyFormatException("corrupt or unsupported " + algorithm + " public key");
    }
  }

  /**
   * Decodes an EC SubjectPublicKeyInfo without a JCA provider (the uncompressed point, as Go and
   * OpenSSL write it), so that reading keys costs no provider start-up; JCA providers accept the
   * result as any other {@code ECPublicKey}. {@code bits} is the content of the SPKI's BIT STRING.
   */
  private static PublicKey ecPublicKey(byte[] der, Curve curve, byte[] bits) throws KeyFormatException {
    int size = curve.size();
    if (bits.length != 2 + 2 * size || bits[0] != 0 || bits[1] != 4) {
      throw new KeyFormatException("corrupt or unsupported EC public key (expected an uncompressed "
          + curve.jcaName + " point)");
    }
    ECPoint w = new ECPoint(new BigInteger(1, java.util.Arrays.copyOfRange(bits, 2, 2 + size)),
        new BigInteger(1, java.util.Arrays.copyOfRange(bits, 2 + size, bits.length)));
    EcPublicKey key = new EcPublicKey(w, curve.params, der);
    requireOnCurve(key);
    return key;
  }

  /** The JDK does not check that a decoded EC point lies on the curve; Go (and cosign) do. */
  private static void requireOnCurve(java.security.interfaces.ECPublicKey key) throws KeyFormatException {
    ECParameterSpec params = curve(key).params;
    BigInteger p = ((java.security.spec.ECFieldFp) params.getCurve().getField()).getP();
    BigInteger x = key.getW().getAffineX();
    BigInteger y = key.getW().getAffineY();
    boolean inRange = x != null && y != null && x.signum() >= 0 && y.signum() >= 0
        && x.compareTo(p) < 0 && y.compareTo(p) < 0;
    if (!inRange || !y.multiply(y).subtract(x.pow(3).add(params.getCurve().getA().multiply(x))
        .add(params.getCurve().getB())).mod(p).equals(BigInteger.ZERO)) {
      throw new KeyFormatException("corrupt EC public key: the point is not on the curve");
    }
  }

  /** Parses PKCS#8 PrivateKeyInfo (v1 or v2) into a supported private key. */
  static PrivateKey privateKeyFromPkcs8(byte[] der) throws KeyFormatException {
    PrivateKeyInfo info;
    String algorithm;
    try {
      info = PrivateKeyInfo.getInstance(der);
      algorithm = jcaAlgorithm(info.getPrivateKeyAlgorithm().getAlgorithm().getId());
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
      return checkSupported(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
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
      requireSupportedCurveOid(oid.getId());
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
        Curve c = curve(ec);
        org.bouncycastle.math.ec.ECPoint q =
            CustomNamedCurves.getByOID(new ASN1ObjectIdentifier(c.oid)).getG().multiply(ec.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, c.params));
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
      requireSupportedCurveOid(oid.getId());
    }
  }

  /** Returns the curve named by {@code oid}, or throws if it is not P-256, P-384 or P-521. */
  private static Curve requireSupportedCurveOid(String oid) throws KeyFormatException {
    for (Curve c : Curve.values()) {
      if (c.oid.equals(oid)) {
        return c;
      }
    }
    throw new KeyFormatException(
        "unsupported elliptic curve " + curveName(oid) + " (supported: P-256, P-384, P-521)");
  }

  private static String curveName(String oid) {
    return switch (oid) {
      case "1.3.132.0.33" -> "P-224";
      case "1.3.132.0.10" -> "secp256k1";
      default -> oid;
    };
  }

  private static String jcaAlgorithm(String oid) throws KeyFormatException {
    return switch (oid) {
      case ID_EC -> "EC";
      case ID_RSA -> "RSA";
      case ID_ED25519 -> "Ed25519";
      default -> throw new KeyFormatException("unsupported key algorithm " + oid
          + " (supported: ECDSA P-256/P-384/P-521, RSA 2048-4096, Ed25519)");
    };
  }
}
