package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code verify-model} keyless: the released model_signing fixtures signed with Sigstore
 * ({@code oms/scripts/tests/v*-sigstore}, by {@code stefanb@us.ibm.com} through IBM's OIDC issuer) verify
 * with that identity, and are refused for another identity or issuer and when a file was changed.
 */
class VerifyModelKeylessCommandTest {
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  static final Path ROOT = Vectors.sigstore().resolve("model-signing-v1.0.1-sigstore/trusted_root.production.json");

  @TempDir Path dir;
  CliRunner cli;

  @BeforeEach
  void runner() {
    cli = new CliRunner(dir);
  }

  /** Copies a fixture folder, so that a test may change it. */
  private Path copy(String version) throws IOException {
    Path from = Vectors.omsFixtures().resolve(version + "-sigstore");
    Path to = dir.resolve(version);
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  private CliRunner.Result verify(String version, String... flags) {
    List<String> args = new ArrayList<>(List.of("verify-model"));
    args.addAll(List.of(flags));
    if (Files.exists(dir.resolve(version).resolve("ignore-me"))) {
      args.addAll(List.of("--ignore-paths", version + "/ignore-me"));
    }
    args.add(version);
    return cli.run(args.toArray(String[]::new));
  }

  private static void assertOk(CliRunner.Result r) {
    assertEquals("Verified OK\n", r.err());
    assertEquals(0, r.status());
    assertEquals("", r.out());
  }

  private static void assertFails(String why, CliRunner.Result r) {
    assertEquals("Error: verification failed: " + why + "\n", r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v0.3.1", "v1.0.0", "v1.0.1", "v1.1.0"})
  void verifyModel_signerIdentityAndTrustedRoot_verifiedOk(String version) throws IOException {
    copy(version);
    assertOk(verify(version, "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER,
        "--trusted-root", ROOT.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v0.3.1", "v1.0.0", "v1.0.1", "v1.1.0"})
  void verifyModel_shippedTrustedRoot_verifiedOk(String version) throws IOException {
    copy(version);
    assertOk(verify(version, "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER));
  }

  @Test
  void verifyModel_identityRegexps_verifiedOk() throws IOException {
    copy("v1.0.1");
    assertOk(verify("v1.0.1", "--certificate-identity-regexp", "@us\\.ibm\\.com$",
        "--certificate-oidc-issuer-regexp", "^https://sigstore\\.verify\\.ibm\\.com/"));
  }

  @Test
  void verifyModel_otherIdentity_refused() throws IOException {
    copy("v1.0.1");
    assertFails("certificate identity stefanb@us.ibm.com does not match the expected someone@us.ibm.com",
        verify("v1.0.1", "--certificate-identity", "someone@us.ibm.com",
        "--certificate-oidc-issuer", ISSUER));
  }

  @Test
  void verifyModel_identityRegexpNotMatching_refused() throws IOException {
    copy("v1.0.1");
    assertFails("certificate identity stefanb@us.ibm.com does not match the expected matching ^stefanb@example",
        verify("v1.0.1", "--certificate-identity-regexp", "^stefanb@example",
        "--certificate-oidc-issuer", ISSUER));
  }

  @Test
  void verifyModel_otherIssuer_refused() throws IOException {
    copy("v1.0.1");
    assertFails("certificate OIDC issuer https://sigstore.verify.ibm.com/oauth2 does not match the expected "
        + "https://token.actions.githubusercontent.com", verify("v1.0.1", "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com"));
  }

  @Test
  void verifyModel_tamperedFile_refused() throws IOException {
    Path model = copy("v1.0.1");
    Files.writeString(model.resolve("signme-1"), "tampered");
    assertFails("model does not match its signature: modified files: signme-1", verify("v1.0.1",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER));
  }

  @Test
  void verifyModel_keylessSignatureWithKey_refused() throws IOException {
    copy("v1.0.1");
    assertFails("the model was signed keyless (a Sigstore Fulcio certificate), not with a key or a certificate "
        + "chain; verify it with an identity and a trusted root", verify("v1.0.1", "--key",
        Vectors.omsFixtures().resolve("keys/certificate/signing-key-pub.pem").toString()));
  }

  @Test
  void verifyModel_ignoreMeNotIgnored_extraFile() throws IOException {
    copy("v1.0.1");
    assertFails("model does not match its signature: extra files: ignore-me", cli.run("verify-model",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "v1.0.1"));
  }
}
