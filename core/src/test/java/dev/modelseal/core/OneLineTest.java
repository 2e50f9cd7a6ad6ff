package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.core.VerificationException.Reason;
import org.junit.jupiter.api.Test;

/** Exception messages stay one bounded line whatever untrusted text they quote (found by fuzzing). */
class OneLineTest {
  @Test
  void verificationException_quotedLineBreaks_becomeSpaces() {
    assertEquals("unsupported bundle media type a b  c",
        new VerificationException(Reason.UNSUPPORTED, "unsupported bundle media type a\nb\r\u0000c").getMessage());
  }

  @Test
  void keyFormatException_pemLabelWithLineBreak_oneLine() {
    KeyFormatException e = org.junit.jupiter.api.Assertions.assertThrows(KeyFormatException.class,
        () -> CosignKeyReader.readPublicKey("-----BEGIN PUB\nLIC-----\nMAA=\n-----END PUB\nLIC-----\n".getBytes()));
    assertEquals("expected a PEM PUBLIC KEY, found PUB LIC", e.getMessage());
  }

  @Test
  void keyFormatException_longMessage_cutToBoundWithEllipsis() {
    String m = new KeyFormatException("x".repeat(5000)).getMessage();
    assertEquals("x".repeat(OneLine.MAX_CHARS) + "...", m);
  }

  @Test
  void of_null_null() {
    assertEquals(null, OneLine.of(null));
  }
}
