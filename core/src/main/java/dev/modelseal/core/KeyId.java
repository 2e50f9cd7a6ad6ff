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

  /**
   * Returns SHA-256 of the key's SubjectPublicKeyInfo DER (32 bytes). Computed with BouncyCastle's
   * lightweight digest so that naming a key does not start the JCA providers (agent start-up).
   */
  public static byte[] sha256(PublicKey key) {
    byte[] der = key.getEncoded();
    org.bouncycastle.crypto.digests.SHA256Digest d = new org.bouncycastle.crypto.digests.SHA256Digest();
    d.update(der, 0, der.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
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
