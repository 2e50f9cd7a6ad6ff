package dev.modelseal.agent.internal;

/**
 * JNI's modified UTF-8: the bytes native code reads from a Java string through {@code GetStringUTFChars}, which is
 * how SWIG hands a {@code String} to a C {@code const char*} (LightGBM's {@code LGBM_BoosterLoadModelFromString}).
 * It is standard UTF-8 for every character except two: U+0000 becomes {@code C0 80} (so the C string has no NUL
 * inside), and a character outside the Basic Multilingual Plane becomes its two UTF-16 surrogates, three bytes
 * each, instead of one four-byte sequence. A model string is verified as these bytes, never as
 * {@code getBytes(UTF_8)}: a text with a NUL or a supplementary character reaches native code as other bytes than
 * its UTF-8 form, and must match a signed file that holds exactly those.
 */
final class ModifiedUtf8 {
  private ModifiedUtf8() {}

  /** The number of bytes {@link #encode} returns for {@code s} (a long: up to three per character). */
  static long length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      n += width(s.charAt(i));
    }
    return n;
  }

  /**
   * Encodes {@code s} as JNI does; the caller has checked that {@link #length} fits in an array.
   *
   * @throws IllegalArgumentException if the encoding is longer than the largest array
   */
  static byte[] encode(String s) {
    long n = length(s);
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("string of " + n + " modified UTF-8 bytes is too long for an array");
    }
    byte[] out = new byte[(int) n];
    int at = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (width(c)) {
        case 1 -> out[at++] = (byte) c;
        case 2 -> {
          out[at++] = (byte) (0xC0 | (c >> 6));
          out[at++] = (byte) (0x80 | (c & 0x3F));
        }
        default -> {
          out[at++] = (byte) (0xE0 | (c >> 12));
          out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          out[at++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }
    return out;
  }

  private static int width(char c) {
    if (c != 0 && c < 0x80) {
      return 1;
    }
    return c < 0x800 ? 2 : 3;
  }
}
