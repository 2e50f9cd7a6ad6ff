package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.SignedModels.keyId;
import static dev.modelseal.agent.internal.SignedModels.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key rule on its own ({@link KeyRule}): which of the trusted keys {@code prod} and {@code lab} may speak for
 * a location, with a made-up signature check that verifies for the keys a test names.
 */
class KeyRuleTest {
  @TempDir Path tmp;
  private SignedModels m;
  private Path models;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    models = m.dir.resolve("models");
  }

  private KeyRule keyRule(String rules) throws Exception {
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\nkey.lab = "
        + m.labPub + "\n" + rules);
    return new KeyRule(AgentSettings.load("config=" + conf, Map.of(), Map.of()));
  }

  private KeyRule prodOnlyUnderModels() throws Exception {
    return keyRule(rule("prod", models, "prod"));
  }

  /** A signature that verifies with the keys named in {@code verifying}; keys in {@code unusable} cannot check it. */
  private static KeyRule.Verification<String> signedBy(Set<String> verifying, Set<String> unusable) {
    return key -> {
      if (unusable.contains(key.name())) {
        return null;
      }
      if (!verifying.contains(key.name())) {
        throw new VerificationException(VerificationException.Reason.SIGNATURE_INVALID,
            "does not verify with " + key.name());
      }
      return "checked by " + key.name();
    };
  }

  private static KeyRule.Verification<String> signedBy(String... verifying) {
    return signedBy(Set.of(verifying), Set.of());
  }

  private Rejection refusal(KeyRule rule, byte[] hint, KeyRule.Verification<String> verification) {
    return assertThrows(Rejection.class,
        () -> rule.verify(models.resolve("model.onnx"), "model.onnx", hint, "trusted key", verification));
  }

  @Test
  void verify_allowedKeyVerifies_returnsThatKeyAndWhatItYielded() throws Exception {
    KeyRule.Signer<String> s = prodOnlyUnderModels().verify(models.resolve("model.onnx"), "model.onnx", null,
        "trusted key", signedBy("prod"));

    assertEquals("prod checked by prod", s.key().name() + " " + s.result());
  }

  @Test
  void verify_onlyAKeyNotAllowedHereVerifies_refusedUntrustedKeyNamingIt() throws Exception {
    Rejection r = refusal(prodOnlyUnderModels(), null, signedBy("lab"));

    assertEquals("UNTRUSTED_KEY: model.onnx: signed by key " + keyId(m.lab) + ", which is not allowed to sign"
        + " models at this location", r.reason + ": " + r.getMessage());
  }

  @Test
  void verify_locationUnderTheLongerOfTwoRules_usesThatRulesKeys() throws Exception {
    KeyRule rule = keyRule(rule("lab", models, "lab") + rule("prod", models.resolve("prod"), "prod"));

    KeyRule.Signer<String> s = rule.verify(models.resolve("prod/model.onnx"), "model.onnx", null, "trusted key",
        signedBy("prod", "lab"));
    assertEquals("prod", s.key().name());
  }

  @Test
  void verify_noRuleForTheLocation_refusedUntrustedKeyNamingTheUsableKeys() throws Exception {
    KeyRule rule = keyRule(rule("prod", m.dir.resolve("elsewhere"), "prod"));

    Rejection r = assertThrows(Rejection.class, () -> rule.verify(models.resolve("model.onnx"), "model.sig", null,
        "trusted ECDSA key", signedBy()));
    assertEquals("UNTRUSTED_KEY: model.sig: no trusted ECDSA key may sign models at this location",
        r.reason + ": " + r.getMessage());
  }

  @Test
  void verify_allowedKeyCannotCheckTheSignature_refusedAsIfNoKeyWereAllowed() throws Exception {
    Rejection r = refusal(prodOnlyUnderModels(), null, signedBy(Set.of(), Set.of("prod")));

    assertEquals("UNTRUSTED_KEY: model.onnx: no trusted key may sign models at this location",
        r.reason + ": " + r.getMessage());
  }

  @Test
  void verify_noKeyVerifies_refusedWithTheFirstAllowedKeysFailure() throws Exception {
    Rejection r = refusal(keyRule(""), null, signedBy());

    assertEquals("SIGNATURE_INVALID: model.onnx: does not verify with prod", r.reason + ": " + r.getMessage());
  }

  @Test
  void verify_invalidSignatureWhoseHintNamesNoAllowedKey_refusedUntrustedKey() throws Exception {
    byte[] hint = new byte[32];

    Rejection r = refusal(prodOnlyUnderModels(), hint, signedBy());
    assertEquals("UNTRUSTED_KEY: model.onnx: signed by key " + HexFormat.of().formatHex(hint)
        + ", which is not trusted", r.reason + ": " + r.getMessage());
  }

  @Test
  void verify_invalidSignatureWhoseHintNamesAnAllowedKey_refusedWithThatKeysFailure() throws Exception {
    byte[] hint = HexFormat.of().parseHex(keyId(m.prod));

    Rejection r = refusal(prodOnlyUnderModels(), hint, signedBy());
    assertEquals("SIGNATURE_INVALID: model.onnx: does not verify with prod", r.reason + ": " + r.getMessage());
  }

  @Test
  void requireAllowedAtEach_keyAllowedAtEveryListedFile_passes() throws Exception {
    KeyRule rule = keyRule(rule("lab", models, "lab, prod") + rule("prod", models.resolve("prod"), "prod"));

    rule.requireAllowedAtEach(keyId(m.prod), models, List.of("model.onnx", "prod/weights.bin"), "model.sig");
  }

  @Test
  void requireAllowedAtEach_filesUnderRuleNamingOtherKeys_refusedNamingTheFirstByName() throws Exception {
    KeyRule rule = keyRule(rule("lab", models, "lab") + rule("prod", models.resolve("prod"), "prod"));

    Rejection r = assertThrows(Rejection.class, () -> rule.requireAllowedAtEach(keyId(m.lab), models,
        List.of("model.onnx", "prod/weights.bin", "prod/a.bin"), "model.sig"));
    assertEquals("UNTRUSTED_KEY: model.sig: signed by key " + keyId(m.lab) + ", which is not allowed to sign"
        + " prod/a.bin at its location", r.reason + ": " + r.getMessage());
  }
}
