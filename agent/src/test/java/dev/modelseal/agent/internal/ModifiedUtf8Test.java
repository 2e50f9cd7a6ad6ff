package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes JNI's {@code GetStringUTFChars} gives native code, which a model string is verified as. */
class ModifiedUtf8Test {
  @Test
  void encode_asciiText_sameBytesAsUtf8() {
    String text = "tree\nTree=0\nleaf_value=0.5 -0.25\n";
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), ModifiedUtf8.encode(text));
    assertEquals(text.length(), ModifiedUtf8.length(text));
  }

  @Test
  void encode_basicMultilingualPlaneText_sameBytesAsUtf8() {
    String text = "feature_names=h\u00f6he \u0394 \u4e2d";
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), ModifiedUtf8.encode(text));
  }

  @Test
  void encode_nul_twoBytesC080NotAZero() {
    assertArrayEquals(new byte[] {'a', (byte) 0xC0, (byte) 0x80, 'b'}, ModifiedUtf8.encode("a\0b"));
  }

  @Test
  void encode_supplementaryCharacter_twoThreeByteSurrogatesNotFourBytes() {
    String smiley = "\uD83D\uDE00"; // U+1F600: UTF-8 F0 9F 98 80
    assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80},
        ModifiedUtf8.encode(smiley));
    assertEquals(6, ModifiedUtf8.length(smiley));
  }

  @Test
  void encode_mixedText_sameAsDataOutputWriteUtf() throws Exception {
    String text = "x\0y\u00e9\u4e2d\uD83D\uDE00\uDC00z"; // includes a lone low surrogate
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new DataOutputStream(out).writeUTF(text); // modified UTF-8 after a two-byte length
    byte[] expected = Arrays.copyOfRange(out.toByteArray(), 2, out.size());
    assertArrayEquals(expected, ModifiedUtf8.encode(text));
    assertEquals(expected.length, ModifiedUtf8.length(text));
  }
}
