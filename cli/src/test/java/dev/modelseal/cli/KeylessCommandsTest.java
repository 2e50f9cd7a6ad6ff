package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless {@code verify-blob} and {@code verify-blob-attestation} on real bundles: what the CLI itself
 * checks besides core (the digest form against a SHA-384 bundle, {@code --type}, stdin).
 */
class KeylessCommandsTest {
  static final Path P384 = Vectors.sigstore().resolve("java-keyless-ecdsa-p384-sha-384");
  static final Path MODEL = Vectors.sigstore().resolve("model-signing-v1.0.1-sigstore");
  static final String MODEL_DIGEST = "sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";

  @TempDir Path dir;
  CliRunner cli;

  @BeforeEach
  void files() throws Exception {
    cli = new CliRunner(dir);
    Files.copy(P384.resolve("PKIX_ECDSA_P384_SHA_384.sigstore.json"), dir.resolve("p384.json"));
    Files.copy(P384.resolve("artifact.txt"), dir.resolve("artifact.txt"));
    Files.copy(MODEL.resolve("model.sig"), dir.resolve("model.sig"));
  }

  private CliRunner.Result p384(String artifact) {
    return cli.run("verify-blob", "--bundle", "p384.json", "--certificate-identity",
        "untrusted-sa@sigstore-conformance.iam.gserviceaccount.com", "--certificate-oidc-issuer",
        "https://accounts.google.com", artifact);
  }

  private CliRunner.Result model(String... extra) {
    String[] head = {"verify-blob-attestation", "--bundle", "model.sig", "--certificate-identity",
        "stefanb@us.ibm.com", "--certificate-oidc-issuer", "https://sigstore.verify.ibm.com/oauth2"};
    String[] args = new String[head.length + extra.length + 1];
    System.arraycopy(head, 0, args, 0, head.length);
    System.arraycopy(extra, 0, args, head.length, extra.length);
    args[args.length - 1] = MODEL_DIGEST;
    return cli.run(args);
  }

  private static void assertOk(CliRunner.Result r) {
    assertEquals("Verified OK\n", r.err());
    assertEquals(0, r.status());
    assertEquals("", r.out());
  }

  private static void assertFails(String expectedErr, CliRunner.Result r) {
    assertEquals(expectedErr, r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  @Test
  void verifyBlob_sha384BundleWithFile_verifiedOk() {
    assertOk(p384("artifact.txt"));
  }

  @Test
  void verifyBlob_sha384BundleWithStdin_verifiedOk() {
    cli.stdin = cli.read("artifact.txt");
    assertOk(p384("-"));
  }

  @Test
  void verifyBlob_sha384BundleWithSha256Digest_clearError() {
    String digest = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    assertFails("Error: bundle p384.json signs the SHA-384 digest of the file, which cannot be checked from the "
        + "sha256 digest " + digest + ": pass the file itself\n", p384(digest));
  }

  @Test
  void verifyBlobAttestation_matchingTypeUri_verifiedOk() {
    assertOk(model("--type", "https://model_signing/signature/v1.0"));
  }

  @Test
  void verifyBlobAttestation_otherType_fails() {
    assertFails("Error: verification failed: invalid predicate type, expected https://slsa.dev/provenance/v1 got "
        + "https://model_signing/signature/v1.0\n", model("--type", "slsaprovenance1"));
  }

  @Test
  void verifyBlobAttestation_digestNotASubject_fails() {
    String other = "sha256:" + "0".repeat(64);
    assertFails("Error: verification failed: the artifact (" + other + ") is not a subject of the in-toto "
        + "statement\n", cli.run("verify-blob-attestation", "--bundle", "model.sig", "--certificate-identity",
            "stefanb@us.ibm.com", "--certificate-oidc-issuer", "https://sigstore.verify.ibm.com/oauth2", other));
  }
}
