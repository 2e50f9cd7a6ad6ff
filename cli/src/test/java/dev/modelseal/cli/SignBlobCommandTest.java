package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.SignatureMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignBlobCommandTest {
  @TempDir java.nio.file.Path dir;
  CliRunner cli;
  PublicKey pub;

  @BeforeEach
  void keys() throws Exception {
    cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    pub = CosignKeyReader.readPublicKey(cli.read("cosign.pub"));
    cli.write("model.bin", "the model weights");
  }

  private void assertVerifies(byte[] signatureFile) throws Exception {
    BlobVerifier.builder(pub).build().verify(cli.file("model.bin"), SignatureMaterial.parseDetached(signatureFile));
  }

  @Test
  void signBlob_noOutputFlag_printsBase64AndNewlineOnStdout() throws Exception {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    assertTrue(r.out().matches("[A-Za-z0-9+/]+=*\n"), r.out());
    assertVerifies(r.outBytes());
    assertEquals(List.of("cosign.key", "cosign.pub", "model.bin"), cli.listing());
  }

  @Test
  void signBlob_cosignCommandLineVerbatim_writesSignatureFileWithoutNewline() throws Exception {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "model.sig", "--yes",
        "--tlog-upload=false", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.out());
    assertEquals("Wrote signature to file model.sig\n", r.err());
    String sig = cli.readString("model.sig");
    assertTrue(sig.matches("[A-Za-z0-9+/]+=*"), sig);
    assertVerifies(cli.read("model.sig"));
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cli.file("model.sig"))));
  }

  @Test
  void signBlob_outputAliasAndEqualsForm_writesFile() throws Exception {
    assertEquals(0, cli.run("sign-blob", "--key=cosign.key", "--output=a.sig", "model.bin").status());
    assertVerifies(cli.read("a.sig"));
  }

  @Test
  void signBlob_flagsAfterFile_accepted() throws Exception {
    assertEquals(0, cli.run("sign-blob", "model.bin", "--key", "cosign.key", "-y", "--output-signature", "a.sig")
        .status());
    assertVerifies(cli.read("a.sig"));
  }

  @Test
  void signBlob_b64False_writesRawSignature() throws Exception {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--b64=false", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertEquals(0x30, r.outBytes()[0] & 0xff); // DER SEQUENCE, no newline
    assertVerifies(r.outBytes());
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--b64=false", "--output-signature", "raw.sig",
        "model.bin").status());
    assertVerifies(cli.read("raw.sig"));
  }

  @Test
  void signBlob_bundle_writesSigstoreBundleAndPrintsSignature() throws Exception {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--bundle", "model.sigstore.json",
        "--new-bundle-format", "--use-signing-config=false", "--tlog-upload=false", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertEquals("Wrote bundle to file model.sigstore.json\n", r.err());
    String json = cli.readString("model.sigstore.json");
    assertTrue(json.startsWith("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\""), json);
    assertTrue(json.contains("\"hint\":\"" + KeyId.hint(pub) + "\""), json);
    assertTrue(json.contains("\"algorithm\":\"SHA2_256\""), json);
    SignatureMaterial b = SignatureMaterial.parseBundle(cli.read("model.sigstore.json"));
    BlobVerifier.builder(pub).build().verify(cli.file("model.bin"), b);
    assertEquals(b.base64() + "\n", r.out());
  }

  @Test
  void signBlob_legacyBundle_writesBase64SignatureJson() throws Exception {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--bundle", "b.json",
        "--new-bundle-format=false", "--output-signature", "m.sig", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertEquals("Wrote bundle to file b.json\nWrote signature to file m.sig\n", r.err());
    assertEquals("{\"base64Signature\":\"" + cli.readString("m.sig") + "\"}", cli.readString("b.json"));
    BlobVerifier.builder(pub).build().verify(cli.file("model.bin"), SignatureMaterial.parseBundle(cli.read("b.json")));
  }

  @Test
  void signBlob_stdinBlob_signsStdin() throws Exception {
    cli.stdin = cli.read("model.bin");
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "-");
    assertEquals(0, r.status(), r.err());
    assertVerifies(r.outBytes());
  }

  @Test
  void signBlob_stdinBlobWithoutCosignPassword_failsWithoutReadingPasswordFromIt() {
    CliRunner c = new CliRunner(dir);
    c.stdin = "data".getBytes(StandardCharsets.UTF_8);
    CliRunner.Result r = c.run("sign-blob", "--key", "cosign.key", "-");
    assertEquals(1, r.status());
    assertEquals("Error: the blob is read from stdin, so the password cannot be; set COSIGN_PASSWORD\n", r.err());
  }

  @Test
  void signBlob_passwordFromStdin_works() throws Exception {
    CliRunner c = new CliRunner(dir);
    c.stdin = "pw".getBytes(StandardCharsets.UTF_8);
    CliRunner.Result r = c.run("sign-blob", "--key", "cosign.key", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertVerifies(r.outBytes());
  }

  @Test
  void signBlob_passwordFromStdinWithNewline_isWrongPassword() {
    CliRunner c = new CliRunner(dir);
    c.stdin = "pw\n".getBytes(StandardCharsets.UTF_8);
    CliRunner.Result r = c.run("sign-blob", "--key", "cosign.key", "--output-signature", "m.sig", "model.bin");
    assertEquals(1, r.status());
    assertEquals("Error: cannot use key cosign.key: decryption failed: wrong password or corrupt key file\n", r.err());
    assertEquals(List.of("cosign.key", "cosign.pub", "model.bin"), cli.listing());
  }

  @Test
  void signBlob_terminal_promptsOnce() throws Exception {
    CliRunner c = new CliRunner(dir);
    c.stdinIsTerminal = true;
    c.typed.add("pw");
    CliRunner.Result r = c.run("sign-blob", "--key", "cosign.key", "model.bin");
    assertEquals(0, r.status(), r.err());
    assertEquals(List.of("Enter password for private key: "), c.prompts);
  }

  @Test
  void signBlob_wrongPassword_failsAndWritesNothing() {
    cli.env.put("COSIGN_PASSWORD", "nope");
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "m.sig",
        "--bundle", "m.json", "model.bin");
    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertEquals("Error: cannot use key cosign.key: decryption failed: wrong password or corrupt key file\n", r.err());
    assertEquals(List.of("cosign.key", "cosign.pub", "model.bin"), cli.listing());
  }

  @Test
  void signBlob_missingFile_fails() {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "m.sig", "nope.bin");
    assertEquals(1, r.status());
    assertEquals("Error: cannot read nope.bin: no such file\n", r.err());
    assertEquals(List.of("cosign.key", "cosign.pub", "model.bin"), cli.listing());
  }

  @Test
  void signBlob_directory_fails() throws Exception {
    Files.createDirectory(cli.file("models"));
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "models");
    assertEquals(1, r.status());
    assertEquals("Error: cannot read models: is a directory\n", r.err());
  }

  @Test
  void signBlob_missingKey_fails() {
    CliRunner.Result r = cli.run("sign-blob", "--key", "other.key", "model.bin");
    assertEquals("Error: cannot read other.key: no such file\n", r.err());
    assertEquals(1, r.status());
  }

  @Test
  void signBlob_noKeyFlag_fails() {
    CliRunner.Result r = cli.run("sign-blob", "model.bin");
    assertEquals("Error: --key is required\n", r.err());
  }

  @Test
  void signBlob_noFile_fails() {
    assertEquals("Error: sign-blob needs exactly one FILE argument, got 0\n",
        cli.run("sign-blob", "--key", "cosign.key").err());
    assertEquals("Error: sign-blob needs exactly one FILE argument, got 2 (a b)\n",
        cli.run("sign-blob", "--key", "cosign.key", "a", "b").err());
  }

  @Test
  void signBlob_keyFlagWithoutValue_fails() {
    assertEquals("Error: flag needs an argument: --key\n", cli.run("sign-blob", "model.bin", "--key").err());
  }

  @Test
  void signBlob_notPemKey_fails() {
    cli.write("bad.key", "hello");
    assertEquals("Error: cannot use key bad.key: not a PEM file: no -----BEGIN line\n",
        cli.run("sign-blob", "--key", "bad.key", "model.bin").err());
  }

  @Test
  void signBlob_truncatedKey_fails() {
    String pem = cli.readString("cosign.key");
    cli.write("half.key", pem.substring(0, pem.length() / 2));
    CliRunner.Result r = cli.run("sign-blob", "--key", "half.key", "--output-signature", "m.sig", "model.bin");
    assertEquals(1, r.status());
    assertEquals("Error: cannot use key half.key: truncated PEM file: "
        + "no -----END ENCRYPTED SIGSTORE PRIVATE KEY----- line\n", r.err());
    assertTrue(!Files.exists(cli.file("m.sig")));
  }

  @Test
  void signBlob_corruptKeyBase64_fails() {
    String pem = cli.readString("cosign.key");
    int i = pem.indexOf('\n') + 5;
    cli.write("bad.key", pem.substring(0, i) + "!" + pem.substring(i + 1));
    assertEquals("Error: cannot use key bad.key: corrupt PEM file: invalid base64 in "
        + "ENCRYPTED SIGSTORE PRIVATE KEY block\n", cli.run("sign-blob", "--key", "bad.key", "model.bin").err());
  }

  @Test
  void signBlob_oversizedKeyFile_fails() {
    cli.write("huge.key", new byte[CosignKeyReader.MAX_KEY_FILE_BYTES + 1]);
    assertEquals("Error: cannot use key huge.key: larger than 65536 bytes, not a key file\n",
        cli.run("sign-blob", "--key", "huge.key", "model.bin").err());
  }

  @Test
  void signBlob_unsupportedRsaSize_fails() {
    cli.write("rsa1024.pem", TestKeys.privatePem(TestKeys.rsa(1024)));
    CliRunner.Result r = cli.run("sign-blob", "--key", "rsa1024.pem", "model.bin");
    assertEquals(1, r.status());
    assertEquals("Error: cannot use key rsa1024.pem: unsupported RSA key size 1024 bits "
        + "(supported: 2048, 3072, 4096)\n", r.err());
  }

  @Test
  void signBlob_unencryptedPkcs8Key_signsWithoutPassword() throws Exception {
    KeyPair kp = TestKeys.ec("secp384r1");
    cli.write("p384.pem", TestKeys.privatePem(kp));
    cli.env.clear();
    CliRunner.Result r = cli.run("sign-blob", "--key", "p384.pem", "model.bin");
    assertEquals(0, r.status(), r.err());
    BlobVerifier.builder(kp.getPublic()).build()
        .verify(cli.file("model.bin"), SignatureMaterial.parseDetached(r.outBytes()));
  }

  @Test
  void signBlob_ed25519OverLimit_failsWithoutOutput() throws Exception {
    cli.write("ed.pem", TestKeys.privatePem(TestKeys.ed25519()));
    cli.write("big.bin", new byte[(int) BlobVerifier.DEFAULT_MAX_PURE_ED25519_BYTES + 1]);
    CliRunner.Result r = cli.run("sign-blob", "--key", "ed.pem", "--output-signature", "big.sig", "big.bin");
    assertEquals(1, r.status());
    assertEquals("Error: cannot sign big.bin: pure Ed25519 signs the whole message, which is 33554433 bytes, "
        + "over the 33554432-byte limit; sign large files with an ECDSA key\n", r.err());
    assertTrue(!Files.exists(cli.file("big.sig")));
  }

  @Test
  void signBlob_outputInMissingDirectory_writesNeitherFile() {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--bundle", "b.json",
        "--output-signature", "nodir/m.sig", "model.bin");
    assertEquals(1, r.status());
    assertEquals("Error: cannot write nodir/m.sig: no such directory\n", r.err());
    assertEquals(List.of("cosign.key", "cosign.pub", "model.bin"), cli.listing());
  }

  @Test
  void signBlob_existingSignatureFile_isReplaced() throws Exception {
    cli.write("m.sig", "old");
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "m.sig", "model.bin").status());
    assertVerifies(cli.read("m.sig"));
  }

  @Test
  void signBlob_badBooleanValue_fails() {
    assertEquals("Error: invalid argument \"maybe\" for \"--tlog-upload\" flag: must be true or false\n",
        cli.run("sign-blob", "--key", "cosign.key", "--tlog-upload=maybe", "model.bin").err());
  }

  @Test
  void signBlob_unknownFlag_fails() {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "--x", "model.bin");
    assertEquals(1, r.status());
    assertEquals("Error: unknown flag: --x\n", r.err());
  }

  @Test
  void signBlob_signatureIsDeterministicFormat_base64OfDer() throws Exception {
    CliRunner.Result r = cli.run("sign-blob", "--key", "cosign.key", "model.bin");
    byte[] der = Base64.getDecoder().decode(r.out().strip());
    assertEquals(0x30, der[0] & 0xff);
    assertArrayEquals(der, SignatureMaterial.parseDetached(r.outBytes()).signature());
  }
}
