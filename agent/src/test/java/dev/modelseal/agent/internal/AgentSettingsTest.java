package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.agent.internal.AgentSettings.Mode;
import dev.modelseal.core.CosignKeyWriter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSettingsTest {
  @TempDir Path tmp;
  private Path dir;
  private Path keyA;
  private Path keyB;
  private PublicKey publicA;

  @BeforeEach
  void keys() throws Exception {
    dir = tmp.toRealPath();
    publicA = CosignKeyWriter.generateKeyPair().getPublic();
    keyA = Files.writeString(dir.resolve("a.pub"), CosignKeyWriter.publicKeyPem(publicA));
    keyB = Files.writeString(dir.resolve("b.pub"),
        CosignKeyWriter.publicKeyPem(CosignKeyWriter.generateKeyPair().getPublic()));
  }

  private Path config(String text) throws Exception {
    return Files.writeString(dir.resolve("ms.conf"), text);
  }

  private static AgentSettings load(String args) throws SettingsException {
    return AgentSettings.load(args, Map.of(), Map.of());
  }

  private static String fails(String args, Map<String, String> props, Map<String, String> env) {
    return assertThrows(SettingsException.class, () -> AgentSettings.load(args, props, env)).getMessage();
  }

  /** Config with rules: /m/prod → a, /m/prod/beta → b, /m/shared → a,b. */
  private AgentSettings rules() throws Exception {
    return load("config=" + config("key.a=" + keyA + "\nkey.b=" + keyB
        + "\nrule.prod.path=/m/prod\nrule.prod.keys=a\nrule.beta.path=/m/prod/beta\nrule.beta.keys=b"
        + "\nrule.shared.path=/m/shared\nrule.shared.keys=a, b\nexempt=/opt/bundled,/m/prod/test"));
  }

  private static List<String> names(List<TrustedKey> keys) {
    return keys.stream().map(TrustedKey::name).toList();
  }

  @Test
  void load_keyArgumentOnly_usesDefaults() throws Exception {
    AgentSettings s = load("key=" + keyA);
    assertEquals(Mode.ENFORCE, s.mode());
    assertEquals(List.of(new TrustedKey("default", publicA, keyA)), s.keys());
    assertEquals(List.of(), s.rules());
    assertEquals(List.of(), s.exempt());
    assertEquals(List.of(), s.modelRoots());
    assertNull(s.auditLog());
    assertNull(s.pinDir());
    assertEquals(Math.min(2L * 1024 * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4), s.maxInMemoryBytes());
    assertFalse(s.acceptLegacySha256());
  }

  @Test
  void defaultMaxInMemory_oneGibHeap_isAQuarterOfIt() {
    assertEquals(256L << 20, AgentSettings.defaultMaxInMemory(1L << 30));
  }

  @Test
  void defaultMaxInMemory_sixteenGibHeap_is2GiB() {
    assertEquals(2L << 30, AgentSettings.defaultMaxInMemory(16L << 30));
  }

  @Test
  void load_nothingConfigured_throwsNoTrustedKeys() {
    assertEquals("no trusted keys configured (set key=/path/to/cosign.pub or a config file with key.<name> = ..."
        + " or identity.<name>.san and identity.<name>.issuer)", fails(null, Map.of(), Map.of()));
  }

  @Test
  void load_missingKeyFile_throws() {
    assertEquals("cannot read key " + dir.resolve("x.pub") + ": no such file",
        fails("key=" + dir.resolve("x.pub"), Map.of(), Map.of()));
  }

  @Test
  void load_keyFileNotPem_throws() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.pub"), "hello");
    assertEquals("cannot read key " + bad + ": not a PEM file: no -----BEGIN line",
        fails("key=" + bad, Map.of(), Map.of()));
  }

  @Test
  void load_invalidModeArgument_throws() {
    assertEquals("invalid mode \"off\" (expected enforce or audit)", fails("key=" + keyA + ",mode=off", Map.of(), Map.of()));
  }

  @Test
  void load_unknownSystemProperty_throws() {
    assertEquals("unknown system property \"modelseal.x\"",
        fails("key=" + keyA, Map.of("modelseal.x", "1"), Map.of()));
  }

  @Test
  void load_missingConfigFile_throws() {
    assertEquals("cannot read config " + dir.resolve("none.conf") + ": no such file",
        fails("key=" + keyA + ",config=" + dir.resolve("none.conf"), Map.of(), Map.of()));
  }

  @Test
  void load_modeInArgsAndSystemProperty_argsWin() throws Exception {
    AgentSettings s = AgentSettings.load("key=" + keyA + ",mode=audit", Map.of("modelseal.mode", "enforce"), Map.of());
    assertEquals(Mode.AUDIT, s.mode());
  }

  @Test
  void load_modeInSystemPropertyAndEnvironment_systemPropertyWins() throws Exception {
    AgentSettings s = AgentSettings.load("key=" + keyA, Map.of("modelseal.mode", "audit"), Map.of("MODELSEAL_MODE", "enforce"));
    assertEquals(Mode.AUDIT, s.mode());
  }

  @Test
  void load_modeInConfigFileOnly_used() throws Exception {
    assertEquals(Mode.AUDIT, load("config=" + config("mode=audit\nkey.a=" + keyA)).mode());
  }

  @Test
  void load_auditLogInEverySource_argsWin() throws Exception {
    Path conf = config("audit-log=/from/file\nkey.a=" + keyA);
    AgentSettings s = AgentSettings.load("config=" + conf + ",audit-log=/from/args",
        Map.of("modelseal.audit-log", "/from/props"), Map.of("MODELSEAL_AUDIT_LOG", "/from/env"));
    assertEquals(Path.of("/from/args"), s.auditLog());
  }

  @Test
  void load_modelsInSystemPropertyAndFile_systemPropertyWins() throws Exception {
    Path conf = config("models=/from/file\nkey.a=" + keyA);
    AgentSettings s = AgentSettings.load("config=" + conf,
        Map.of("modelseal.models", "/p1" + File.pathSeparator + "/p2"), Map.of());
    assertEquals(List.of(Path.of("/p1"), Path.of("/p2")), s.modelRoots());
  }

  @Test
  void load_configInArgsAndEnvironment_argsFileRead() throws Exception {
    Path conf = config("key.a=" + keyA);
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of("MODELSEAL_CONFIG", "/nonexistent.conf"));
    assertEquals(List.of("a"), names(s.keys()));
  }

  @Test
  void load_relativeModelsArgument_throws() {
    assertEquals("models path \"models\" is not absolute",
        fails("key=" + keyA + ",models=/ok" + File.pathSeparator + "models", Map.of(), Map.of()));
  }

  @Test
  void load_keyArgumentAndConfigKeys_bothTrusted() throws Exception {
    AgentSettings s = load("key=" + keyA + ",config=" + config("key.b=" + keyB));
    assertEquals(List.of("default", "b"), names(s.keys()));
  }

  @Test
  void load_keyArgumentAndConfigKeyNamedDefault_throws() throws Exception {
    Path conf = config("key.default=" + keyB);
    assertEquals("config " + conf + " line 1: key.default clashes with the key set by the \"key\" option; rename one of them",
        fails("key=" + keyA + ",config=" + conf, Map.of(), Map.of()));
  }

  @Test
  void load_ruleNamesUnknownKey_throws() throws Exception {
    Path conf = config("key.a=" + keyA + "\nrule.r.path=/m\nrule.r.keys=a, c");
    assertEquals("config " + conf + " line 3: rule \"r\" names unknown key \"c\" (known: a)",
        fails("config=" + conf, Map.of(), Map.of()));
  }

  @Test
  void load_ruleNamesDefaultKeyFromArgument_accepted() throws Exception {
    AgentSettings s = load("key=" + keyA + ",config=" + config("rule.r.path=/m\nrule.r.keys=default"));
    assertEquals(List.of("default"), names(s.keysFor(Path.of("/m/x.onnx"))));
  }

  @Test
  void load_twoRulesWithSamePath_throws() throws Exception {
    Path conf = config("key.a=" + keyA + "\nrule.r.path=/m\nrule.r.keys=a\nrule.s.path=/m/\nrule.s.keys=a");
    assertEquals("config " + conf + " line 5: rules \"r\" and \"s\" have the same path /m",
        fails("config=" + conf, Map.of(), Map.of()));
  }

  @Test
  void load_configFileSettings_applied() throws Exception {
    AgentSettings s = load("config=" + config("key.a=a.pub\npin-dir=/var/pins\nmax-in-memory=512m\nlegacy-sha256=true"));
    assertEquals(keyA, s.keys().get(0).file());
    assertEquals(Path.of("/var/pins"), s.pinDir());
    assertEquals(512L << 20, s.maxInMemoryBytes());
    assertTrue(s.acceptLegacySha256());
  }

  @Test
  void load_noModelsSetting_rootsAreRulePrefixes() throws Exception {
    assertEquals(List.of(Path.of("/m/prod"), Path.of("/m/prod/beta"), Path.of("/m/shared")), rules().modelRoots());
  }

  @Test
  void load_symlinkedRulePrefix_resolvedToRealPath() throws Exception {
    Path real = Files.createDirectory(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    AgentSettings s = load("config=" + config("key.a=" + keyA + "\nrule.r.path=" + link.resolve("sub") + "\nrule.r.keys=a"));
    assertEquals(real.resolve("sub"), s.rules().get(0).prefix());
  }

  @Test
  void keysFor_noRules_returnsAllKeys() throws Exception {
    AgentSettings s = load("key=" + keyA + ",config=" + config("key.b=" + keyB));
    assertEquals(List.of("default", "b"), names(s.keysFor(Path.of("/anywhere/model.onnx"))));
  }

  @Test
  void keysFor_nestedRules_longestPrefixWins() throws Exception {
    assertEquals(List.of("b"), names(rules().keysFor(Path.of("/m/prod/beta/model.pt"))));
  }

  @Test
  void keysFor_underShorterPrefixOnly_usesThatRule() throws Exception {
    assertEquals(List.of("a"), names(rules().keysFor(Path.of("/m/prod/resnet/model.pt"))));
  }

  @Test
  void keysFor_siblingWithCommonStringPrefix_notMatched() throws Exception {
    assertEquals(List.of("a"), names(rules().keysFor(Path.of("/m/prod/betamax/model.pt"))));
  }

  @Test
  void keysFor_noRuleMatches_returnsEmpty() throws Exception {
    assertEquals(List.of(), rules().keysFor(Path.of("/m/production/model.pt")));
  }

  @Test
  void keysFor_dotDotInPath_normalizedBeforeMatching() throws Exception {
    assertEquals(List.of("a"), names(rules().keysFor(Path.of("/m/prod/beta/../model.pt"))));
  }

  @Test
  void keysFor_ruleAllowingTwoKeys_returnsBothForRotation() throws Exception {
    assertEquals(List.of("a", "b"), names(rules().keysFor(Path.of("/m/shared/v2/model.onnx"))));
  }

  @Test
  void keysFor_relativePath_throws() throws Exception {
    AgentSettings s = rules();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.keysFor(Path.of("m/prod/x")));
    assertEquals("model path is not absolute: m/prod/x", e.getMessage());
  }

  @Test
  void isExempt_underExemptPrefix_true() throws Exception {
    assertTrue(rules().isExempt(Path.of("/opt/bundled/tiny.onnx")));
  }

  @Test
  void isExempt_siblingWithCommonStringPrefix_false() throws Exception {
    assertFalse(rules().isExempt(Path.of("/opt/bundled2/tiny.onnx")));
  }

  @Test
  void isExempt_escapingWithDotDot_false() throws Exception {
    assertFalse(rules().isExempt(Path.of("/m/prod/test/../model.pt")));
  }

  @Test
  void describe_rules_listsModeKeyIdsAndCounts() throws Exception {
    AgentSettings s = rules();
    assertEquals("mode=enforce keys=[a:" + s.keys().get(0).keyId() + ", b:" + s.keys().get(1).keyId()
        + "] rules=3 exempt=2", s.describe());
  }

  @Test
  void load_systemPropertiesChangedAfterLoad_settingsUnchanged() throws Exception {
    Map<String, String> props = new java.util.HashMap<>(Map.of("modelseal.mode", "enforce"));
    AgentSettings s = AgentSettings.load("key=" + keyA, props, Map.of());
    props.put("modelseal.mode", "audit");
    assertEquals(Mode.ENFORCE, s.mode());
  }
  @Test
  void load_keyFromSystemPropertyBesideConfig_throws() throws Exception {
    Path conf = config("key.a=" + keyA);
    assertEquals("system property modelseal.key would add a trusted key to config " + conf
        + "; name keys in the config file (or pass key= in the agent arguments)",
        fails("config=" + conf, Map.of("modelseal.key", keyB.toString()), Map.of()));
  }

  @Test
  void load_keyFromEnvironmentBesideConfig_throws() throws Exception {
    Path conf = config("key.a=" + keyA);
    assertEquals("environment variable MODELSEAL_KEY would add a trusted key to config " + conf
        + "; name keys in the config file (or pass key= in the agent arguments)",
        fails(null, Map.of("modelseal.config", conf.toString()), Map.of("MODELSEAL_KEY", keyB.toString())));
  }

  @Test
  void load_auditModeFromEnvironmentOverEnforcingConfig_throws() throws Exception {
    Path conf = config("key.a=" + keyA + "\nmode=enforce");
    assertEquals("environment variable MODELSEAL_MODE would weaken config " + conf + " from enforce to audit;"
        + " set the mode in the config file (or pass mode= in the agent arguments)",
        fails("config=" + conf, Map.of(), Map.of("MODELSEAL_MODE", "audit")));
  }

  @Test
  void load_auditModeFromSystemPropertyOverDefaultModeConfig_throws() throws Exception {
    Path conf = config("key.a=" + keyA);
    assertEquals("system property modelseal.mode would weaken config " + conf + " from enforce to audit;"
        + " set the mode in the config file (or pass mode= in the agent arguments)",
        fails("config=" + conf, Map.of("modelseal.mode", "audit"), Map.of()));
  }

  @Test
  void load_enforceModeFromEnvironmentOverAuditConfig_environmentWins() throws Exception {
    Path conf = config("key.a=" + keyA + "\nmode=audit");
    assertEquals(Mode.ENFORCE,
        AgentSettings.load("config=" + conf, Map.of(), Map.of("MODELSEAL_MODE", "enforce")).mode());
  }

  @Test
  void load_groupWritableConfig_throws() throws Exception {
    Path conf = config("key.a=" + keyA);
    Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
    assertEquals("config " + conf + " is writable by group or others (rw-rw-r--); only its owner may be able to"
        + " change it: chmod go-w " + conf, fails("config=" + conf, Map.of(), Map.of()));
  }

  @Test
  void load_otherWritableKey_throws() throws Exception {
    Files.setPosixFilePermissions(keyB, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--rw-"));
    assertEquals("key " + keyB + " is writable by group or others (rw-r--rw-); only its owner may be able to"
        + " change it: chmod go-w " + keyB, fails("key=" + keyB, Map.of(), Map.of()));
  }
}
