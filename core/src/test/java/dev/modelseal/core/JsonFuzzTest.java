package dev.modelseal.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.testkit.FuzzInputs;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Json on any text: a value or a one-line ParseException, linear time (see FuzzInputs, bench/fuzz.sh). */
class JsonFuzzTest {
  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void parse(byte[] input) {
    try {
      Json.parse(new String(input, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void parse_mutatedCommittedInputs_valueOrParseException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(JsonFuzzTest.class, "parse"), 16, 1 << 16, this::parse);
  }
}
