package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-blob --key --trusted-root}: a managed-key Sigstore bundle's transparency-log entries are
 * verified against the trusted root too (the conformance case {@code managed-key-and-trusted-root}).
 */
class VerifyBlobKeyTrustedRootTest {
  static final Path CASE = Vectors.sigstore().resolve("managed-key-and-trusted-root");
  static final Path OTHER_ROOT = Vectors.sigstore().resolve("happy-path-v0.3/trusted_root.production.json");

  @TempDir Path dir;
  CliRunner cli;

  @BeforeEach
  void files() throws Exception {
    cli = CliRunner.withPassword(dir, "pw");
    for (String f : new String[] {"a.txt", "bundle.sigstore.json", "key.pub", "trusted_root.json"}) {
      Files.copy(CASE.resolve(f), dir.resolve(f));
    }
    Files.copy(OTHER_ROOT, dir.resolve("other_root.json"));
  }

  private void assertOk(CliRunner.Result r) {
    assertEquals("Verified OK\n", r.err());
    assertEquals(0, r.status());
  }

  @Test
  void verifyBlob_keyAndTrustedRoot_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "key.pub", "--bundle", "bundle.sigstore.json", "--trusted-root",
        "trusted_root.json", "--use-signed-timestamps", "a.txt"));
  }

  @Test
  void verifyBlob_keyWithoutTrustedRoot_logNotChecked_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "key.pub", "--bundle", "bundle.sigstore.json", "a.txt"));
  }

  @Test
  void verifyBlob_keyAndRootWithoutThatLog_fails() {
    CliRunner.Result r = cli.run("verify-blob", "--key", "key.pub", "--bundle", "bundle.sigstore.json",
        "--trusted-root", "other_root.json", "a.txt");
    assertEquals("Error: verification failed: transparency log entry 0: transparency log "
        + "d32f30a3c32d639c2b762205a21c7bb07788e68283a4ae6f42118723a1bea496 is not in the trusted root\n", r.err());
    assertEquals(1, r.status());
  }

  @Test
  void verifyBlob_keyAndTrustedRootWithDetachedSignature_fails() {
    cli.copySharedKeyPair();
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "a.sig", "a.txt").status());
    CliRunner.Result r = cli.run("verify-blob", "--key", "cosign.pub", "--signature", "a.sig", "--trusted-root",
        "trusted_root.json", "a.txt");
    assertEquals("Error: verification failed: a trusted root was given, but a detached signature carries no "
        + "transparency-log entry ModelSeal can check\n", r.err());
    assertEquals(1, r.status());
  }

  @Test
  void verifyBlob_keyAndInvalidTrustedRoot_fails() {
    cli.write("bad.json", "{\"mediaType\": \"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"");
    CliRunner.Result r = cli.run("verify-blob", "--key", "key.pub", "--bundle", "bundle.sigstore.json",
        "--trusted-root", "bad.json", "a.txt");
    assertEquals("Error: invalid trusted root bad.json: trusted root is not JSON: unexpected end of JSON at offset 73\n",
        r.err());
    assertEquals(1, r.status());
  }
}
