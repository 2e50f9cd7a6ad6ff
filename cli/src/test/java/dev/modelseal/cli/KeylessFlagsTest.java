package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage errors of the keyless flags of {@code verify-blob}, {@code verify-blob-attestation} and
 * {@code verify-model}, each with its exact one-line message; and what the help says about the root.
 */
class KeylessFlagsTest {
  static final String ID = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
      + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final Path HAPPY = Vectors.sigstore().resolve("happy-path-v0.3");
  static final Path DSSE = Vectors.sigstore().resolve("happy-path-intoto-in-dsse-v3");

  @TempDir Path dir;
  CliRunner cli;

  @BeforeEach
  void files() throws Exception {
    cli = new CliRunner(dir);
    cli.copySharedKeyPair();
    Files.copy(HAPPY.resolve("a.txt"), dir.resolve("a.txt"));
    Files.copy(HAPPY.resolve("bundle.sigstore.json"), dir.resolve("keyless.json"));
    Files.copy(DSSE.resolve("bundle.sigstore.json"), dir.resolve("dsse.json"));
    cli.write("bad-root.json", "{\"mediaType\": \"something else\"}");
  }

  private void assertUsage(String message, String... args) {
    CliRunner.Result r = cli.run(args);
    assertEquals("Error: " + message + "\n", r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  @Test
  void verifyBlob_keyAndIdentity_usageError() {
    assertUsage("--key and --certificate-identity cannot be used together", "verify-blob", "--key", "cosign.pub",
        "--bundle", "keyless.json", "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_keyAndIssuerOnly_usageError() {
    assertUsage("--key and --certificate-oidc-issuer cannot be used together", "verify-blob", "--key", "cosign.pub",
        "--bundle", "keyless.json", "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_keyAndIdentityRegexp_usageError() {
    assertUsage("--key and --certificate-identity-regexp cannot be used together", "verify-blob", "--key",
        "cosign.pub", "--bundle", "keyless.json", "--certificate-identity-regexp", ".*", "a.txt");
  }

  @Test
  void verifyBlob_neitherKeyNorIdentity_usageError() {
    assertUsage("--key, or --certificate-identity and --certificate-oidc-issuer (keyless), is required",
        "verify-blob", "--bundle", "keyless.json", "a.txt");
  }

  @Test
  void verifyBlob_emptyKey_usageError() {
    assertUsage("--key must not be empty", "verify-blob", "--key=", "--bundle", "keyless.json", "a.txt");
  }

  @Test
  void verifyBlobAttestation_emptyKey_usageError() {
    assertUsage("--key must not be empty", "verify-blob-attestation", "--key", "", "--bundle", "dsse.json", "a.txt");
  }

  @Test
  void verifyBlob_identityAndIdentityRegexp_usageError() {
    assertUsage("--certificate-identity and --certificate-identity-regexp cannot be used together", "verify-blob",
        "--bundle", "keyless.json", "--certificate-identity", ID, "--certificate-identity-regexp", ".*",
        "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_issuerAndIssuerRegexp_usageError() {
    assertUsage("--certificate-oidc-issuer and --certificate-oidc-issuer-regexp cannot be used together",
        "verify-blob", "--bundle", "keyless.json", "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER,
        "--certificate-oidc-issuer-regexp", ".*", "a.txt");
  }

  @Test
  void verifyBlob_issuerWithoutIdentity_usageError() {
    assertUsage("--certificate-identity or --certificate-identity-regexp is required for verification in keyless "
        + "mode", "verify-blob", "--bundle", "keyless.json", "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_identityWithoutIssuer_usageError() {
    assertUsage("--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in "
        + "keyless mode", "verify-blob", "--bundle", "keyless.json", "--certificate-identity", ID, "a.txt");
  }

  @Test
  void verifyBlob_emptyIdentity_usageError() {
    assertUsage("--certificate-identity must not be empty", "verify-blob", "--bundle", "keyless.json",
        "--certificate-identity=", "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_emptyIssuerRegexp_usageError() {
    assertUsage("--certificate-oidc-issuer-regexp must not be empty", "verify-blob", "--bundle", "keyless.json",
        "--certificate-identity", ID, "--certificate-oidc-issuer-regexp", "", "a.txt");
  }

  @Test
  void verifyBlob_invalidIdentityRegexp_usageError() {
    assertUsage("invalid --certificate-identity-regexp \"(\": Unclosed group at index 1", "verify-blob",
        "--bundle", "keyless.json", "--certificate-identity-regexp", "(", "--certificate-oidc-issuer", ISSUER,
        "a.txt");
  }

  @Test
  void verifyBlob_invalidIssuerRegexp_usageError() {
    assertUsage("invalid --certificate-oidc-issuer-regexp \"[a\": Unclosed character class at index 1",
        "verify-blob", "--bundle", "keyless.json", "--certificate-identity", ID, "--certificate-oidc-issuer-regexp",
        "[a", "a.txt");
  }

  @Test
  void verifyBlob_keylessWithSignature_usageError() {
    assertUsage("--signature cannot be used keyless: pass the Sigstore bundle with --bundle", "verify-blob",
        "--signature", "AAAA", "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_keylessWithoutBundle_usageError() {
    assertUsage("--bundle is required for keyless verification", "verify-blob", "--certificate-identity", ID,
        "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_keylessWithDigestAlgorithm_usageError() {
    assertUsage("--signature-digest-algorithm is only used with --key", "verify-blob", "--bundle", "keyless.json",
        "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "--signature-digest-algorithm", "sha256",
        "a.txt");
  }

  @Test
  void verifyBlob_missingTrustedRoot_readError() {
    assertUsage("cannot read nope.json: no such file", "verify-blob", "--bundle", "keyless.json",
        "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "--trusted-root", "nope.json", "a.txt");
  }

  @Test
  void verifyBlob_emptyTrustedRoot_usageError() {
    assertUsage("--trusted-root must not be empty", "verify-blob", "--bundle", "keyless.json",
        "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "--trusted-root=", "a.txt");
  }

  @Test
  void verifyBlob_malformedDigestArgument_noSuchFile() {
    assertUsage("cannot read sha256:abcd: no such file", "verify-blob", "--bundle", "keyless.json",
        "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "sha256:abcd");
  }

  @Test
  void verifyBlob_attestationBundle_sentToVerifyBlobAttestation() {
    assertUsage("bundle dsse.json holds an attestation (a DSSE envelope), not a signature of the file: verify it "
        + "with verify-blob-attestation", "verify-blob", "--bundle", "dsse.json", "--certificate-identity", ID,
        "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlob_attestationBundleWithKey_sentToVerifyBlobAttestation() {
    assertUsage("bundle dsse.json holds an attestation (a DSSE envelope), not a signature of the file: verify it "
        + "with verify-blob-attestation", "verify-blob", "--key", "cosign.pub", "--bundle", "dsse.json", "a.txt");
  }

  @Test
  void verifyBlob_keylessBundleWithKey_fails() {
    assertUsage("verification failed: the bundle carries a signing certificate (a keyless signature), not a "
        + "signature by a key; verify it with an identity and a trusted root, not a key", "verify-blob",
        "--key", "cosign.pub", "--bundle", "keyless.json", "a.txt");
  }

  @Test
  void verifyBlob_keyWithMissingTrustedRoot_readError() {
    assertUsage("cannot read nope.json: no such file", "verify-blob", "--key", "cosign.pub", "--bundle",
        "keyless.json", "--trusted-root", "nope.json", "a.txt");
  }

  @Test
  void verifyBlobAttestation_noBundle_usageError() {
    assertUsage("--bundle is required", "verify-blob-attestation", "--certificate-identity", ID,
        "--certificate-oidc-issuer", ISSUER, "a.txt");
  }

  @Test
  void verifyBlobAttestation_keyAndIdentity_usageError() {
    assertUsage("--key and --certificate-identity cannot be used together", "verify-blob-attestation", "--key",
        "cosign.pub", "--bundle", "dsse.json", "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER,
        "a.txt");
  }

  @Test
  void verifyBlobAttestation_neitherKeyNorIdentity_usageError() {
    assertUsage("--key, or --certificate-identity and --certificate-oidc-issuer (keyless), is required",
        "verify-blob-attestation", "--bundle", "dsse.json", "a.txt");
  }

  @Test
  void verifyBlobAttestation_identityWithoutIssuer_usageError() {
    assertUsage("--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in "
        + "keyless mode", "verify-blob-attestation", "--bundle", "dsse.json", "--certificate-identity", ID,
        "a.txt");
  }

  @Test
  void verifyBlobAttestation_checkClaimsFalse_usageError() {
    assertUsage("--check-claims=false is not supported: the subject digest is always checked",
        "verify-blob-attestation", "--bundle", "dsse.json", "--certificate-identity", ID,
        "--certificate-oidc-issuer", ISSUER, "--check-claims=false", "a.txt");
  }

  @Test
  void verifyBlobAttestation_invalidType_usageError() {
    assertUsage("invalid predicate type: not a uri", "verify-blob-attestation", "--bundle", "dsse.json",
        "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "--type", "not a uri", "a.txt");
  }

  @Test
  void predicateType_cosignNamesAndUris_resolved() throws Exception {
    assertEquals("https://slsa.dev/provenance/v0.2", PredicateTypes.resolve("slsaprovenance"));
    assertEquals("https://slsa.dev/provenance/v1", PredicateTypes.resolve("slsaprovenance1"));
    assertEquals("https://cosign.sigstore.dev/attestation/v1", PredicateTypes.resolve("custom"));
    assertEquals("https://model_signing/signature/v1.0",
        PredicateTypes.resolve("https://model_signing/signature/v1.0"));
    assertEquals(null, PredicateTypes.resolve(null));
  }

  @Test
  void verifyModel_keyAndIdentity_usageError() {
    assertUsage("--key and --certificate-identity cannot be used together", "verify-model", "--key", "cosign.pub",
        "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, ".");
  }

  @Test
  void verifyModel_certificateChainAndIdentity_usageError() {
    assertUsage("--certificate-chain and --certificate-identity-regexp cannot be used together", "verify-model",
        "--certificate-chain", "ca.pem", "--certificate-identity-regexp", ".*", "--certificate-oidc-issuer", ISSUER,
        ".");
  }

  @Test
  void verifyModel_trustedRootWithKey_usageError() {
    assertUsage("--trusted-root is only used keyless, with --certificate-identity", "verify-model", "--key",
        "cosign.pub", "--trusted-root", "root.json", ".");
  }

  @Test
  void verifyModel_identityWithoutIssuer_usageError() {
    assertUsage("--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in "
        + "keyless mode", "verify-model", "--certificate-identity", ID, ".");
  }

  @Test
  void help_keylessCommands_sayShippedRootDateAndHowToPassANewerOne() {
    for (String command : new String[] {"verify-blob", "verify-blob-attestation", "verify-model"}) {
      String help = cli.run(command, "--help").out();
      assertTrue(help.contains("Sigstore public-good trusted root shipped with ModelSeal is\nused; it dates from "
          + KeylessOptions.SHIPPED_ROOT_DATE + "."), help);
      assertTrue(help.contains("pass it with --trusted-root"), help);
      assertTrue(help.contains("--certificate-identity-regexp RE"), help);
      assertTrue(help.contains("Nothing is fetched from the network."), help);
    }
  }
}
