package dev.modelseal.core;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.X509EncodedKeySpec;

/**
 * Which keys cosign supports (EC P-256/P-384/P-521, RSA 2048-4096, Ed25519) and their default
 * signing algorithms, and the decoding of public keys, with the JDK only. Verifying needs nothing
 * else: no BouncyCastle class is loaded until a private key is read ({@code KeySupport}).
 */
final class SupportedKeys {
  private static final String ID_EC = "1.2.840.10045.2.1";
  private static final String ID_RSA = "1.2.840.113549.1.1.1";
  private static final String ID_ED25519 = "1.3.101.112";

  private SupportedKeys() {}

  /** Checks that the key is a kind cosign supports; returns it. */
  static <K extends Key> K checkSupported(K key) throws KeyFormatException {
    defaultAlgorithm(key);
    return key;
  }

  /** The algorithm cosign signs with for this key, or throws if the key is not supported. */
  static SigningAlgorithm defaultAlgorithm(Key key) throws KeyFormatException {
    if (key instanceof ECKey ec) {
      return switch (EcCurve.of(ec)) {
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
      return ecPublicKey(der, EcCurve.byOid(curveOid), keyBits);
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
  private static PublicKey ecPublicKey(byte[] der, EcCurve curve, byte[] bits) throws KeyFormatException {
    int size = curve.size();
    if (bits.length != 2 + 2 * size || bits[0] != 0 || bits[1] != 4) {
      throw new KeyFormatException("corrupt or unsupported EC public key (expected an uncompressed "
          + curve.jcaName + " point)");
    }
    ECPoint w = new ECPoint(new BigInteger(1, java.util.Arrays.copyOfRange(bits, 2, 2 + size)),
        new BigInteger(1, java.util.Arrays.copyOfRange(bits, 2 + size, bits.length)));
    EcPublicKey key = new EcPublicKey(w, curve.params(), der);
    requireOnCurve(key, curve);
    return key;
  }

  /** The JDK does not check that a decoded EC point lies on the curve; Go (and cosign) do. */
  private static void requireOnCurve(java.security.interfaces.ECPublicKey key, EcCurve curve)
      throws KeyFormatException {
    ECParameterSpec params = curve.params();
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

  /** The JCA name of a key algorithm OID, or throws if cosign does not support it. */
  static String jcaAlgorithm(String oid) throws KeyFormatException {
    return switch (oid) {
      case ID_EC -> "EC";
      case ID_RSA -> "RSA";
      case ID_ED25519 -> "Ed25519";
      default -> throw new KeyFormatException("unsupported key algorithm " + oid
          + " (supported: ECDSA P-256/P-384/P-521, RSA 2048-4096, Ed25519)");
    };
  }
}
