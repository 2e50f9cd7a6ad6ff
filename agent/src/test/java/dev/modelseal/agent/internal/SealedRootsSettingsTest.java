package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.CosignKeyWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sealed-roots} setting: on by default, which roots it seals, and who may turn it off. */
class SealedRootsSettingsTest {
  @TempDir Path tmp;
  private Path key;

  @BeforeEach
  void key() throws Exception {
    key = Files.writeString(tmp.resolve("k.pub"),
        CosignKeyWriter.publicKeyPem(CosignKeyWriter.generateKeyPair().getPublic()));
  }

  @Test
  void load_noSealedRootsSetting_sealsModelRoots() throws Exception {
    AgentSettings s = AgentSettings.load("key=" + key + ",models=" + tmp, Map.of(), Map.of());
    assertEquals(List.of(tmp.toRealPath().toString(), tmp.toString()), s.sealedRootPaths());
  }

  @Test
  void load_noModelRoots_nothingSealed() throws Exception {
    AgentSettings s = AgentSettings.load("key=" + key, Map.of(), Map.of());
    assertFalse(s.sealedRoots());
  }

  @Test
  void load_sealedRootsFalseArgument_nothingSealed() throws Exception {
    AgentSettings s = AgentSettings.load("key=" + key + ",models=" + tmp + ",sealed-roots=false", Map.of(), Map.of());
    assertFalse(s.sealedRoots());
  }

  @Test
  void load_configSilentOnSealedRoots_sealsModelRoots() throws Exception {
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\nmodels = /srv/m\n");
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    assertEquals(List.of("/srv/m", "/srv/m"), s.sealedRootPaths());
  }

  @Test
  void load_configSealedRootsFalse_nothingSealed() throws Exception {
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\nmodels = /srv/m\nsealed-roots = false\n");
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    assertFalse(s.sealedRoots());
  }

  @Test
  void load_environmentUnsealingSilentConfig_throws() throws Exception {
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\nmodels = /srv/m\n");
    SettingsException e = assertThrows(SettingsException.class, () -> AgentSettings.load("config=" + conf,
        Map.of(), Map.of("MODELSEAL_SEALED_ROOTS", "false")));
    assertEquals("environment variable MODELSEAL_SEALED_ROOTS would unseal the model roots of config " + conf
        + "; set sealed-roots in the config file (or pass sealed-roots= in the agent arguments)", e.getMessage());
  }

  @Test
  void load_propertyRepeatingConfigFalse_nothingSealed() throws Exception {
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\nmodels = /srv/m\nsealed-roots = false\n");
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of("modelseal.sealed-roots", "false"), Map.of());
    assertFalse(s.sealedRoots());
  }

  @Test
  void load_sealedRootsThroughLinkedPath_sealsPathAsWrittenAndRealPath() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real/models"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("real"));
    AgentSettings s = AgentSettings.load("key=" + key + ",models=" + link.resolve("models") + ",sealed-roots=true",
        Map.of(), Map.of());
    assertEquals(List.of(real.toRealPath().toString(), link.resolve("models").toString()), s.sealedRootPaths());
  }

  @Test
  void load_sealedRootsInConfig_sealsModelsAndRulePaths() throws Exception {
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\nmodels = /srv/m\n"
        + "rule.lab.path = /srv/lab\nrule.lab.keys = k\nsealed-roots = true\n");
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    assertEquals(List.of("/srv/m", "/srv/lab", "/srv/m", "/srv/lab"), s.sealedRootPaths());
  }

  @Test
  void load_propertyUnsealingConfig_throws() throws Exception {
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + key + "\nmodels = /srv/m\nsealed-roots = true\n");
    SettingsException e = assertThrows(SettingsException.class, () -> AgentSettings.load("config=" + conf,
        Map.of("modelseal.sealed-roots", "false"), Map.of()));
    assertEquals("system property modelseal.sealed-roots would unseal the model roots of config " + conf
        + "; set sealed-roots in the config file (or pass sealed-roots= in the agent arguments)", e.getMessage());
  }

  @Test
  void load_invalidSealedRootsValue_throws() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentSettings.load("key=" + key + ",sealed-roots=yes", Map.of(), Map.of()));
    assertEquals("invalid sealed-roots \"yes\" (expected true or false)", e.getMessage());
  }
}
