package dev.modelseal.core;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305) in Go's {@code secretbox.Seal} layout:
 * 16-byte Poly1305 tag followed by the XSalsa20 ciphertext. BouncyCastle is used as a library only.
 */
final class SecretBox {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 24;
  static final int TAG_BYTES = 16;

  private SecretBox() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
    XSalsa20Engine xsalsa = cipher(key, nonce);
    byte[] polyKey = keystream(xsalsa);
    byte[] out = new byte[TAG_BYTES + plaintext.length];
    xsalsa.processBytes(plaintext, 0, plaintext.length, out, TAG_BYTES);
    byte[] tag = mac(polyKey, out, TAG_BYTES, plaintext.length);
    System.arraycopy(tag, 0, out, 0, TAG_BYTES);
    Arrays.fill(polyKey, (byte) 0);
    return out;
  }

  /** Returns the plaintext, or {@code null} when the tag does not verify (wrong key or corruption). */
  static byte[] open(byte[] key, byte[] nonce, byte[] box) {
    if (box.length < TAG_BYTES) {
      return null;
    }
    XSalsa20Engine xsalsa = cipher(key, nonce);
    byte[] polyKey = keystream(xsalsa);
    int n = box.length - TAG_BYTES;
    byte[] expected = mac(polyKey, box, TAG_BYTES, n);
    Arrays.fill(polyKey, (byte) 0);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
      return null;
    }
    byte[] plain = new byte[n];
    xsalsa.processBytes(box, TAG_BYTES, n, plain, 0);
    return plain;
  }

  private static XSalsa20Engine cipher(byte[] key, byte[] nonce) {
    XSalsa20Engine xsalsa = new XSalsa20Engine();
    xsalsa.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return xsalsa;
  }

  private static byte[] keystream(XSalsa20Engine xsalsa) {
    byte[] polyKey = new byte[32];
    xsalsa.processBytes(new byte[32], 0, 32, polyKey, 0);
    return polyKey;
  }

  private static byte[] mac(byte[] polyKey, byte[] data, int off, int len) {
    Poly1305 poly = new Poly1305();
    poly.init(new KeyParameter(polyKey));
    poly.update(data, off, len);
    byte[] tag = new byte[TAG_BYTES];
    poly.doFinal(tag, 0);
    return tag;
  }
}
