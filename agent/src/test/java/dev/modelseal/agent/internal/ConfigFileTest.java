package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {
  @TempDir Path dir;

  private Path conf() throws Exception {
    return dir.toRealPath().resolve("ms.conf");
  }

  private ConfigFile parse(String text) throws Exception {
    return ConfigFile.parse(conf(), text);
  }

  private String fails(String text) {
    return assertThrows(SettingsException.class, () -> parse(text)).getMessage();
  }

  @Test
  void read_missingFile_throws() throws Exception {
    SettingsException e = assertThrows(SettingsException.class, () -> ConfigFile.read(conf()));
    assertEquals("cannot read config " + conf() + ": no such file", e.getMessage());
  }

  @Test
  void read_directory_throws() throws Exception {
    SettingsException e = assertThrows(SettingsException.class, () -> ConfigFile.read(dir.toRealPath()));
    assertEquals("cannot read config " + dir.toRealPath() + ": it is a directory", e.getMessage());
  }

  @Test
  void read_largerThanOneMiB_throws() throws Exception {
    Files.write(conf(), new byte[ConfigFile.MAX_BYTES + 1]);
    SettingsException e = assertThrows(SettingsException.class, () -> ConfigFile.read(conf()));
    assertEquals("config " + conf() + " is larger than 1048576 bytes", e.getMessage());
  }

  @Test
  void read_invalidUtf8_throws() throws Exception {
    Files.write(conf(), new byte[] {'m', 'o', 'd', 'e', '=', (byte) 0xC3});
    SettingsException e = assertThrows(SettingsException.class, () -> ConfigFile.read(conf()));
    assertEquals("config " + conf() + " is not valid UTF-8", e.getMessage());
  }

  @Test
  void parse_commentsBlankLinesCrlfAndBom_ignored() throws Exception {
    ConfigFile c = parse("\uFEFF# comment\r\n\r\n   # indented comment\r\n mode =  audit \r\n");
    assertEquals(AgentSettings.Mode.AUDIT, c.mode);
  }

  @Test
  void parse_empty_hasNoSettings() throws Exception {
    ConfigFile c = parse("");
    assertNull(c.mode);
    assertNull(c.models);
    assertEquals(List.of(), c.exempt);
    assertTrue(c.keys.isEmpty());
    assertTrue(c.rules().isEmpty());
  }

  @Test
  void parse_unknownSetting_throwsWithFileAndLine() throws Exception {
    assertEquals("config " + conf() + " line 3: unknown setting \"foo\"", fails("mode=audit\n\nfoo = 1\n"));
  }

  @Test
  void parse_duplicateSetting_throws() throws Exception {
    assertEquals("config " + conf() + " line 2: duplicate setting \"mode\" (first set on line 1)",
        fails("mode=audit\nmode=enforce"));
  }

  @Test
  void parse_lineWithoutEquals_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: expected name = value", fails("mode audit"));
  }

  @Test
  void parse_missingName_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: missing setting name before \"=\"", fails(" = audit"));
  }

  @Test
  void parse_emptyValue_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: setting \"pin-dir\" has an empty value", fails("pin-dir ="));
  }

  @Test
  void parse_invalidMode_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: invalid mode \"off\" (expected enforce or audit)", fails("mode=off"));
  }

  @ParameterizedTest
  @CsvSource({"100, 100", "1k, 1024", "512m, 536870912", "2G, 2147483648"})
  void parse_maxInMemoryWithSuffix_parsed(String value, long bytes) throws Exception {
    assertEquals(bytes, parse("max-in-memory = " + value).maxInMemory);
  }

  @ParameterizedTest
  @CsvSource({"0", "-1", "12x", "1.5g", "9223372036854775807g", "99999999999999999999"})
  void parse_maxInMemoryInvalid_throws(String value) throws Exception {
    assertEquals("config " + conf() + " line 1: invalid max-in-memory \"" + value + "\" (expected a positive"
        + " number of bytes with optional suffix k, m or g, e.g. 512m)", fails("max-in-memory=" + value));
  }

  @Test
  void parse_legacySha256Invalid_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: invalid legacy-sha256 \"yes\" (expected true or false)",
        fails("legacy-sha256=yes"));
  }

  @Test
  void parse_legacySha256True_set() throws Exception {
    assertTrue(parse("legacy-sha256=true").legacySha256);
  }

  @Test
  void parse_relativeExempt_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: exempt path \"tmp/x\" is not absolute", fails("exempt=/a, tmp/x"));
  }

  @Test
  void parse_emptyExemptEntry_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: empty entry in exempt list", fails("exempt=/a,,/b"));
  }

  @Test
  void parse_relativePinDir_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: pin-dir path \"pins\" is not absolute", fails("pin-dir=pins"));
  }

  @Test
  void parse_relativeModels_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: models path \"m\" is not absolute",
        fails("models=/a" + File.pathSeparator + "m"));
  }

  @Test
  void parse_relativeRulePath_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: rule.prod.path path \"models\" is not absolute",
        fails("rule.prod.path=models\nrule.prod.keys=a"));
  }

  @Test
  void parse_ruleWithoutKeys_throws() throws Exception {
    assertEquals("config " + conf() + " line 2: rule \"prod\" has a path but no rule.prod.keys or"
        + " rule.prod.identities", fails("key.a=/a.pub\nrule.prod.path=/models"));
  }

  @Test
  void parse_ruleWithoutPath_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: rule \"prod\" has keys but no rule.prod.path", fails("rule.prod.keys=a"));
  }

  @Test
  void parse_ruleKeyNameInvalid_throws() throws Exception {
    assertEquals("config " + conf() + " line 2: invalid key name \"a b\" in rule.prod.keys",
        fails("rule.prod.path=/m\nrule.prod.keys=a b"));
  }

  @Test
  void parse_invalidKeyName_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: invalid key name \"a.b\" (allowed: letters, digits, _ and -)",
        fails("key.a.b=/k.pub"));
  }

  @Test
  void parse_rule_hasPrefixAndKeys() throws Exception {
    ConfigFile c = parse("rule.prod.path = /models/prod/../prod2\nrule.prod.keys = a, b");
    assertEquals(List.of(new ConfigFile.RuleEntry("prod", Path.of("/models/prod2"), Set.of("a", "b"),
        PathRule.Format.ANY, 2, Set.of())), c.rules());
  }

  @Test
  void parse_ruleFormat_isRecorded() throws Exception {
    ConfigFile c = parse("rule.prod.path = /models\nrule.prod.keys = a\nrule.prod.format = model-signing");
    assertEquals(PathRule.Format.MODEL_SIGNING, c.rules().get(0).format());
  }

  @Test
  void parse_invalidRuleFormat_throws() throws Exception {
    assertEquals("config " + conf() + " line 3: invalid format \"oms\" (expected any, model-signing or cosign)",
        fails("rule.prod.path = /models\nrule.prod.keys = a\nrule.prod.format = oms"));
  }

  @Test
  void parse_ruleFormatWithoutPath_throws() throws Exception {
    assertEquals("config " + conf() + " line 1: rule \"x\" has a format but no rule.x.path",
        fails("rule.x.format = cosign"));
  }

  @Test
  void parse_relativeKeyAndAuditLog_resolvedAgainstConfigDirectory() throws Exception {
    ConfigFile c = parse("key.a = keys/a.pub\naudit-log = ../audit.jsonl");
    assertEquals(conf().resolveSibling("keys/a.pub"), c.keys.get("a").file());
    assertEquals(dir.toRealPath().getParent().resolve("audit.jsonl"), c.auditLog);
  }

  @Test
  void parse_hashInValue_keptAsPartOfValue() throws Exception {
    assertEquals(conf().resolveSibling("a#1.pub"), parse("key.a = a#1.pub").keys.get("a").file());
  }
}
