package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's keyless settings: {@code identity.<name>.*}, {@code rule.<name>.identities}, {@code trusted-root}. */
class ConfigFileIdentityTest {
  private static final String SAN = "https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";

  @TempDir Path dir;

  private Path conf() throws Exception {
    return dir.toRealPath().resolve("ms.conf");
  }

  private ConfigFile parse(String text) throws Exception {
    return ConfigFile.parse(conf(), text);
  }

  private String fails(String text) throws Exception {
    return assertThrows(SettingsException.class, () -> parse(text)).getMessage().replace(conf().toString(), "C");
  }

  @Test
  void parse_identityWithSanAndIssuer_recordedWithItsFirstLine() throws Exception {
    ConfigFile c = parse("mode = enforce\nidentity.ci.issuer = " + ISSUER + "\nidentity.ci.san = " + SAN);

    assertEquals(List.of(new ConfigFile.IdentityEntry("ci", SAN, null, ISSUER, null, 2)), c.identities());
  }

  @Test
  void parse_identityWithRegexps_recorded() throws Exception {
    ConfigFile c = parse("identity.any.san-regexp = ^https://github.com/acme/\nidentity.any.issuer-regexp = .*");

    assertEquals(List.of(new ConfigFile.IdentityEntry("any", null, "^https://github.com/acme/", null, ".*", 1)),
        c.identities());
  }

  @Test
  void parse_identityWithSanAndSanRegexp_throws() throws Exception {
    assertEquals("config C line 3: identity \"ci\" sets both identity.ci.san and identity.ci.san-regexp; set one",
        fails("identity.ci.san = " + SAN + "\nidentity.ci.issuer = " + ISSUER + "\nidentity.ci.san-regexp = x"));
  }

  @Test
  void parse_identityWithoutSan_throws() throws Exception {
    assertEquals("config C line 2: identity \"ci\" has no identity.ci.san or identity.ci.san-regexp",
        fails("mode = enforce\nidentity.ci.issuer = " + ISSUER));
  }

  @Test
  void parse_identityWithIssuerAndIssuerRegexp_throws() throws Exception {
    assertEquals("config C line 3: identity \"ci\" sets both identity.ci.issuer and identity.ci.issuer-regexp;"
        + " set one", fails("identity.ci.issuer = " + ISSUER + "\nidentity.ci.san = " + SAN
        + "\nidentity.ci.issuer-regexp = x"));
  }

  @Test
  void parse_identityWithoutIssuer_throws() throws Exception {
    assertEquals("config C line 1: identity \"ci\" has no identity.ci.issuer or identity.ci.issuer-regexp",
        fails("identity.ci.san = " + SAN));
  }

  @Test
  void parse_identitySanRegexpThatDoesNotCompile_throws() throws Exception {
    assertEquals("config C line 1: invalid regular expression for identity.ci.san-regexp: Unclosed group at index 4",
        fails("identity.ci.san-regexp = (abc\nidentity.ci.issuer = " + ISSUER));
  }

  @Test
  void parse_identityIssuerRegexpThatDoesNotCompile_throws() throws Exception {
    assertEquals("config C line 2: invalid regular expression for identity.ci.issuer-regexp: Dangling meta character"
        + " '*' at index 0", fails("identity.ci.san = " + SAN + "\nidentity.ci.issuer-regexp = *x"));
  }

  @Test
  void parse_identityUnknownSetting_throws() throws Exception {
    assertEquals("config C line 1: invalid identity setting \"identity.ci.subject\" (expected identity.<name>.san,"
        + " .san-regexp, .issuer or .issuer-regexp; names: letters, digits, _ and -)",
        fails("identity.ci.subject = " + SAN));
  }

  @Test
  void parse_identityInvalidName_throws() throws Exception {
    assertEquals("config C line 1: invalid identity setting \"identity.c.i.san\" (expected identity.<name>.san,"
        + " .san-regexp, .issuer or .issuer-regexp; names: letters, digits, _ and -)",
        fails("identity.c.i.san = " + SAN));
  }

  @Test
  void parse_identitySettingTwice_throws() throws Exception {
    assertEquals("config C line 2: duplicate setting \"identity.ci.san\" (first set on line 1)",
        fails("identity.ci.san = a\nidentity.ci.san = b\nidentity.ci.issuer = " + ISSUER));
  }

  @Test
  void parse_identityEmptyValue_throws() throws Exception {
    assertEquals("config C line 1: setting \"identity.ci.san\" has an empty value", fails("identity.ci.san ="));
  }

  @Test
  void parse_ruleWithIdentitiesOnly_recordedWithNoKeys() throws Exception {
    ConfigFile c = parse("rule.prod.path = /models\nrule.prod.identities = ci, release");

    assertEquals(List.of(new ConfigFile.RuleEntry("prod", Path.of("/models"), Set.of(), PathRule.Format.ANY, 2,
        Set.of("ci", "release"))), c.rules());
  }

  @Test
  void parse_ruleWithKeysAndIdentities_recordsBothAtTheKeysLine() throws Exception {
    ConfigFile c = parse("rule.prod.path = /models\nrule.prod.identities = ci\nrule.prod.keys = a");

    assertEquals(List.of(new ConfigFile.RuleEntry("prod", Path.of("/models"), Set.of("a"), PathRule.Format.ANY, 3,
        Set.of("ci"))), c.rules());
  }

  @Test
  void parse_ruleIdentitiesWithoutPath_throws() throws Exception {
    assertEquals("config C line 1: rule \"prod\" has identities but no rule.prod.path",
        fails("rule.prod.identities = ci"));
  }

  @Test
  void parse_ruleIdentityNameInvalid_throws() throws Exception {
    assertEquals("config C line 2: invalid identity name \"c i\" in rule.prod.identities",
        fails("rule.prod.path = /m\nrule.prod.identities = c i"));
  }

  @Test
  void parse_ruleEmptyIdentityEntry_throws() throws Exception {
    assertEquals("config C line 2: empty entry in rule.prod.identities list",
        fails("rule.prod.path = /m\nrule.prod.identities = ci,,x"));
  }

  @Test
  void parse_relativeTrustedRoot_resolvedAgainstConfigDirectory() throws Exception {
    assertEquals(conf().resolveSibling("sigstore/trusted_root.json"),
        parse("trusted-root = sigstore/trusted_root.json").trustedRoot);
  }

  @Test
  void parse_noTrustedRoot_leftNullForTheShippedOne() throws Exception {
    assertNull(parse("mode = enforce").trustedRoot);
  }
}
