package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentArgsTest {
  @Test
  void parse_null_returnsEmpty() throws Exception {
    assertEquals(Map.of(), AgentArgs.parse(null));
  }

  @Test
  void parse_blank_returnsEmpty() throws Exception {
    assertEquals(Map.of(), AgentArgs.parse("  "));
  }

  @Test
  void parse_whitespaceAroundTokens_trimmed() throws Exception {
    assertEquals(Map.of("key", "/k.pub", "mode", "audit"), AgentArgs.parse(" key = /k.pub , mode=audit "));
  }

  @Test
  void parse_valueWithEquals_keepsEverythingAfterFirstEquals() throws Exception {
    assertEquals(Map.of("config", "/etc/a=b.conf"), AgentArgs.parse("config=/etc/a=b.conf"));
  }

  @Test
  void parse_strayAndTrailingCommas_ignored() throws Exception {
    assertEquals(Map.of("mode", "audit", "key", "/k"), AgentArgs.parse("mode=audit,,key=/k,"));
  }

  @Test
  void parse_unknownName_throws() {
    SettingsException e = assertThrows(SettingsException.class, () -> AgentArgs.parse("key=/k,foo=1"));
    assertEquals("unknown agent argument \"foo\" (known: key, config, mode, audit-log, models, sealed-roots, pin)", e.getMessage());
  }

  @Test
  void parse_repeatedName_throws() {
    SettingsException e = assertThrows(SettingsException.class, () -> AgentArgs.parse("mode=audit,mode=enforce"));
    assertEquals("agent argument \"mode\" was already set to \"audit\"", e.getMessage());
  }

  @Test
  void parse_missingEquals_throws() {
    SettingsException e = assertThrows(SettingsException.class, () -> AgentArgs.parse("mode"));
    assertEquals("agent argument \"mode\" is not name=value (e.g. mode=audit)", e.getMessage());
  }

  @Test
  void parse_emptyValue_throws() {
    SettingsException e = assertThrows(SettingsException.class, () -> AgentArgs.parse("mode= "));
    assertEquals("agent argument \"mode\" has an empty value", e.getMessage());
  }

  @Test
  void parse_emptyName_throws() {
    SettingsException e = assertThrows(SettingsException.class, () -> AgentArgs.parse("=audit"));
    assertEquals("agent argument \"=audit\" has no name before \"=\"", e.getMessage());
  }

  @Test
  void parse_newlineInValue_messageStaysOneLine() {
    SettingsException e = assertThrows(SettingsException.class, () -> AgentArgs.parse("a\nb=1"));
    assertEquals("unknown agent argument \"a b\" (known: key, config, mode, audit-log, models, sealed-roots, pin)", e.getMessage());
  }

  @Test
  void fromSystemProperties_knownProperties_mapped() throws Exception {
    Map<String, String> props = Map.of("modelseal.mode", " audit ", "modelseal.audit-log", "/l", "java.home", "/j");
    assertEquals(Map.of("mode", "audit", "audit-log", "/l"), AgentArgs.fromSystemProperties(props));
  }

  @Test
  void fromSystemProperties_unknownModelsealProperty_throws() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentArgs.fromSystemProperties(Map.of("modelseal.mdoe", "audit")));
    assertEquals("unknown system property \"modelseal.mdoe\"", e.getMessage());
  }

  @Test
  void fromSystemProperties_emptyValue_throws() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentArgs.fromSystemProperties(Map.of("modelseal.key", "")));
    assertEquals("system property \"modelseal.key\" is empty", e.getMessage());
  }

  @Test
  void fromEnvironment_knownVariables_mapped() throws Exception {
    Map<String, String> env = Map.of("MODELSEAL_AUDIT_LOG", "/l", "MODELSEAL_MODELS", "/m", "PATH", "/bin");
    assertEquals(Map.of("audit-log", "/l", "models", "/m"), AgentArgs.fromEnvironment(env));
  }

  @Test
  void fromEnvironment_otherModelsealVariables_ignored() throws Exception {
    assertEquals(Map.of(), AgentArgs.fromEnvironment(Map.of("MODELSEAL_JAVA_OPTS", "-Xmx1g")));
  }

  @Test
  void fromEnvironment_emptyValue_throws() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentArgs.fromEnvironment(Map.of("MODELSEAL_MODE", " ")));
    assertEquals("environment variable MODELSEAL_MODE is empty", e.getMessage());
  }
}
