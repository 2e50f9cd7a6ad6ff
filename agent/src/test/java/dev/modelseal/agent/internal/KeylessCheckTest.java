package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.SignedModels.refused;
import static dev.modelseal.agent.internal.SignedModels.signSig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file's keyless Sigstore bundle ({@code X.sigstore.json} with a Fulcio certificate), checked by the real
 * gate ({@link ModelChecker}, {@link KeyRule#verifyKeyless}) with the trusted identities: the conformance vector
 * {@code happy-path-v0.3} ({@link Keyless}) as {@code models/a.txt}.
 */
class KeylessCheckTest {
  @TempDir Path tmp;
  private SignedModels m;
  private Path model;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    model = Keyless.signedModel(m.dir.resolve("models/a.txt"));
  }

  private String rejected(String reason, String detail) {
    return "model rejected (" + reason + "): " + model + ": " + detail;
  }

  /** The regular files left in the pin folder (but its lock). */
  private List<Path> pinnedFiles() throws Exception {
    Path pins = m.dir.resolve("pins");
    if (!Files.exists(pins)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.walk(pins)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock")).toList();
    }
  }

  @Test
  void checkPath_bundleByAnotherIdentity_refusedWithTheIdentityPolicysMessage() throws Exception {
    String config = Keyless.rootLine() + Keyless.identity("other", "someone@example.com", Keyless.ISSUER);

    assertEquals(rejected("UNTRUSTED_KEY", "a.txt: certificate identity " + Keyless.SAN + " does not match the"
        + " expected someone@example.com"), m.refusal(config, model));
  }

  @Test
  void checkPath_inMemoryCopyOfAKeylessSignedFile_allowedLoggingTheIdentity() throws Exception {
    Gate gate = m.gate(Keyless.rootLine() + Keyless.signer("beacon") + "models = " + m.dir.resolve("models") + "\n");

    byte[] verified = gate.checkBytes("test", Files.readAllBytes(model));

    assertArrayEquals(Files.readAllBytes(model), verified);
    assertTrue(m.decisionLines().get(0).contains("\"identity\":\"beacon\",\"decision\":\"allow\""),
        m.decisionLines().get(0));
  }

  @Test
  void checkPath_bundleByAConfiguredIdentity_allowedLoggingTheIdentity() throws Exception {
    Path pinned = m.gate(Keyless.rootLine() + Keyless.signer("beacon")).checkPath("test", model);

    assertArrayEquals(Files.readAllBytes(Keyless.resource("a.txt")), Files.readAllBytes(pinned));
    String line = m.decisionLines().get(0);
    assertTrue(line.contains("\"digest\":\"sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf\","
        + "\"keyId\":null,\"identity\":\"beacon\",\"decision\":\"allow\""), line);
  }

  @Test
  void checkPath_bundleBySecondOfTwoIdentities_allowedLoggingThatOne() throws Exception {
    m.gate(Keyless.rootLine() + Keyless.identity("other", "someone@example.com", Keyless.ISSUER)
        + Keyless.signer("beacon")).checkPath("test", model);

    assertTrue(m.decisionLines().get(0).contains("\"identity\":\"beacon\""), m.decisionLines().get(0));
  }

  @Test
  void checkPath_bundleBySanRegexpIdentity_allowed() throws Exception {
    m.gate(Keyless.rootLine() + "identity.gh.san-regexp = ^https://github\\.com/sigstore-conformance/\n"
        + "identity.gh.issuer-regexp = ^https://token\\.actions\\.githubusercontent\\.com$\n").checkPath("test", model);

    assertTrue(m.decisionLines().get(0).contains("\"identity\":\"gh\",\"decision\":\"allow\""), m.decisionLines().get(0));
  }

  @Test
  void checkPath_sha384BundleFromAP384Certificate_allowed() throws Exception {
    Path file = m.dir.resolve("models/p384/artifact.txt");
    Files.createDirectories(file.getParent());
    String vector = "/sigstore/java-keyless-ecdsa-p384-sha-384/";
    Files.copy(Path.of(getClass().getResource(vector + "artifact.txt").toURI()), file);
    Files.copy(Path.of(getClass().getResource(vector + "PKIX_ECDSA_P384_SHA_384.sigstore.json").toURI()),
        file.resolveSibling("artifact.txt.sigstore.json"));

    m.gate(Keyless.rootLine() + Keyless.identity("sa", "untrusted-sa@sigstore-conformance.iam.gserviceaccount.com",
        "https://accounts.google.com")).checkPath("test", file);

    assertTrue(m.decisionLines().get(0).contains("\"identity\":\"sa\",\"decision\":\"allow\""),
        m.decisionLines().get(0));
  }

  @Test
  void checkPath_noIdentityConfigured_refusedNamingTheIdentitySettings() throws Exception {
    assertEquals(rejected("UNTRUSTED_KEY", "a.txt: signed keyless (a Fulcio certificate, no key), and no trusted"
        + " identity is configured: set identity.<name>.san (or .san-regexp) and identity.<name>.issuer (or"
        + " .issuer-regexp) in the config file"), m.refusal("", model));
  }

  @Test
  void checkPath_identityNotAllowedByTheRuleOfTheLocation_refusedNamingIt() throws Exception {
    String config = Keyless.rootLine() + Keyless.signer("beacon") + SignedModels.rule("prod", m.dir.resolve("models"),
        "prod");

    assertEquals(rejected("UNTRUSTED_KEY", "a.txt: signed by identity beacon, which is not allowed to sign models at"
        + " this location"), m.refusal(config, model));
  }

  @Test
  void checkPath_keySignedFileWhereOnlyAnIdentityIsAllowed_refusedNoTrustedKey() throws Exception {
    Path keySigned = SignedModels.write(m.dir.resolve("models/ci/model.onnx"), "bytes");
    signSig(m.prod, keySigned);
    String config = Keyless.rootLine() + Keyless.signer("beacon") + "rule.ci.path = " + m.dir.resolve("models/ci")
        + "\nrule.ci.identities = beacon\n";

    assertEquals("model rejected (UNTRUSTED_KEY): " + keySigned + ": model.onnx: signed by key "
        + SignedModels.keyId(m.prod) + ", which is not allowed to sign models at this location",
        m.refusal(config, keySigned));
  }

  @Test
  void checkPath_fileChangedAfterSigning_refusedAndNothingPinned() throws Exception {
    Files.writeString(model, "Hello, World?");
    Gate gate = m.gate(Keyless.rootLine() + Keyless.signer("beacon"));

    String message = refused(() -> gate.checkPath("test", model)).getMessage();

    assertEquals(rejected("DIGEST_MISMATCH", "a.txt: transparency log entry 0: logged digest differs from the"
        + " artifact's digest"), message);
    assertTrue(m.decisionLines().get(0).contains("\"keyId\":null,\"decision\":\"deny\""), m.decisionLines().get(0));
    assertEquals(List.of(), pinnedFiles());
  }
}
