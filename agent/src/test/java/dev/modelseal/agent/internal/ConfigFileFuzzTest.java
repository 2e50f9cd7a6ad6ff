package dev.modelseal.agent.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.testkit.FuzzInputs;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's config file on any bytes, decoded as {@link ConfigFile#read} decodes it: parsed or a
 * one-line SettingsException (see FuzzInputs, bench/fuzz.sh). Key files are only named, not read.
 */
class ConfigFileFuzzTest {
  private static final Path FILE = Path.of("/etc/modelseal/agent.conf");

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void parse(byte[] input) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
    } catch (CharacterCodingException e) {
      return; // ConfigFile.read refuses it with a SettingsException before parsing
    }
    try {
      ConfigFile.parse(FILE, text);
    } catch (SettingsException e) {
      FuzzInputs.assertOneLine(e.getMessage(), Integer.MAX_VALUE);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void parse_mutatedCommittedInputs_configOrSettingsException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(ConfigFileFuzzTest.class, "parse"), 51, ConfigFile.MAX_BYTES,
        this::parse);
  }
}
