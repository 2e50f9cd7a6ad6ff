package dev.modelseal.core;

import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Identifies a public key the way Sigstore does: SHA-256 of its DER SubjectPublicKeyInfo.
 *
 * <p>The hex form is what ModelSeal logs and prints; the base64 form is the {@code publicKey.hint}
 * of a Sigstore bundle. A key id names a key; it never proves anything by itself.
 */
public final class KeyId {
  private KeyId() {}

  /** Returns SHA-256 of the key's SubjectPublicKeyInfo DER (32 bytes). */
  public static byte[] sha256(PublicKey key) {
    // The JDK's digest, not BouncyCastle's: BouncyCastle's registrar starts java.util.logging,
    // which an agent must not do before the application configures it.
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Returns the key id as 64 lower-case hex characters. */
  public static String hex(PublicKey key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  /** Returns the key id as standard base64 with padding, the form of a bundle's {@code hint}. */
  public static String hint(PublicKey key) {
    return Base64.getEncoder().encodeToString(sha256(key));
  }
}
