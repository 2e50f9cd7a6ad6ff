package dev.modelseal.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Writes keys in the formats cosign writes: PKIX {@code PUBLIC KEY} PEM byte-identical to
 * {@code cosign generate-key-pair}'s {@code .pub}, and {@code ENCRYPTED SIGSTORE PRIVATE KEY} PEM
 * (scrypt N=65536, r=8, p=1; NaCl secretbox; PKCS#8 plaintext; compact JSON in Go's field order).
 */
public final class CosignKeyWriter {
  /** The scrypt cost cosign 2.2 and later writes. */
  public static final int SCRYPT_N = 65536;

  private static final SecureRandom RANDOM = new SecureRandom();

  private CosignKeyWriter() {}

  /** Generates an ECDSA P-256 key pair, the only kind {@code cosign generate-key-pair} makes. */
  public static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
    }
  }

  /** Returns the PEM {@code PUBLIC KEY} text: 64-column base64, LF line ends, final LF. */
  public static String publicKeyPem(PublicKey key) {
    return Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  /**
   * Returns the private key encrypted under {@code password} in cosign's format. The password may be
   * empty; cosign treats the empty password like any other.
   *
   * @throws KeyFormatException if the key type, curve or size is not one cosign supports
   */
  public static String encryptedPrivateKeyPem(PrivateKey key, byte[] password) throws KeyFormatException {
    SupportedKeys.checkSupported(key);
    byte[] pkcs8 = canonicalPkcs8(key);
    byte[] salt = new byte[32];
    byte[] nonce = new byte[SecretBox.NONCE_BYTES];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    byte[] secret = SCrypt.generate(password, salt, SCRYPT_N, 8, 1, SecretBox.KEY_BYTES);
    byte[] box;
    try {
      box = SecretBox.seal(secret, nonce, pkcs8);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(pkcs8, (byte) 0);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("N", SCRYPT_N);
    params.put("r", 8);
    params.put("p", 1);
    Map<String, Object> kdf = new LinkedHashMap<>();
    kdf.put("name", "scrypt");
    kdf.put("params", params);
    kdf.put("salt", b64.encodeToString(salt));
    Map<String, Object> cipher = new LinkedHashMap<>();
    cipher.put("name", "nacl/secretbox");
    cipher.put("nonce", b64.encodeToString(nonce));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("kdf", kdf);
    doc.put("cipher", cipher);
    doc.put("ciphertext", b64.encodeToString(box));
    return Pem.encode(CosignKeyReader.SIGSTORE_LABEL, JsonWriter.write(doc).getBytes(StandardCharsets.UTF_8));
  }

  /** PKCS#8 in the layout Go writes (for EC: SEC1 with the public key, without curve parameters). */
  private static byte[] canonicalPkcs8(PrivateKey key) throws KeyFormatException {
    byte[] der = key.getEncoded();
    if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
      return der;
    }
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
      EcCurve curve = EcCurve.of(ec);
      java.security.interfaces.ECPublicKey pub =
          (java.security.interfaces.ECPublicKey) KeySupport.publicKeyOf(key);
      int size = curve.size();
      byte[] point = new byte[1 + 2 * size];
      point[0] = 4;
      copyFixed(pub.getW().getAffineX(), point, 1, size);
      copyFixed(pub.getW().getAffineY(), point, 1 + size, size);
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
          size * 8, ec.getS(), new org.bouncycastle.asn1.DERBitString(point), null);
      return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), sec1).getEncoded();
    } catch (java.io.IOException e) {
      throw new KeyFormatException("cannot encode the private key", e);
    }
  }

  private static void copyFixed(java.math.BigInteger v, byte[] out, int off, int size) {
    byte[] b = v.toByteArray();
    int skip = b.length > size ? b.length - size : 0;
    System.arraycopy(b, skip, out, off + size - (b.length - skip), b.length - skip);
  }
}
