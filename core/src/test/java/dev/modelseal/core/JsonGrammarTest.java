package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written grammar checks that replaced regular expressions on the start path. */
class JsonGrammarTest {
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  @Test
  void isNumber_randomStringsOfNumberCharacters_agreesWithRfc8259Regex() {
    Random r = new Random(7);
    String alphabet = "0123456789.eE+-";
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = r.nextInt(8); n >= 0; n--) {
        b.append(alphabet.charAt(r.nextInt(r.nextBoolean() ? 10 : alphabet.length())));
      }
      String s = b.toString();
      boolean expected = NUMBER.matcher(s).matches();
      accepted += expected ? 1 : 0;
      assertEquals(expected, Json.isNumber(s), s);
    }
    assertTrue(accepted > 10_000, "the generator must produce valid numbers too: " + accepted);
  }

  @Test
  void isNumber_empty_false() {
    assertFalse(Json.isNumber(""));
  }

  @Test
  void isHex_mixedCaseHex_true() {
    assertTrue(Json.isHex("09afAF"));
  }

  @Test
  void isHex_nonHexCharacter_false() {
    assertFalse(Json.isHex("0g"));
  }

  @Test
  void isHex_empty_false() {
    assertFalse(Json.isHex(""));
  }
}
