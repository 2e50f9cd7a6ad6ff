package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Json stays linear in its input: bounded number tokens and nesting, long strings in one pass. */
class JsonLimitsTest {
  private static final Duration BOUND = Duration.ofSeconds(2);
  /** For documents of 16 MiB, on a loaded two-core machine; linear parsing takes a fraction of it. */
  private static final Duration LARGE_BOUND = Duration.ofSeconds(5);

  @Test
  void parse_twoMebibyteNumber_refusedQuicklyNamingTheBound() {
    String doc = "{\"shard_size\":" + "9".repeat(2 << 20) + "}";
    Json.ParseException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(Json.ParseException.class, () -> Json.parse(doc)));
    assertEquals("number longer than 1000 characters at offset 14", e.getMessage());
  }

  @Test
  void parse_numberOfExactlyTheBound_accepted() throws Exception {
    String digits = "1".repeat(Json.MAX_NUMBER_CHARS);
    assertEquals(new BigDecimal(digits), Json.parse(digits));
  }

  @Test
  void parse_negativeNumberOneOverTheBound_refused() {
    String doc = "[-" + "1".repeat(Json.MAX_NUMBER_CHARS) + "]";
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(doc));
    assertEquals("number longer than 1000 characters at offset 1", e.getMessage());
  }

  @Test
  void parse_exponentBeyondIntRange_parseException() {
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("[1e99999999999]"));
    assertEquals("number out of range at offset 1", e.getMessage());
  }

  @Test
  void parse_badNumber_messageNamesTokenAndStart() {
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("[1.e5]"));
    assertEquals("bad number '1.e5' at offset 1", e.getMessage());
  }

  @Test
  void parse_sixtyFourLevels_accepted() throws Exception {
    String doc = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    Object v = Json.parse(doc);
    for (int level = 1; level < Json.MAX_DEPTH; level++) {
      v = ((List<?>) v).get(0);
    }
    assertEquals(List.of(), v);
  }

  @Test
  void parse_sixtyFiveLevels_refusedNamingTheBound() {
    String doc = "{\"a\":".repeat(Json.MAX_DEPTH) + "[]" + "}".repeat(Json.MAX_DEPTH);
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(doc));
    assertEquals("JSON nested deeper than 64 levels at offset " + 5 * Json.MAX_DEPTH, e.getMessage());
  }

  @Test
  void parse_megabyteOfOpeningBrackets_refusedQuickly() {
    String doc = "[".repeat(1 << 20);
    Json.ParseException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(Json.ParseException.class, () -> Json.parse(doc)));
    assertEquals("JSON nested deeper than 64 levels at offset 64", e.getMessage());
  }

  @Test
  void parse_sixteenMebibyteString_parsedWhole() throws Exception {
    String payload = "QUJD".repeat(4 << 20);
    String text = "{\"payload\":\"" + payload + "\"}";
    Object doc = assertTimeoutPreemptively(LARGE_BOUND, () -> Json.parse(text));
    assertEquals(payload, ((Map<?, ?>) doc).get("payload"));
  }

  @Test
  void parse_longStringWithEscapes_decodedWhole() throws Exception {
    String text = "\"" + "a\\nb\\u0041".repeat(1 << 18) + "\"";
    Object doc = assertTimeoutPreemptively(LARGE_BOUND, () -> Json.parse(text));
    assertEquals("a\nbA".repeat(1 << 18), doc);
  }

  @Test
  void parse_duplicateLongMemberName_messageCutToOneShortLine() {
    String name = "x".repeat(100) + "\n";
    Json.ParseException e = assertThrows(Json.ParseException.class,
        () -> Json.parse("{\"" + name.replace("\n", "\\n") + "\":1,\"" + name.replace("\n", "\\n") + "\":2}"));
    assertEquals("duplicate member \"" + "x".repeat(64) + "...\" at offset 214", e.getMessage());
  }

  @Test
  void parse_controlCharacterOutsideString_namedByCodePoint() {
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("[1,\u0001]"));
    assertEquals("unexpected character U+0001 at offset 3", e.getMessage());
  }
}
