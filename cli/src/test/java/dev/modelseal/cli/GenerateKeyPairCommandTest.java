package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateKeyPairCommandTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void generate_defaultPrefix_writesCosignKeyAndPubWithModes() throws Exception {
    CliRunner cli = CliRunner.withPassword(dir, "secret");
    CliRunner.Result r = cli.run("generate-key-pair");
    assertEquals(0, r.status());
    assertEquals("Private key written to cosign.key\nPublic key written to cosign.pub\n", r.err());
    assertEquals("", r.out());
    assertEquals(List.of("cosign.key", "cosign.pub"), cli.listing());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.file("cosign.key"))));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.file("cosign.pub"))));
    String keyPem = cli.readString("cosign.key");
    assertTrue(keyPem.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), keyPem);
    PrivateKey key = CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "secret".getBytes(StandardCharsets.UTF_8));
    assertEquals(256, ((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize());
    assertEquals(CosignKeyReader.publicKeyOf(key), CosignKeyReader.readPublicKey(cli.read("cosign.pub")));
    assertEquals(178, cli.read("cosign.pub").length);
  }

  @Test
  void generate_outputKeyPrefixBothForms_writesPrefixedFiles() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", "a").status());
    CliRunner.Result r = cli.run("generate-key-pair", "--output-key-prefix=b");
    assertEquals(0, r.status());
    assertEquals("Private key written to b.key\nPublic key written to b.pub\n", r.err());
    assertEquals(List.of("a.key", "a.pub", "b.key", "b.pub"), cli.listing());
  }

  @Test
  void generate_existingKey_refusesAndLeavesItUntouched() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("cosign.key", "precious");
    CliRunner.Result r = cli.run("generate-key-pair");
    assertEquals(1, r.status());
    assertEquals("Error: cosign.key already exists (use --force to overwrite)\n", r.err());
    assertEquals("precious", cli.readString("cosign.key"));
    assertEquals(List.of("cosign.key"), cli.listing());
  }

  @Test
  void generate_existingPubOnly_refusesAndWritesNothing() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("cosign.pub", "precious");
    CliRunner.Result r = cli.run("generate-key-pair");
    assertEquals(1, r.status());
    assertEquals("Error: cosign.pub already exists (use --force to overwrite)\n", r.err());
    assertEquals(List.of("cosign.pub"), cli.listing());
  }

  @Test
  void generate_existingWithForce_overwrites() throws Exception {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("cosign.key", "old");
    cli.write("cosign.pub", "old");
    CliRunner.Result r = cli.run("generate-key-pair", "--force");
    assertEquals(0, r.status(), r.err());
    CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "pw".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("cosign.key", "cosign.pub"), cli.listing());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.file("cosign.key"))));
  }

  @Test
  void generate_forceFalse_stillRefuses() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("cosign.key", "old");
    assertEquals("Error: cosign.key already exists (use --force to overwrite)\n",
        cli.run("generate-key-pair", "--force=false").err());
  }

  @Test
  void generate_emptyCosignPassword_keyOpensWithEmptyPassword() throws Exception {
    CliRunner cli = CliRunner.withPassword(dir, "");
    cli.generateKeyPair();
    CosignKeyReader.readPrivateKey(cli.read("cosign.key"), new byte[0]);
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "x".getBytes(StandardCharsets.UTF_8)));
    assertEquals("decryption failed: wrong password or corrupt key file", e.getMessage());
  }

  @Test
  void generate_passwordOnStdin_keepsTrailingNewline() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.stdin = "pw\n".getBytes(StandardCharsets.UTF_8);
    cli.generateKeyPair();
    CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "pw\n".getBytes(StandardCharsets.UTF_8));
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "pw".getBytes(StandardCharsets.UTF_8)));
    assertEquals("decryption failed: wrong password or corrupt key file", e.getMessage());
  }

  @Test
  void generate_cosignPasswordSet_ignoresStdin() throws Exception {
    CliRunner cli = CliRunner.withPassword(dir, "env");
    cli.stdin = "stdin".getBytes(StandardCharsets.UTF_8);
    cli.generateKeyPair();
    CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "env".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void generate_terminal_promptsTwiceOnStderr() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.stdinIsTerminal = true;
    cli.typed.add("typed pw");
    cli.typed.add("typed pw");
    cli.generateKeyPair();
    assertEquals(List.of("Enter password for private key: ", "Enter password for private key again: "), cli.prompts);
    CosignKeyReader.readPrivateKey(cli.read("cosign.key"), "typed pw".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void generate_terminalPasswordsDiffer_failsAndWritesNothing() {
    CliRunner cli = new CliRunner(dir);
    cli.stdinIsTerminal = true;
    cli.typed.add("one");
    cli.typed.add("two");
    CliRunner.Result r = cli.run("generate-key-pair");
    assertEquals(1, r.status());
    assertEquals("Error: passwords do not match\n", r.err());
    assertEquals(List.of(), cli.listing());
  }

  @Test
  void generate_terminalClosed_failsWithOneLine() {
    CliRunner cli = new CliRunner(dir);
    cli.stdinIsTerminal = true;
    CliRunner.Result r = cli.run("generate-key-pair");
    assertEquals("Error: cannot read the password from the terminal: end of input\n", r.err());
    assertEquals(List.of(), cli.listing());
  }

  @Test
  void generate_prefixInMissingDirectory_failsAndWritesNothing() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    CliRunner.Result r = cli.run("generate-key-pair", "--output-key-prefix", "nodir/k");
    assertEquals(1, r.status());
    assertEquals("Error: cannot write nodir/k.key: no such directory\n", r.err());
    assertEquals(List.of(), cli.listing());
  }

  @Test
  void generate_unknownFlag_fails() {
    CliRunner.Result r = CliRunner.withPassword(dir, "pw").run("generate-key-pair", "--kms", "x");
    assertEquals(1, r.status());
    assertEquals("Error: unknown flag: --kms\n", r.err());
  }

  @Test
  void generate_extraArgument_fails() {
    CliRunner.Result r = CliRunner.withPassword(dir, "pw").run("generate-key-pair", "extra");
    assertEquals("Error: generate-key-pair takes no arguments, got extra\n", r.err());
  }

  @Test
  void generate_twice_keysDiffer() {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", "a").status());
    assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", "b").status());
    assertFalse(java.util.Arrays.equals(cli.read("a.pub"), cli.read("b.pub")));
  }
}
