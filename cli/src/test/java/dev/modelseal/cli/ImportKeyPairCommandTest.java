package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.core.CosignKeyReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportKeyPairCommandTest {
  @TempDir Path dir;

  @Test
  void importKeyPair_pkcs8_writesEncryptedKeyAndPub() throws Exception {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    KeyPair kp = TestKeys.ec("secp521r1");
    cli.write("k.pem", TestKeys.privatePem(kp));
    CliRunner.Result r = cli.run("import-key-pair", "--key", "k.pem");
    assertEquals(0, r.status(), r.err());
    assertEquals("Private key written to import-cosign.key\nPublic key written to import-cosign.pub\n", r.err());
    assertEquals(kp.getPublic(), CosignKeyReader.readPublicKey(cli.read("import-cosign.pub")));
    assertEquals(kp.getPublic(), CosignKeyReader.publicKeyOf(
        CosignKeyReader.readPrivateKey(cli.read("import-cosign.key"), "pw".getBytes(StandardCharsets.UTF_8))));
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.file("import-cosign.key"))));
  }

  @Test
  void importKeyPair_shortPrefixFlag_usesPrefix() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("k.pem", TestKeys.privatePem(TestKeys.rsa(2048)));
    assertEquals(0, cli.run("import-key-pair", "--key", "k.pem", "-o", "mine").status());
    assertEquals(List.of("k.pem", "mine.key", "mine.pub"), cli.listing());
  }

  @Test
  void importKeyPair_opensslVectorPkcs8Keys_imports() throws Exception {
    Path v = Vectors.openssl();
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    for (String k : new String[] {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519"}) {
      Files.copy(v.resolve(k + ".key.pem"), cli.file(k + ".pem"));
      CliRunner.Result r = cli.run("import-key-pair", "--key", k + ".pem", "--output-key-prefix", k);
      assertEquals(0, r.status(), k + ": " + r.err());
      assertEquals(CosignKeyReader.readPublicKey(v.resolve(k + ".pub.pem")),
          CosignKeyReader.readPublicKey(cli.read(k + ".pub")));
    }
  }

  @Test
  void importKeyPair_existingOutput_refusesUnlessForceOrYes() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("k.pem", TestKeys.privatePem(TestKeys.ed25519()));
    cli.write("import-cosign.key", "precious");
    CliRunner.Result r = cli.run("import-key-pair", "--key", "k.pem");
    assertEquals(1, r.status());
    assertEquals("Error: import-cosign.key already exists (use --force to overwrite)\n", r.err());
    assertEquals("precious", cli.readString("import-cosign.key"));
    assertEquals(0, cli.run("import-key-pair", "--key", "k.pem", "-y").status());
    assertEquals(0, cli.run("import-key-pair", "--key", "k.pem", "--force").status());
  }

  @Test
  void importKeyPair_alreadyCosignKey_fails() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    assertEquals("Error: cannot import cosign.key: it is already a cosign encrypted key\n",
        cli.run("import-key-pair", "--key", "cosign.key").err());
  }

  @Test
  void importKeyPair_unsupportedRsaSize_failsAndWritesNothing() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("k.pem", TestKeys.privatePem(TestKeys.rsa(1024)));
    CliRunner.Result r = cli.run("import-key-pair", "--key", "k.pem");
    assertEquals(1, r.status());
    assertEquals("Error: cannot use key k.pem: unsupported RSA key size 1024 bits (supported: 2048, 3072, 4096)\n",
        r.err());
    assertEquals(List.of("k.pem"), cli.listing());
  }

  @Test
  void importKeyPair_publicKeyGiven_fails() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("k.pub", TestKeys.publicPem(TestKeys.ec("secp256r1")));
    assertEquals("Error: cannot use key k.pub: unsupported private key PEM type PUBLIC KEY\n",
        cli.run("import-key-pair", "--key", "k.pub").err());
  }

  @Test
  void importKeyPair_missingKeyFlag_fails() {
    assertEquals("Error: --key is required\n", CliRunner.withPassword(dir, "pw").run("import-key-pair").err());
  }
}
