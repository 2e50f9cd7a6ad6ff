package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PEM edge cases found by fuzzing (KeyFuzzTest). */
class PemTest {
  @Test
  void decode_endLineSharingTheBeginLinesDashes_truncatedNotIndexError() {
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> Pem.decode("-----BEGIN A-----END A-----\n".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("truncated PEM file: no -----END A----- line", e.getMessage());
  }

  @Test
  void decode_emptyBodyBetweenLines_emptyBlock() {
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> Pem.decode("-----BEGIN A----------END A-----\n".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("empty PEM block A", e.getMessage());
  }
}
