package dev.modelseal.core;

import java.math.BigInteger;
import java.security.interfaces.ECKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * The elliptic curves cosign accepts (P-256, P-384, P-521), with their JCA names, OIDs and
 * parameters, built from the standard's constants with the JDK only: naming a curve asks no JCA
 * provider and loads no BouncyCastle class.
 */
enum EcCurve {
  P256("secp256r1", "1.2.840.10045.3.1.7", 256,
      "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
      "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
      "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
      "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
  P384("secp384r1", "1.3.132.0.34", 384,
      "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
      "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
      "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
      "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
      "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
  P521("secp521r1", "1.3.132.0.35", 521,
      "1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
      "c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
      "11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
      "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");

  final String jcaName;
  final String oid;
  /** Field size in bits. */
  final int bits;
  private final String[] hex; // p, b, gx, gy, n
  private volatile ECParameterSpec params;

  /**
   * The curve's constants (FIPS 186-4), as hex. Its parameters are built on first use, per curve: a
   * JVM that only ever sees P-256 keys does not parse P-384's and P-521's numbers at start-up.
   */
  EcCurve(String jcaName, String oid, int bits, String p, String b, String gx, String gy, String n) {
    this.jcaName = jcaName;
    this.oid = oid;
    this.bits = bits;
    this.hex = new String[] {p, b, gx, gy, n};
  }

  /** The curve's parameters, built without asking a JCA provider: no provider start-up cost. */
  ECParameterSpec params() {
    ECParameterSpec ps = params;
    if (ps == null) {
      BigInteger prime = new BigInteger(hex[0], 16);
      ps = new ECParameterSpec(
          new java.security.spec.EllipticCurve(new java.security.spec.ECFieldFp(prime),
              prime.subtract(BigInteger.valueOf(3)), new BigInteger(hex[1], 16)),
          new ECPoint(new BigInteger(hex[2], 16), new BigInteger(hex[3], 16)), new BigInteger(hex[4], 16), 1);
      params = ps; // immutable, so a race only builds it twice
    }
    return ps;
  }

  /** Field element size in bytes. */
  int size() {
    return (bits + 7) / 8;
  }

  /** Returns the curve of an EC key, or throws if it is not P-256, P-384 or P-521. */
  static EcCurve of(ECKey key) throws KeyFormatException {
    EcCurve c = orNull(key);
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
  static EcCurve orNull(ECKey key) {
    ECParameterSpec p = key.getParams();
    int bits = p.getCurve().getField().getFieldSize();
    for (EcCurve c : values()) {
      if (c.bits == bits && c.params().getOrder().equals(p.getOrder())
          && c.params().getCurve().equals(p.getCurve())
          && c.params().getGenerator().equals(p.getGenerator())) {
        return c;
      }
    }
    return null;
  }

  /** Returns the curve named by {@code oid}, or throws if it is not P-256, P-384 or P-521. */
  static EcCurve byOid(String oid) throws KeyFormatException {
    for (EcCurve c : values()) {
      if (c.oid.equals(oid)) {
        return c;
      }
    }
    throw new KeyFormatException(
        "unsupported elliptic curve " + name(oid) + " (supported: P-256, P-384, P-521)");
  }

  private static String name(String oid) {
    return switch (oid) {
      case "1.3.132.0.33" -> "P-224";
      case "1.3.132.0.10" -> "secp256k1";
      default -> oid;
    };
  }
}
