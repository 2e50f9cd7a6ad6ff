package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key rule for keyless signatures ({@link KeyRule#verifyKeyless}): which of the trusted identities {@code ci} and
 * {@code release} may speak for a location, with a made-up check that verifies for the identities a test names.
 */
class KeyRuleIdentityTest {
  @TempDir Path tmp;
  private SignedModels m;
  private Path models;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    models = m.dir.resolve("models");
  }

  private KeyRule keyRule(String config) throws Exception {
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\n" + Keyless.rootLine()
        + Keyless.signer("ci") + Keyless.identity("release", "release@example.com", "https://accounts.google.com")
        + config);
    return new KeyRule(AgentSettings.load("config=" + conf, Map.of(), Map.of()));
  }

  private static String rule(String name, Path path, String identities) {
    return "rule." + name + ".path = " + path + "\nrule." + name + ".identities = " + identities + "\n";
  }

  /** A keyless check that verifies for the identities named in {@code verifying}. */
  private static KeyRule.KeylessVerification<String> signedBy(String... verifying) {
    Set<String> names = Set.of(verifying);
    return identity -> {
      if (!names.contains(identity.name())) {
        throw new VerificationException(VerificationException.Reason.UNTRUSTED_KEY,
            "certificate identity does not match " + identity.name());
      }
      return "checked by " + identity.name();
    };
  }

  private Rejection refusal(KeyRule rule, KeyRule.KeylessVerification<String> verification) {
    return assertThrows(Rejection.class,
        () -> rule.verifyKeyless(models.resolve("model.onnx"), "model.onnx", verification));
  }

  @Test
  void verifyKeyless_noRules_anyIdentityThatVerifies() throws Exception {
    KeyRule.IdentitySigner<String> s = keyRule("").verifyKeyless(models.resolve("model.onnx"), "model.onnx",
        signedBy("release"));

    assertEquals("release checked by release", s.identity().name() + " " + s.result());
  }

  @Test
  void verifyKeyless_allowedIdentityVerifies_returnsIt() throws Exception {
    KeyRule.IdentitySigner<String> s = keyRule(rule("prod", models, "ci")).verifyKeyless(
        models.resolve("model.onnx"), "model.onnx", signedBy("ci"));

    assertEquals("identity:ci", s.identity().signer());
  }

  @Test
  void verifyKeyless_onlyAnIdentityNotAllowedHereVerifies_refusedUntrustedKeyNamingIt() throws Exception {
    Rejection r = refusal(keyRule(rule("prod", models, "ci")), signedBy("release"));

    assertEquals("UNTRUSTED_KEY: model.onnx: signed by identity release, which is not allowed to sign models at this"
        + " location", r.reason + ": " + r.getMessage());
  }

  @Test
  void verifyKeyless_noAllowedIdentityVerifies_refusedWithTheFailureOfTheFirstInConfigOrder() throws Exception {
    Rejection r = refusal(keyRule(rule("prod", models, "release, ci")), signedBy());

    assertEquals("UNTRUSTED_KEY: model.onnx: certificate identity does not match ci",
        r.reason + ": " + r.getMessage());
  }

  @Test
  void verifyKeyless_ruleNamingKeysOnly_refusedNoTrustedIdentity() throws Exception {
    Rejection r = refusal(keyRule(SignedModels.rule("prod", models, "prod")), signedBy("ci"));

    assertEquals("UNTRUSTED_KEY: model.onnx: signed by identity ci, which is not allowed to sign models at this"
        + " location", r.reason + ": " + r.getMessage());
  }

  @Test
  void verifyKeyless_noRuleForTheLocationAndNothingVerifies_refusedNoTrustedIdentity() throws Exception {
    Rejection r = refusal(keyRule(rule("prod", m.dir.resolve("elsewhere"), "ci")), signedBy());

    assertEquals("UNTRUSTED_KEY: model.onnx: no trusted identity may sign models at this location",
        r.reason + ": " + r.getMessage());
  }

  @Test
  void verifyKeyless_noIdentityConfigured_refusedNamingTheIdentitySettings() throws Exception {
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\n");
    KeyRule rule = new KeyRule(AgentSettings.load("config=" + conf, Map.of(), Map.of()));

    Rejection r = refusal(rule, signedBy("ci"));

    assertEquals("UNTRUSTED_KEY: model.onnx: signed keyless (a Fulcio certificate, no key), and no trusted identity"
        + " is configured: set identity.<name>.san (or .san-regexp) and identity.<name>.issuer (or .issuer-regexp)"
        + " in the config file", r.reason + ": " + r.getMessage());
  }

  @Test
  void requireAllowedAtEach_identityAllowedAtEveryListedFile_passes() throws Exception {
    KeyRule rule = keyRule(rule("all", models, "ci"));

    rule.requireAllowedAtEach("identity:ci", models, List.of("model.onnx", "sub/weights.bin"), "model.sig");
  }

  @Test
  void requireAllowedAtEach_fileUnderARuleNamingOtherIdentities_refusedNamingTheIdentityAndFile() throws Exception {
    KeyRule rule = keyRule(rule("all", models, "ci") + rule("sub", models.resolve("sub"), "release"));

    Rejection r = assertThrows(Rejection.class, () -> rule.requireAllowedAtEach("identity:ci", models,
        List.of("model.onnx", "sub/weights.bin"), "model.sig"));
    assertEquals("UNTRUSTED_KEY: model.sig: signed by identity ci, which is not allowed to sign sub/weights.bin at"
        + " its location", r.reason + ": " + r.getMessage());
  }

  @Test
  void requireAllowedAtEach_keyIdNamingNoIdentity_refusedAsAKey() throws Exception {
    KeyRule rule = keyRule(rule("all", models, "ci"));

    Rejection r = assertThrows(Rejection.class, () -> rule.requireAllowedAtEach(SignedModels.keyId(m.prod), models,
        List.of("model.onnx"), "model.sig"));
    assertEquals("UNTRUSTED_KEY: model.sig: signed by key " + SignedModels.keyId(m.prod) + ", which is not allowed"
        + " to sign model.onnx at its location", r.reason + ": " + r.getMessage());
  }
}
