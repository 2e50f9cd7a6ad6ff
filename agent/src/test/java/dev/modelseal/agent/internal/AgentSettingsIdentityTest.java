package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.CosignKeyWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trusted identities in the settings: loading, the trusted root, and which identities a location allows. */
class AgentSettingsIdentityTest {
  @TempDir Path tmp;
  private Path dir;
  private Path keyA;

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.toRealPath();
    keyA = Files.writeString(dir.resolve("a.pub"),
        CosignKeyWriter.publicKeyPem(CosignKeyWriter.generateKeyPair().getPublic()));
  }

  private AgentSettings load(String config) throws Exception {
    return AgentSettings.load("config=" + Files.writeString(dir.resolve("ms.conf"), config), Map.of(), Map.of());
  }

  private String fails(String config) throws Exception {
    Path conf = Files.writeString(dir.resolve("ms.conf"), config);
    return assertThrows(SettingsException.class, () -> AgentSettings.load("config=" + conf, Map.of(), Map.of()))
        .getMessage().replace(conf.toString(), "C");
  }

  private static List<String> names(List<TrustedIdentity> identities) {
    List<String> names = new ArrayList<>();
    for (TrustedIdentity i : identities) {
      names.add(i.name());
    }
    return names;
  }

  /** Identities ci and release; /m/prod allows ci, /m/prod/beta release, /m/keys only the key a. */
  private AgentSettings rules() throws Exception {
    return load("key.a = " + keyA + "\n" + Keyless.rootLine() + Keyless.signer("ci")
        + Keyless.identity("release", "release@example.com", "https://accounts.google.com")
        + "rule.prod.path = /m/prod\nrule.prod.identities = ci\nrule.beta.path = /m/prod/beta\n"
        + "rule.beta.identities = release\nrule.beta.keys = a\nrule.keys.path = /m/keys\nrule.keys.keys = a\n");
  }

  @Test
  void load_identitiesOnly_loadsWithNoKeys() throws Exception {
    AgentSettings s = load(Keyless.rootLine() + Keyless.signer("ci"));

    assertEquals(List.of(), s.keys());
    assertEquals(List.of("ci"), names(s.identities()));
  }

  @Test
  void load_identityWithTheShippedRoot_loads() throws Exception {
    assertEquals(List.of("ci"), names(load(Keyless.signer("ci")).identities()));
  }

  @Test
  void load_configWithNoKeyAndNoIdentity_throwsNamingBoth() throws Exception {
    assertEquals("no trusted keys configured (set key=/path/to/cosign.pub or a config file with key.<name> = ..."
        + " or identity.<name>.san and identity.<name>.issuer)", fails("mode = enforce\n"));
  }

  @Test
  void load_ruleNamesUnknownIdentity_throwsListingTheKnownOnes() throws Exception {
    assertEquals("config C line 5: rule \"prod\" names unknown identity \"cj\" (known: ci)",
        fails(Keyless.rootLine() + Keyless.signer("ci") + "rule.prod.path = /m\nrule.prod.identities = cj\n"));
  }

  @Test
  void load_ruleNamesAnIdentityWhenNoneIsConfigured_throwsKnownNone() throws Exception {
    assertEquals("config C line 3: rule \"prod\" names unknown identity \"ci\" (known: none)",
        fails("key.a = " + keyA + "\nrule.prod.path = /m\nrule.prod.identities = ci\n"));
  }

  @Test
  void load_ruleNamesAKeyWhenOnlyIdentitiesAreConfigured_throwsKnownNone() throws Exception {
    assertEquals("config C line 5: rule \"prod\" names unknown key \"a\" (known: none)",
        fails(Keyless.rootLine() + Keyless.signer("ci") + "rule.prod.path = /m\nrule.prod.keys = a\n"));
  }

  @Test
  void load_missingTrustedRoot_throws() throws Exception {
    assertEquals("cannot read trusted root " + dir.resolve("none.json") + ": no such file",
        fails("trusted-root = none.json\n" + Keyless.signer("ci")));
  }

  @Test
  void load_trustedRootThatIsNoTrustedRoot_throwsWithTheParsersReason() throws Exception {
    Files.writeString(dir.resolve("root.json"), "{\"mediaType\": \"x\"}");

    assertEquals("cannot read trusted root " + dir.resolve("root.json") + ": trusted root has media type x, expected"
        + " application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        fails("trusted-root = root.json\n" + Keyless.signer("ci")));
  }

  @Test
  void load_trustedRootWritableByOthers_throws() throws Exception {
    Path root = Files.copy(Keyless.trustedRoot(), dir.resolve("root.json"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rw-rw-rw-"));

    assertEquals("trusted root " + root + " is writable by group or others (rw-rw-rw-); only its owner may be able"
        + " to change it: chmod go-w " + root, fails("trusted-root = root.json\n" + Keyless.signer("ci")));
  }

  @Test
  void load_trustedRootWithoutIdentities_isStillRead() throws Exception {
    assertEquals("cannot read trusted root " + dir.resolve("none.json") + ": no such file",
        fails("key.a = " + keyA + "\ntrusted-root = none.json\n"));
  }

  @Test
  void identitiesFor_noRules_everyIdentityEverywhere() throws Exception {
    AgentSettings s = load("key.a = " + keyA + "\n" + Keyless.rootLine() + Keyless.signer("ci")
        + Keyless.signer("ci2"));

    assertEquals(List.of("ci", "ci2"), names(s.identitiesFor(Path.of("/anywhere/model.onnx"))));
  }

  @Test
  void identitiesFor_underARuleNamingIdentities_thoseIdentities() throws Exception {
    assertEquals(List.of("ci"), names(rules().identitiesFor(Path.of("/m/prod/model.onnx"))));
  }

  @Test
  void identitiesFor_underTheLongerOfTwoRules_thatRulesIdentities() throws Exception {
    assertEquals(List.of("release"), names(rules().identitiesFor(Path.of("/m/prod/beta/model.onnx"))));
  }

  @Test
  void identitiesFor_underARuleNamingKeysOnly_none() throws Exception {
    AgentSettings s = rules();

    assertEquals(List.of(), names(s.identitiesFor(Path.of("/m/keys/model.onnx"))));
    assertEquals(1, s.keysFor(Path.of("/m/keys/model.onnx")).size());
  }

  @Test
  void keysFor_underARuleNamingIdentitiesOnly_none() throws Exception {
    assertEquals(List.of(), rules().keysFor(Path.of("/m/prod/model.onnx")));
  }

  @Test
  void identitiesFor_outsideEveryRule_none() throws Exception {
    assertEquals(List.of(), names(rules().identitiesFor(Path.of("/elsewhere/model.onnx"))));
  }

  @Test
  void describe_withIdentities_namesThemWithTheirSanAndIssuer() throws Exception {
    AgentSettings s = load(Keyless.rootLine() + Keyless.signer("ci")
        + "identity.any.san-regexp = @example\\.com$\nidentity.any.issuer-regexp = ^https://\n");

    assertEquals("mode=enforce keys=[] identities=[ci(san=" + Keyless.SAN + "; issuer=" + Keyless.ISSUER
        + "), any(san-regexp=@example\\.com$; issuer-regexp=^https://)] rules=0 exempt=0", s.describe());
  }
}
