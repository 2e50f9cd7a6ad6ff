package dev.modelseal.agent.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.testkit.FuzzInputs;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's options on any text: as the {@code -javaagent} argument string, a {@code modelseal.*}
 * system property and a {@code MODELSEAL_*} variable, merged as at start: options or a one-line
 * SettingsException (see FuzzInputs, bench/fuzz.sh).
 */
class AgentArgsFuzzTest {
  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int cut = text.indexOf('\u0001');
    String value = cut < 0 ? text : text.substring(cut + 1);
    String args = cut < 0 ? text : text.substring(0, cut);
    try {
      AgentArgs.merge(args, Map.of("modelseal.mode", value), Map.of("MODELSEAL_KEY", value));
    } catch (SettingsException e) {
      FuzzInputs.assertOneLine(e.getMessage(), Integer.MAX_VALUE);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void parse_mutatedCommittedInputs_optionsOrSettingsException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(AgentArgsFuzzTest.class, "parse"), 61, 1 << 12, this::parse);
  }
}
