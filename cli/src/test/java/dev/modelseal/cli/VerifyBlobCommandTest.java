package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.SignatureMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyBlobCommandTest {
  @TempDir Path dir;
  CliRunner cli;
  String keyId;

  @BeforeEach
  void signModel() throws Exception {
    cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    keyId = KeyId.hex(CosignKeyReader.readPublicKey(cli.read("cosign.pub")));
    cli.write("model.bin", "the model weights");
    cli.write("other.bin", "other weights");
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "model.sig",
        "--bundle", "model.sigstore.json", "model.bin").status());
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "other.sig", "other.bin")
        .status());
    cli.env.clear(); // verification never needs a password
  }

  private void assertOk(CliRunner.Result r) {
    assertEquals("Verified OK\n", r.err());
    assertEquals(0, r.status());
    assertEquals("", r.out());
  }

  private void assertFails(String expectedErr, CliRunner.Result r) {
    assertEquals(expectedErr, r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  private String invalid() {
    return "Error: verification failed: signature does not verify with key " + keyId + " (tried [ECDSA_P256_SHA256])\n";
  }

  @Test
  void verifyBlob_cosignCommandLineVerbatim_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "--insecure-ignore-tlog=true",
        "model.bin"));
  }

  @Test
  void verifyBlob_bundle_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "model.sigstore.json",
        "--insecure-ignore-tlog", "--new-bundle-format", "--offline=true", "--use-signed-timestamps=false",
        "--insecure-ignore-sct", "--private-infrastructure", "model.bin"));
  }

  @Test
  void verifyBlob_signatureTextOnCommandLine_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", cli.readString("model.sig"), "model.bin"));
  }

  @Test
  void verifyBlob_signatureWithTrailingNewline_verifiedOk() {
    cli.write("nl.sig", cli.readString("model.sig") + "\n");
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "nl.sig", "model.bin"));
  }

  @Test
  void verifyBlob_rawDerSignatureFile_verifiedOk() throws Exception {
    cli.write("raw.sig", SignatureMaterial.parseDetached(cli.read("model.sig")).signature());
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "raw.sig", "model.bin"));
  }

  @Test
  void verifyBlob_legacyBundle_verifiedOk() {
    cli.write("legacy.json", "{\"base64Signature\":\"" + cli.readString("model.sig") + "\"}");
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "legacy.json", "model.bin"));
  }

  @Test
  void verifyBlob_stdin_verifiedOk() {
    cli.stdin = cli.read("model.bin");
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "-"));
  }

  @Test
  void verifyBlob_tamperedFile_fails() {
    cli.write("model.bin", "the model weightz");
    assertFails(invalid(), cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "model.bin"));
  }

  @Test
  void verifyBlob_tamperedFileWithBundle_fails() {
    cli.write("model.bin", "the model weightz");
    assertFails(invalid(), cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "model.sigstore.json",
        "model.bin"));
  }

  @Test
  void verifyBlob_signatureOfAnotherFile_fails() {
    assertFails(invalid(), cli.run("verify-blob", "--key", "cosign.pub", "--signature", "other.sig", "model.bin"));
  }

  @Test
  void verifyBlob_otherKey_fails() throws Exception {
    CliRunner.Result g = CliRunner.withPassword(dir, "pw").run("generate-key-pair", "--output-key-prefix", "k2");
    assertEquals(0, g.status());
    String other = KeyId.hex(CosignKeyReader.readPublicKey(cli.read("k2.pub")));
    assertFails("Error: verification failed: signature does not verify with key " + other
        + " (tried [ECDSA_P256_SHA256])\n",
        cli.run("verify-blob", "--key", "k2.pub", "--signature", "model.sig", "model.bin"));
    assertFails("Error: verification failed: signature does not verify with key " + other
        + " (the bundle names a different key, hint " + KeyId.hint(CosignKeyReader.readPublicKey(cli.read("cosign.pub")))
        + ") (tried [ECDSA_P256_SHA256])\n",
        cli.run("verify-blob", "--key", "k2.pub", "--bundle", "model.sigstore.json", "model.bin"));
  }

  @Test
  void verifyBlob_badBase64File_fails() {
    cli.write("bad.sig", "not base64!");
    assertFails("Error: invalid signature bad.sig: signature is not valid base64\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "bad.sig", "model.bin"));
  }

  @Test
  void verifyBlob_emptySignatureFile_fails() {
    cli.write("empty.sig", "");
    assertFails("Error: invalid signature empty.sig: signature is empty\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "empty.sig", "model.bin"));
  }

  @Test
  void verifyBlob_truncatedSignature_fails() throws Exception {
    byte[] der = SignatureMaterial.parseDetached(cli.read("model.sig")).signature();
    cli.write("short.sig", java.util.Base64.getEncoder().encodeToString(Arrays.copyOf(der, der.length - 4)));
    CliRunner.Result r = cli.run("verify-blob", "--key", "cosign.pub", "--signature", "short.sig", "model.bin");
    assertEquals(1, r.status());
    assertEquals("Error: verification failed: ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign"
        + " rejects)\n", r.err());
  }

  @Test
  void verifyBlob_oversizedSignature_fails() {
    byte[] big = new byte[SignatureMaterial.MAX_SIGNATURE_BYTES + 10];
    Arrays.fill(big, (byte) 'A');
    cli.write("big.sig", big);
    assertFails("Error: invalid signature big.sig: signature is 65537 bytes, more than the 65536-byte limit\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "big.sig", "model.bin"));
  }

  @Test
  void verifyBlob_oversizedBundle_fails() {
    cli.write("big.json", new byte[SignatureMaterial.MAX_BUNDLE_BYTES + 10]);
    assertFails("Error: invalid bundle big.json: bundle is 1048577 bytes, more than the 1048576-byte limit\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "big.json", "model.bin"));
  }

  @Test
  void verifyBlob_bundleNotJson_fails() {
    cli.write("b.json", "{nope");
    CliRunner.Result r = cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "b.json", "model.bin");
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("Error: invalid bundle b.json: bundle is not valid JSON: "), r.err());
    assertEquals(1, r.err().lines().count());
  }

  @Test
  void verifyBlob_missingSignatureFileNotBase64_fails() {
    assertFails("Error: cannot read signature nope.sig: no such file, and not a base64 signature either\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "nope.sig", "model.bin"));
  }

  @Test
  void verifyBlob_missingFile_fails() {
    assertFails("Error: cannot read nope.bin: no such file\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "nope.bin"));
  }

  @Test
  void verifyBlob_directoryAsFile_fails() throws Exception {
    Files.createDirectory(cli.file("d"));
    assertFails("Error: cannot read d: is a directory\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "d"));
    assertFails("Error: cannot read d: is a directory\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "d", "model.bin"));
  }

  @Test
  void verifyBlob_missingKey_fails() {
    assertFails("Error: cannot read nope.pub: no such file\n",
        cli.run("verify-blob", "--key", "nope.pub", "--signature", "model.sig", "model.bin"));
  }

  @Test
  void verifyBlob_privateKeyGivenAsPublic_fails() {
    assertFails("Error: cannot use key cosign.key: expected a PEM PUBLIC KEY, found ENCRYPTED SIGSTORE PRIVATE KEY\n",
        cli.run("verify-blob", "--key", "cosign.key", "--signature", "model.sig", "model.bin"));
  }

  @Test
  void verifyBlob_corruptPublicKey_fails() {
    String pem = cli.readString("cosign.pub");
    cli.write("bad.pub", pem.replace(pem.substring(40, 60), "AAAAAAAAAAAAAAAAAAAA"));
    CliRunner.Result r = cli.run("verify-blob", "--key", "bad.pub", "--signature", "model.sig", "model.bin");
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("Error: cannot use key bad.pub: "), r.err());
    assertEquals(1, r.err().lines().count());
  }

  @Test
  void verifyBlob_neitherSignatureNorBundle_fails() {
    assertFails("Error: --signature or --bundle is required\n",
        cli.run("verify-blob", "--key", "cosign.pub", "model.bin"));
  }

  @Test
  void verifyBlob_bothSignatureAndBundle_fails() {
    assertFails("Error: --signature and --bundle cannot be used together\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "--bundle", "model.sigstore.json",
            "model.bin"));
  }

  @Test
  void verifyBlob_signedTimestampsRequested_fails() {
    assertFails("Error: --use-signed-timestamps needs --trusted-root with --key: timestamps are verified against a "
        + "trusted root\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "--use-signed-timestamps",
            "model.bin"));
  }

  @Test
  void verifyBlob_digestAlgorithmSha256OnP256_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig",
        "--signature-digest-algorithm", "sha256", "model.bin"));
  }

  @Test
  void verifyBlob_digestAlgorithmMismatch_fails() {
    assertFails("Error: --signature-digest-algorithm sha384 does not match the key cosign.pub, which signs with "
        + "SHA-256\n", cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig",
            "--signature-digest-algorithm=sha384", "model.bin"));
    assertFails("Error: invalid --signature-digest-algorithm \"md5\" (expected sha256, sha384 or sha512)\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig",
            "--signature-digest-algorithm=md5", "model.bin"));
  }

  @Test
  void verifyBlob_noPasswordNeeded_evenWithTerminal() {
    cli.stdinIsTerminal = true;
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "model.bin"));
    assertEquals(List.of(), cli.prompts);
  }

  // --- openssl vectors (cosign <= 2.5 signed P-384/P-521 over SHA-256) ---

  @Test
  void verifyBlob_p384LegacySha256WithFlag_verifiedOk() {
    Path v = Vectors.openssl();
    CliRunner r = new CliRunner(v);
    assertOk(r.run("verify-blob", "--key", "ecdsa-p384.pub.pem", "--signature", "ecdsa-p384.sha256.blob.bin.sig.b64",
        "--signature-digest-algorithm", "sha256", "blob.bin"));
    assertOk(r.run("verify-blob", "--key", "ecdsa-p521.pub.pem", "--signature", "ecdsa-p521.sha256.blob.bin.sig",
        "--signature-digest-algorithm", "sha256", "blob.bin"));
  }

  @Test
  void verifyBlob_p384LegacySha256WithoutFlag_fails() throws Exception {
    CliRunner r = new CliRunner(Vectors.openssl());
    String id = KeyId.hex(CosignKeyReader.readPublicKey(Vectors.openssl().resolve("ecdsa-p384.pub.pem")));
    assertFails("Error: verification failed: signature does not verify with key " + id
        + " (tried [ECDSA_P384_SHA384])\n", r.run("verify-blob", "--key", "ecdsa-p384.pub.pem",
            "--signature", "ecdsa-p384.sha256.blob.bin.sig.b64", "blob.bin"));
  }

  @Test
  void verifyBlob_opensslVectorsCurrentScheme_verifiedOk() {
    CliRunner r = new CliRunner(Vectors.openssl());
    for (String[] v : new String[][] {
        {"ecdsa-p256.pub.pem", "ecdsa-p256.sha256.blob.txt.sig.b64", ""},
        {"ecdsa-p384.pub.pem", "ecdsa-p384.sha384.blob.txt.sig.b64", "sha384"},
        {"ecdsa-p521.pub.pem", "ecdsa-p521.sha512.blob.txt.sig", "sha512"},
        {"rsa-2048.pub.pem", "rsa-2048.sha256.blob.txt.sig.b64", ""},
        {"rsa-4096.pub.pem", "rsa-4096.sha256.blob.txt.sig", ""}}) {
      List<String> args = new java.util.ArrayList<>(List.of("verify-blob", "--key", v[0], "--signature", v[1]));
      if (!v[2].isEmpty()) {
        args.add("--signature-digest-algorithm=" + v[2]);
      }
      args.add("blob.txt");
      assertOk(r.run(args.toArray(String[]::new)));
      args.set(args.size() - 1, "blob-tampered.txt");
      CliRunner.Result bad = r.run(args.toArray(String[]::new));
      assertEquals(1, bad.status(), v[0]);
      assertTrue(bad.err().startsWith("Error: verification failed: signature does not verify with key "), bad.err());
    }
  }

  @Test
  void verifyBlob_opensslVectorBundles_verifiedOk() {
    CliRunner r = new CliRunner(Vectors.openssl());
    for (String k : new String[] {"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-4096"}) {
      assertOk(r.run("verify-blob", "--key", k + ".pub.pem", "--bundle", k + ".blob.txt.sigstore.json", "blob.txt"));
      assertOk(r.run("verify-blob", "--key", k + ".pub.pem", "--bundle", k + ".blob.txt.legacy-bundle.json",
          "--signature-digest-algorithm", "sha256", "blob.txt"));
    }
  }

  @Test
  void verifyBlob_opensslVectorCosignKey_signsAndVerifies() throws Exception {
    cli.env.put("COSIGN_PASSWORD", "vector-password");
    Files.copy(Vectors.openssl().resolve("ecdsa-p384.cosign.key"), cli.file("v.key"));
    Files.copy(Vectors.openssl().resolve("ecdsa-p384.pub.pem"), cli.file("v.pub"));
    assertEquals(0, cli.run("sign-blob", "--key", "v.key", "--output-signature", "v.sig", "model.bin").status());
    assertOk(cli.run("verify-blob", "--key", "v.pub", "--signature", "v.sig", "model.bin"));
  }
}
