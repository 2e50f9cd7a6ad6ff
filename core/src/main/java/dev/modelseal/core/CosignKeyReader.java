package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Reads the key files cosign reads and writes.
 *
 * <ul>
 *   <li>Public keys: PEM {@code PUBLIC KEY} (PKIX SubjectPublicKeyInfo) for ECDSA P-256/P-384/P-521,
 *       RSA 2048/3072/4096 and Ed25519.
 *   <li>Private keys: cosign's encrypted format (labels {@code ENCRYPTED SIGSTORE PRIVATE KEY} and
 *       {@code ENCRYPTED COSIGN PRIVATE KEY}; scrypt with N of 32768, 65536 or 131072, r=8, p=1; NaCl
 *       secretbox; PKCS#8 plaintext only, as cosign), and unencrypted PEM {@code PRIVATE KEY} (PKCS#8),
 *       {@code EC PRIVATE KEY} (SEC1) and {@code RSA PRIVATE KEY} (PKCS#1).
 * </ul>
 *
 * <p>Every method throws {@link KeyFormatException} with a one-line message for anything it cannot
 * use: not PEM, corrupt or truncated, a wrong password, an unsupported curve or key size. Key files
 * larger than {@link #MAX_KEY_FILE_BYTES} are refused before they are parsed.
 */
public final class CosignKeyReader {
  /** Largest key file read: 64 KiB (a 4096-bit RSA key is under 4 KiB). */
  public static final int MAX_KEY_FILE_BYTES = 64 * 1024;

  static final String SIGSTORE_LABEL = "ENCRYPTED SIGSTORE PRIVATE KEY";
  static final String COSIGN_LABEL = "ENCRYPTED COSIGN PRIVATE KEY";

  private CosignKeyReader() {}

  /**
   * Reads a PEM {@code PUBLIC KEY}.
   *
   * @throws KeyFormatException if it is not a supported public key
   */
  public static PublicKey readPublicKey(byte[] pem) throws KeyFormatException {
    Pem.Block block = Pem.decode(pem);
    if (!"PUBLIC KEY".equals(block.label())) {
      throw new KeyFormatException(
          "expected a PEM PUBLIC KEY, found " + block.label());
    }
    return SupportedKeys.publicKeyFromSpki(block.der());
  }

  /**
   * Reads a public key file, bounded by {@link #MAX_KEY_FILE_BYTES}.
   *
   * @throws IOException if the file cannot be read
   * @throws KeyFormatException if it is too large or not a supported public key
   */
  public static PublicKey readPublicKey(Path file) throws IOException, KeyFormatException {
    return readPublicKey(readBounded(file));
  }

  /** Returns true if the PEM is one of cosign's encrypted private key blocks. */
  public static boolean isEncrypted(byte[] pem) {
    String s = new String(pem, StandardCharsets.US_ASCII);
    return s.contains("-----BEGIN " + SIGSTORE_LABEL + "-----")
        || s.contains("-----BEGIN " + COSIGN_LABEL + "-----");
  }

  /**
   * Reads a private key: cosign-encrypted (decrypted with {@code password}) or unencrypted PEM (the
   * password is then ignored).
   *
   * @throws KeyFormatException if the password is wrong, or the file is corrupt or unsupported
   */
  public static PrivateKey readPrivateKey(byte[] pem, byte[] password) throws KeyFormatException {
    Pem.Block block = Pem.decode(pem);
    switch (block.label()) {
      case SIGSTORE_LABEL, COSIGN_LABEL -> {
        byte[] pkcs8 = decrypt(block.der(), password);
        try {
          return KeySupport.privateKeyFromPkcs8(pkcs8);
        } catch (KeyFormatException e) {
          throw new KeyFormatException("encrypted key does not hold a PKCS#8 private key: " + e.getMessage());
        } finally {
          Arrays.fill(pkcs8, (byte) 0);
        }
      }
      case "PRIVATE KEY" -> {
        return KeySupport.privateKeyFromPkcs8(block.der());
      }
      case "EC PRIVATE KEY" -> {
        return KeySupport.privateKeyFromSec1(block.der());
      }
      case "RSA PRIVATE KEY" -> {
        return KeySupport.privateKeyFromPkcs1(block.der());
      }
      default -> throw new KeyFormatException("unsupported private key PEM type " + block.label());
    }
  }

  /** Reads a private key file, bounded by {@link #MAX_KEY_FILE_BYTES}; see {@link #readPrivateKey(byte[], byte[])}. */
  public static PrivateKey readPrivateKey(Path file, byte[] password) throws IOException, KeyFormatException {
    return readPrivateKey(readBounded(file), password);
  }

  /**
   * Returns the public key of a private key.
   *
   * @throws KeyFormatException if the key type is not supported
   */
  public static PublicKey publicKeyOf(PrivateKey key) throws KeyFormatException {
    return KeySupport.publicKeyOf(key);
  }

  static byte[] readBounded(Path file) throws IOException, KeyFormatException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a key file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
      if (data.length > MAX_KEY_FILE_BYTES) {
        throw new KeyFormatException(file + " is larger than " + MAX_KEY_FILE_BYTES + " bytes: not a key file");
      }
      return data;
    }
  }

  private static byte[] decrypt(byte[] envelope, byte[] password) throws KeyFormatException {
    Envelope e = envelope(envelope);
    byte[] key = SCrypt.generate(password, e.salt(), e.n(), e.r(), e.p(), SecretBox.KEY_BYTES);
    try {
      byte[] plain = SecretBox.open(key, e.nonce(), e.box());
      if (plain == null) {
        throw new KeyFormatException("decryption failed: wrong password or corrupt key file");
      }
      return plain;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The fields of cosign's encrypted key envelope, checked but not decrypted. */
  record Envelope(byte[] salt, int n, int r, int p, byte[] nonce, byte[] box) {}

  /**
   * Reads an encrypted key's JSON envelope: every check before the (costly) scrypt derivation.
   *
   * @throws KeyFormatException if it is not the envelope cosign writes, with supported parameters
   */
  static Envelope envelope(byte[] envelope) throws KeyFormatException {
    Map<String, Object> doc;
    try {
      if (!(Json.parse(new String(envelope, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
        throw new KeyFormatException("corrupt encrypted key: not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> cast = (Map<String, Object>) m;
      doc = cast;
    } catch (Json.ParseException e) {
      throw new KeyFormatException("corrupt encrypted key: " + e.getMessage());
    }
    Map<String, Object> kdf = object(doc, "kdf");
    Map<String, Object> cipher = object(doc, "cipher");
    if (!"scrypt".equals(kdf.get("name"))) {
      throw new KeyFormatException("unsupported key derivation \"" + kdf.get("name") + "\" (expected scrypt)");
    }
    if (!"nacl/secretbox".equals(cipher.get("name"))) {
      throw new KeyFormatException("unsupported cipher \"" + cipher.get("name") + "\" (expected nacl/secretbox)");
    }
    Map<String, Object> params = object(kdf, "params");
    int n = integer(params, "N");
    int r = integer(params, "r");
    int p = integer(params, "p");
    if ((n != 32768 && n != 65536 && n != 131072) || r != 8 || p != 1) {
      throw new KeyFormatException(
          "unsupported scrypt parameters N=" + n + ", r=" + r + ", p=" + p
              + " (supported: N of 32768, 65536 or 131072 with r=8, p=1)");
    }
    byte[] salt = bytes(kdf, "salt");
    byte[] nonce = bytes(cipher, "nonce");
    byte[] box = bytes(doc, "ciphertext");
    if (nonce.length != SecretBox.NONCE_BYTES) {
      throw new KeyFormatException("corrupt encrypted key: nonce is " + nonce.length + " bytes, expected 24");
    }
    return new Envelope(salt, n, r, p, nonce, box);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> m, String name) throws KeyFormatException {
    if (m.get(name) instanceof Map<?, ?> v) {
      return (Map<String, Object>) v;
    }
    throw new KeyFormatException("corrupt encrypted key: \"" + name + "\" is missing or not an object");
  }

  private static int integer(Map<String, Object> m, String name) throws KeyFormatException {
    if (m.get(name) instanceof BigDecimal v) {
      try {
        return v.intValueExact();
      } catch (ArithmeticException e) {
        // fall through
      }
    }
    throw new KeyFormatException("corrupt encrypted key: scrypt \"" + name + "\" is not an integer");
  }

  private static byte[] bytes(Map<String, Object> m, String name) throws KeyFormatException {
    if (m.get(name) instanceof String v) {
      try {
        return Base64.getDecoder().decode(v);
      } catch (IllegalArgumentException e) {
        throw new KeyFormatException("corrupt encrypted key: \"" + name + "\" is not valid base64");
      }
    }
    throw new KeyFormatException("corrupt encrypted key: \"" + name + "\" is missing");
  }
}
