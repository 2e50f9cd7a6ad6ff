package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicKeyCommandTest {
  @TempDir Path dir;

  @Test
  void publicKey_encryptedKey_printsSamePemAsGenerated() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    CliRunner.Result r = cli.run("public-key", "--key", "cosign.key");
    assertEquals(0, r.status(), r.err());
    assertEquals(cli.readString("cosign.pub"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void publicKey_outfile_writesFile() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    CliRunner.Result r = cli.run("public-key", "--key", "cosign.key", "--outfile", "again.pub");
    assertEquals(0, r.status(), r.err());
    assertEquals("Public key written to again.pub\n", r.err());
    assertEquals(cli.readString("cosign.pub"), cli.readString("again.pub"));
  }

  @Test
  void publicKey_unencryptedKey_needsNoPassword() {
    CliRunner cli = new CliRunner(dir);
    KeyPair kp = TestKeys.ed25519();
    cli.write("ed.pem", TestKeys.privatePem(kp));
    CliRunner.Result r = cli.run("public-key", "--key", "ed.pem");
    assertEquals(0, r.status(), r.err());
    assertEquals(TestKeys.publicPem(kp), r.out());
  }

  @Test
  void publicKey_wrongPassword_failsAndWritesNothing() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    cli.env.put("COSIGN_PASSWORD", "");
    CliRunner.Result r = cli.run("public-key", "--key", "cosign.key", "--outfile", "x.pub");
    assertEquals(1, r.status());
    assertEquals("Error: cannot use key cosign.key: decryption failed: wrong password or corrupt key file\n", r.err());
    assertEquals(List.of("cosign.key", "cosign.pub"), cli.listing());
  }

  @Test
  void publicKey_noKeyFlag_fails() {
    CliRunner.Result r = new CliRunner(dir).run("public-key");
    assertEquals(1, r.status());
    assertEquals("Error: --key is required\n", r.err());
  }
}
