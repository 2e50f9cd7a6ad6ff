package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecisionLogTest {
  @Test
  void timestamp_epoch_matchesInstantToString() {
    assertEquals("1970-01-01T00:00:00Z", DecisionLog.timestamp(Instant.EPOCH));
  }

  @Test
  void timestamp_wholeMillis_printsThreeFractionDigits() {
    assertEquals("2026-11-25T19:22:24.360Z", DecisionLog.timestamp(Instant.parse("2026-11-25T19:22:24.360Z")));
  }

  @Test
  void timestamp_wholeMicros_printsSixFractionDigits() {
    assertEquals("2026-11-25T19:22:24.362240Z",
        DecisionLog.timestamp(Instant.parse("2026-11-25T19:22:24.362240Z")));
  }

  @Test
  void timestamp_nanos_printsNineFractionDigits() {
    assertEquals("2026-11-25T19:22:24.362243398Z",
        DecisionLog.timestamp(Instant.parse("2026-11-25T19:22:24.362243398Z")));
  }

  @Test
  void timestamp_leapDay_matchesInstantToString() {
    assertEquals("2024-02-29T23:59:59.999999999Z",
        DecisionLog.timestamp(Instant.parse("2024-02-29T23:59:59.999999999Z")));
  }

  @Test
  void timestamp_beforeEpoch_matchesInstantToString() {
    Instant t = Instant.parse("1969-12-31T23:59:59.5Z");
    assertEquals(t.toString(), DecisionLog.timestamp(t));
  }

  @Test
  void timestamp_outsideFourDigitYears_fallsBackToInstantToString() {
    Instant t = Instant.parse("+10000-01-01T00:00:00Z");
    assertEquals(t.toString(), DecisionLog.timestamp(t));
  }

  @Test
  void timestamp_randomInstantsInFourDigitYears_matchInstantToString() {
    Random r = new Random(42);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(min + Math.floorMod(r.nextLong(), max - min + 1), r.nextInt(1_000_000_000));
      assertEquals(t.toString(), DecisionLog.timestamp(t));
    }
  }
}
