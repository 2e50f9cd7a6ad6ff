package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.CosignKeyWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pin}, {@code trusted-owners} and {@code verified-cache} settings: defaults, values, who may force. */
class PinSettingsTest {
  @TempDir Path tmp;
  private Path key;

  @BeforeEach
  void key() throws Exception {
    key = Files.writeString(tmp.resolve("k.pub"),
        CosignKeyWriter.publicKeyPem(CosignKeyWriter.generateKeyPair().getPublic()));
  }

  private Path config(String lines) throws Exception {
    return Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\n" + lines);
  }

  @Test
  void load_nothingSet_autoRootTrustedCacheOn() throws Exception {
    AgentSettings s = AgentSettings.load("key=" + key, Map.of(), Map.of());

    assertEquals(PinMode.AUTO, s.pinMode());
    assertEquals(Set.of(0), s.trustedOwners());
    assertEquals(true, s.verifiedCache());
  }

  @Test
  void load_pinArgument_thatMode() throws Exception {
    assertEquals(PinMode.COPY, AgentSettings.load("key=" + key + ",pin=copy", Map.of(), Map.of()).pinMode());
  }

  @Test
  void load_configSettings_parsed() throws Exception {
    AgentSettings s = AgentSettings.load("config=" + config("pin = clone\ntrusted-owners = 0, 1001\n"
        + "verified-cache = false\n"), Map.of(), Map.of());

    assertEquals(PinMode.CLONE, s.pinMode());
    assertEquals(Set.of(0, 1001), s.trustedOwners());
    assertFalse(s.verifiedCache());
  }

  @Test
  void load_unknownPin_throws() throws Exception {
    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentSettings.load("key=" + key + ",pin=inplace", Map.of(), Map.of()));

    assertEquals("invalid pin \"inplace\" (expected auto, in-place, memory, clone or copy)", e.getMessage());
  }

  @Test
  void load_trustedOwnerNotANumber_throws() throws Exception {
    Path conf = config("trusted-owners = root\n");

    SettingsException e = assertThrows(SettingsException.class, () -> AgentSettings.load("config=" + conf, Map.of(),
        Map.of()));

    assertEquals("config " + conf + " line 2: invalid uid \"root\" in trusted-owners (expected numbers, e.g. 0, 1001)",
        e.getMessage());
  }

  @Test
  void load_environmentForcingInPlaceOnConfig_throws() throws Exception {
    Path conf = config("");

    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentSettings.load("config=" + conf, Map.of(), Map.of("MODELSEAL_PIN", "in-place")));

    assertEquals("environment variable MODELSEAL_PIN would force in-place pinning on config " + conf
        + "; set pin in the config file (or pass pin= in the agent arguments)", e.getMessage());
  }
}
