package dev.modelseal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.generators.SCrypt;

/** Key and file fixtures generated in code, plus a test-only opener for cosign key envelopes. */
final class TestKeys {
  private TestKeys() {}

  /**
   * Generates a key pair: P-256, P-384, P-521, RSA-1024, RSA-2048 or Ed25519; or P-224, which no
   * signer or verifier accepts, from a BouncyCastle provider instance (never registered).
   */
  static KeyPair generate(String kind) {
    try {
      KeyPairGenerator g;
      switch (kind) {
        case "P-256", "P-384", "P-521" -> {
          g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp" + kind.substring(2) + "r1"));
        }
        case "P-224" -> {
          g = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
          g.initialize(new ECGenParameterSpec("secp224r1"));
        }
        case "RSA-1024", "RSA-2048" -> {
          g = KeyPairGenerator.getInstance("RSA");
          g.initialize(Integer.parseInt(kind.substring(4)));
        }
        case "Ed25519" -> g = KeyPairGenerator.getInstance("Ed25519");
        default -> throw new IllegalArgumentException(kind);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path write(Path dir, String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path dir, String name, String content) {
    return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Decrypts a cosign key envelope independently of CosignKeyReader and returns the plaintext. */
  static byte[] openEnvelope(byte[] pem, byte[] password) throws Exception {
    Map<?, ?> doc = envelope(pem);
    Map<?, ?> kdf = (Map<?, ?>) doc.get("kdf");
    Map<?, ?> params = (Map<?, ?>) kdf.get("params");
    Map<?, ?> cipher = (Map<?, ?>) doc.get("cipher");
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] key = SCrypt.generate(password, b64.decode((String) kdf.get("salt")),
        number(params, "N"), number(params, "r"), number(params, "p"), 32);
    byte[] plain = SecretBox.open(key, b64.decode((String) cipher.get("nonce")),
        b64.decode((String) doc.get("ciphertext")));
    if (plain == null) {
      throw new IllegalStateException("secretbox did not open");
    }
    return plain;
  }

  /** The envelope JSON text of an encrypted cosign key PEM. */
  static String envelopeJson(byte[] pem) throws Exception {
    return new String(Pem.decode(pem).der(), StandardCharsets.UTF_8);
  }

  /** Re-wraps an edited envelope JSON into a PEM with the given label. */
  static byte[] rewrap(String label, String json) {
    return Pem.encode(label, json.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<?, ?> envelope(byte[] pem) throws Exception {
    return (Map<?, ?>) Json.parse(envelopeJson(pem));
  }

  private static int number(Map<?, ?> m, String name) {
    return ((java.math.BigDecimal) m.get(name)).intValueExact();
  }
}
