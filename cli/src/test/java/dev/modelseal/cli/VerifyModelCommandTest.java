package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.CosignKeyReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyModelCommandTest {
  /** The released model_signing fixtures; tests only read them. */
  static final Path TESTS = Vectors.omsFixtures();
  static final Path KEYS = TESTS.resolve("keys/certificate");
  static final String SIGNING_KEY = KEYS.resolve("signing-key.pem").toString();
  static final String SIGNING_PUB = KEYS.resolve("signing-key-pub.pem").toString();
  static final String SIGNING_CERT = KEYS.resolve("signing-key-cert.pem").toString();
  static final String INT_CA = KEYS.resolve("int-ca-cert.pem").toString();
  static final String CA = KEYS.resolve("ca-cert.pem").toString();
  static final String MISMATCH = "Error: verification failed: model does not match its signature: ";

  @TempDir Path dir;
  CliRunner cli;

  @BeforeEach
  void signModel() throws Exception {
    cli = new CliRunner(dir);
    SignModelCommandTest.writeModel(cli);
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "model").status());
  }

  private CliRunner.Result verify(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("verify-model", "--key", SIGNING_PUB));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
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

  /** The reference's key hint: hex SHA-256 of the public key's PEM text. */
  private static String hint(PublicKey key) throws Exception {
    byte[] pem = TestKeys.pem("PUBLIC KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pem));
  }

  // --- round trips and tampering (directory signed with the default model/model.sig) ---

  @Test
  void verifyModel_signedDirectory_verifiedOkAndWritesNothing() {
    List<String> before = cli.listing();
    assertOk(verify("model"));
    assertOk(verify("--signature", "model/model.sig", "model"));
    assertOk(verify("model/"));
    assertEquals(before, cli.listing());
  }

  @Test
  void verifyModel_fileAdded_failsNamingIt() {
    cli.write("model/weights/nested/new.bin", "new");
    assertFails(MISMATCH + "extra files: weights/nested/new.bin\n", verify("model"));
  }

  @Test
  void verifyModel_fileRemoved_failsNamingIt() throws Exception {
    Files.delete(cli.file("model/libs/x.jar"));
    assertFails(MISMATCH + "missing files: libs/x.jar\n", verify("model"));
  }

  @Test
  void verifyModel_fileRenamed_failsNamingBothNames() throws Exception {
    Files.move(cli.file("model/weights/part-1.bin"), cli.file("model/weights/part-2.bin"));
    assertFails(MISMATCH + "missing files: weights/part-1.bin; extra files: weights/part-2.bin\n", verify("model"));
  }

  @Test
  void verifyModel_fileModified_failsNamingIt() {
    cli.write("model/weights/nested/deep.bin", "deep weightz");
    assertFails(MISMATCH + "modified files: weights/nested/deep.bin\n", verify("model"));
  }

  @Test
  void verifyModel_severalChanges_failsNamingAll() throws Exception {
    cli.write("model/config.json", "{}");
    cli.write("model/extra.txt", "x");
    Files.delete(cli.file("model/libs/x.jar"));
    assertFails(MISMATCH + "missing files: libs/x.jar; extra files: extra.txt; modified files: config.json\n",
        verify("model"));
  }

  @Test
  void verifyModel_emptyFileAdded_fails() {
    cli.write("model/libs/empty.jar", "");
    assertFails(MISMATCH + "extra files: libs/empty.jar\n", verify("model"));
  }

  @Test
  void verifyModel_ignoreUnsignedFilesWithExtraFile_verifiedOk() {
    cli.write("model/extra.txt", "x");
    assertOk(verify("--ignore-unsigned-files", "model"));
    assertOk(verify("--ignore-unsigned-files=true", "model"));
    assertFails(MISMATCH + "extra files: extra.txt\n", verify("--ignore-unsigned-files=false", "model"));
  }

  @Test
  void verifyModel_ignoreUnsignedFilesWithModifiedFile_stillFails() {
    cli.write("model/extra.txt", "x");
    cli.write("model/config.json", "{}");
    assertFails(MISMATCH + "modified files: config.json\n", verify("--ignore-unsigned-files", "model"));
  }

  @Test
  void verifyModel_ignorePathsRelativeToWorkingDirectory_extraFileIgnored() {
    cli.write("model/extra.txt", "x");
    assertOk(verify("--ignore-paths", "model/extra.txt", "model"));
    assertFails(MISMATCH + "extra files: extra.txt\n", verify("--ignore-paths", "extra.txt", "model"));
  }

  @Test
  void verifyModel_gitDirectoryChanged_ignoredByDefault() {
    cli.write("model/.git/HEAD", "ref: refs/heads/other\n");
    cli.write("model/.gitignore", "*.tmp\n");
    assertOk(verify("model"));
    // The signer's git ignores are in the signed ignore_paths, so the verifier's flag cannot undo them.
    assertOk(verify("--ignore-git-paths=false", "model"));
  }

  @Test
  void verifyModel_signatureCopiedOutsideModel_verifiedOk() throws Exception {
    Files.copy(cli.file("model/model.sig"), cli.file("copy.sig"));
    assertOk(verify("--signature", "copy.sig", "model"));
  }

  @Test
  void verifyModel_singleFile_roundTripAndTamper() {
    cli.write("w.bin", "single file weights");
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "w.bin").status());
    assertOk(verify("w.bin"));
    assertOk(verify("--signature", "w.bin.sigstore.json", "w.bin"));
    cli.write("w.bin", "single file weightz");
    // A single-file model's only resource is named "." (reference behaviour).
    assertFails(MISMATCH + "modified files: .\n", verify("w.bin"));
  }

  @Test
  void verifyModel_directorySignatureAgainstFile_failsNamingBoth() {
    assertFails(MISMATCH + "missing files: config.json, libs/x.jar, weights/nested/deep.bin, weights/part-1.bin; "
        + "extra files: .\n", verify("--signature", "model/model.sig", "model/config.json"));
  }

  @Test
  void verifyModel_shards_roundTripAndTamper() {
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--shard-size", "4", "--signature", "s.sig", "model")
        .status());
    assertOk(verify("--signature", "s.sig", "model"));
    cli.write("model/config.json", "{\"layers\": 13}");
    assertFails(MISMATCH + "modified files: config.json:12:14\n", verify("--signature", "s.sig", "model"));
  }

  @Test
  void verifyModel_blake2b_roundTripAndTamper() {
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--hash", "blake2b", "--signature", "b.sig", "model")
        .status());
    assertOk(verify("--signature", "b.sig", "model"));
    Path jar = cli.file("model/libs/x.jar");
    assertTrue(jar.toFile().delete());
    assertFails(MISMATCH + "missing files: libs/x.jar\n", verify("--signature", "b.sig", "model"));
  }

  // --- keys ---

  @Test
  void verifyModel_wrongKey_failsWithKeyMismatch() throws Exception {
    KeyPair other = TestKeys.ec("secp256r1");
    cli.write("other.pub", TestKeys.publicPem(other));
    PublicKey signer = CosignKeyReader.readPublicKey(Files.readAllBytes(Path.of(SIGNING_PUB)));
    assertFails("Error: verification failed: key mismatch: the signature names key hint " + hint(signer)
        + ", but the given key's hint is " + hint(other.getPublic()) + "\n",
        cli.run("verify-model", "--key", "other.pub", "model"));
  }

  @Test
  void verifyModel_rsaPublicKey_failsEcOnly() {
    cli.write("rsa.pub", TestKeys.publicPem(TestKeys.rsa(2048)));
    assertFails("Error: cannot use key rsa.pub: model signing supports ECDSA P-256, P-384 and P-521 keys only\n",
        cli.run("verify-model", "--key", "rsa.pub", "model"));
  }

  @Test
  void verifyModel_privateKeyAsKey_fails() {
    assertFails("Error: cannot use key " + SIGNING_KEY + ": expected a PEM PUBLIC KEY, found EC PRIVATE KEY\n",
        cli.run("verify-model", "--key", SIGNING_KEY, "model"));
  }

  @Test
  void verifyModel_missingKeyFile_fails() {
    assertFails("Error: cannot read nokey.pub: no such file\n", cli.run("verify-model", "--key", "nokey.pub", "model"));
  }

  @Test
  void verifyModel_cosignKeyPair_roundTrips() {
    CliRunner c = CliRunner.withPassword(dir, "pw");
    c.copySharedKeyPair();
    assertEquals(0, c.run("sign-model", "--key", "cosign.key", "--signature", "cosign.sig", "model").status());
    assertOk(cli.run("verify-model", "--key", "cosign.pub", "--signature", "cosign.sig", "model"));
    assertTrue(cli.run("verify-model", "--key", SIGNING_PUB, "--signature", "cosign.sig", "model").err()
        .startsWith("Error: verification failed: key mismatch: "));
  }

  // --- certificate method ---

  private void signWithCertificate(String signature) {
    CliRunner.Result r = cli.run("sign-model", "--key", SIGNING_KEY, "--signing-certificate", SIGNING_CERT,
        "--certificate-chain", INT_CA, "--signature", signature, "model");
    assertEquals("Wrote model signature to " + signature + "\n", r.err());
    assertEquals(0, r.status());
  }

  @Test
  void verifyModel_certificateMethod_verifiedOkWithRootCa() {
    signWithCertificate("c.sig");
    assertOk(cli.run("verify-model", "--certificate-chain", CA, "--signature", "c.sig", "model"));
  }

  @Test
  void verifyModel_certificateMethodTampered_failsNamingFile() {
    signWithCertificate("c.sig");
    cli.write("model/libs/x.jar", "changed");
    assertFails(MISMATCH + "modified files: libs/x.jar\n",
        cli.run("verify-model", "--certificate-chain", CA, "--signature", "c.sig", "model"));
  }

  @Test
  void verifyModel_certificateMethodUntrustedRoot_fails() {
    signWithCertificate("c.sig");
    assertFails("Error: verification failed: certificate chain does not lead to a trusted anchor: "
        + "Path does not chain with any of the trust anchors\n",
        cli.run("verify-model", "--certificate-chain", SIGNING_CERT, "--signature", "c.sig", "model"));
  }

  @Test
  void verifyModel_keySignatureWithCertificateChain_fails() {
    assertFails("Error: verification failed: the model was signed with a bare public key, not a certificate "
        + "chain; verify it with the public key\n", cli.run("verify-model", "--certificate-chain", CA, "model"));
  }

  @Test
  void verifyModel_certificateChainNotACertificate_fails() {
    assertFails("Error: cannot read certificates from " + SIGNING_PUB + ": not PEM X.509\n",
        cli.run("verify-model", "--certificate-chain", SIGNING_PUB, "model"));
  }

  @Test
  void verifyModel_emptyCertificateChainFile_fails() {
    cli.write("none.pem", "");
    assertFails("Error: no certificate in none.pem\n", cli.run("verify-model", "--certificate-chain", "none.pem", "model"));
  }

  // --- released model_signing fixtures ---

  @Test
  void verifyModel_v110EllipticKeyFixture_verifiedOk() {
    String model = TESTS.resolve("v1.1.0-elliptic-key").toString();
    assertOk(cli.run("verify-model", "--key", SIGNING_PUB, model));
    assertOk(cli.run("verify-model", "--key", SIGNING_PUB, "--signature", model + "/model.sig", model));
  }

  @Test
  void verifyModel_v110CertificateFixture_verifiedOk() {
    String model = TESTS.resolve("v1.1.0-certificate").toString();
    assertOk(cli.run("verify-model", "--certificate-chain", CA, model));
    assertOk(cli.run("verify-model", "--certificate-chain", CA, "--signature", model + "/model.sig", model));
  }

  @Test
  void verifyModel_v101FixtureWithIgnorePathRelativeToWorkingDirectory_verifiedOk() {
    Path model = TESTS.resolve("v1.0.1-elliptic-key").toAbsolutePath();
    String relative = dir.relativize(model.resolve("ignore-me")).toString();
    assertFails(MISMATCH + "extra files: ignore-me\n", cli.run("verify-model", "--key", SIGNING_PUB, model.toString()));
    assertOk(cli.run("verify-model", "--key", SIGNING_PUB, "--ignore-paths", relative, model.toString()));
  }

  @Test
  void verifyModel_v100SingleFileFixture_verifiedOk() {
    Path model = TESTS.resolve("v1.0.0-elliptic-key");
    assertOk(cli.run("verify-model", "--key", SIGNING_PUB, "--signature", model.resolve("model.sig").toString(),
        model.resolve("signme-1").toString()));
  }

  @Test
  void verifyModel_v020LegacyCertificateFixture_verifiedOk() {
    assertOk(cli.run("verify-model", "--certificate-chain", CA, TESTS.resolve("v0.2.0-certificate").toString()));
  }

  @Test
  void verifyModel_sigstoreFixtureWithKey_failsKeyless() {
    assertFails("Error: verification failed: the model was signed keyless (a Sigstore Fulcio certificate), not "
        + "with a key or a certificate chain; verify it with an identity and a trusted root\n",
        cli.run("verify-model", "--key", SIGNING_PUB, TESTS.resolve("v1.1.0-sigstore").toString()));
  }

  // --- bad inputs ---

  @Test
  void verifyModel_missingModel_fails() {
    assertFails("Error: cannot read model nope: no such file or directory\n", verify("nope"));
  }

  @Test
  void verifyModel_missingDefaultSignature_fails() throws Exception {
    Files.delete(cli.file("model/model.sig"));
    assertFails("Error: cannot read signature model/model.sig: no such file\n", verify("model"));
    cli.write("w.bin", "w");
    assertFails("Error: cannot read signature w.bin.sigstore.json: no such file\n", verify("w.bin"));
  }

  @Test
  void verifyModel_missingExplicitSignature_fails() {
    assertFails("Error: cannot read signature nope.sig: no such file\n", verify("--signature", "nope.sig", "model"));
  }

  @Test
  void verifyModel_signatureIsADirectory_fails() {
    assertFails("Error: cannot read model/libs: is a directory\n", verify("--signature", "model/libs", "model"));
  }

  @Test
  void verifyModel_malformedSignature_fails() {
    cli.write("junk.sig", "junk");
    assertFails("Error: verification failed: model signature is not valid JSON: unexpected character 'j' at offset 0\n",
        verify("--signature", "junk.sig", "model"));
    cli.write("empty.sig", "");
    assertFails("Error: verification failed: model signature is empty\n", verify("--signature", "empty.sig", "model"));
    cli.write("obj.sig", "{}");
    assertFails("Error: verification failed: bundle has no string mediaType\n", verify("--signature", "obj.sig", "model"));
  }

  @Test
  void verifyModel_otherModelsSignature_fails() {
    assertFails(MISMATCH + "missing files: signme-1, signme-2; extra files: config.json, libs/x.jar, "
        + "weights/nested/deep.bin, weights/part-1.bin\n",
        verify("--signature", TESTS.resolve("v1.1.0-elliptic-key/model.sig").toString(), "model"));
  }

  @Test
  void verifyModel_blobBundle_failsNotAModelSignature() {
    CliRunner c = CliRunner.withPassword(dir, "pw");
    c.copySharedKeyPair();
    c.write("blob.bin", "blob");
    assertEquals(0, c.run("sign-blob", "--key", "cosign.key", "--bundle", "blob.json", "blob.bin").status());
    assertFails("Error: verification failed: not a model signature: the bundle signs a blob (messageSignature), "
        + "not a DSSE envelope; " + BLOB_ADVICE + "\n",
        cli.run("verify-model", "--key", "cosign.pub", "--signature", "blob.json", "model"));
  }

  static final String BLOB_ADVICE = "check the one file it signs with verify-blob, or sign the whole model with "
      + "sign-model (a file's own signature is named FILE.sig or FILE.sigstore.json)";
  static final String COSIGN_SIGNATURE = "Error: verification failed: not a model signature: it is a cosign blob "
      + "signature (as sign-blob writes it), not an OpenSSF model signature bundle; " + BLOB_ADVICE + "\n";

  @Test
  void verifyModel_cosignBase64SignatureAsModelSig_failsNamingWhatItIs() {
    CliRunner c = CliRunner.withPassword(dir, "pw");
    c.copySharedKeyPair();
    c.write("blob.bin", "blob");
    assertEquals(0, c.run("sign-blob", "--key", "cosign.key", "--output-signature", "model/model.sig",
        "blob.bin").status());
    assertFails(COSIGN_SIGNATURE, cli.run("verify-model", "--key", "cosign.pub", "model"));
  }

  @Test
  void verifyModel_cosignDerSignatureAsModelSig_failsNamingWhatItIs() throws Exception {
    CliRunner c = CliRunner.withPassword(dir, "pw");
    c.copySharedKeyPair();
    c.write("blob.bin", "blob");
    assertEquals(0, c.run("sign-blob", "--key", "cosign.key", "--output-signature", "blob.sig", "blob.bin").status());
    java.nio.file.Files.write(dir.resolve("der.sig"),
        java.util.Base64.getDecoder().decode(java.nio.file.Files.readString(dir.resolve("blob.sig")).strip()));
    assertFails(COSIGN_SIGNATURE, cli.run("verify-model", "--key", "cosign.pub", "--signature", "der.sig", "model"));
  }

  @Test
  void verifyModel_neitherKeyNorCertificateChain_fails() {
    assertFails("Error: exactly one of --key and --certificate-chain is required\n", cli.run("verify-model", "model"));
  }

  @Test
  void verifyModel_bothKeyAndCertificateChain_fails() {
    assertFails("Error: exactly one of --key and --certificate-chain is required\n",
        cli.run("verify-model", "--key", SIGNING_PUB, "--certificate-chain", CA, "model"));
  }

  @Test
  void verifyModel_noModelArgument_fails() {
    assertFails("Error: verify-model needs exactly one MODEL argument, got 0\n", verify());
  }

  @Test
  void verifyModel_signFlagOnVerify_failsUnknownFlag() {
    assertFails("Error: unknown flag: --shard-size\n", verify("--shard-size", "4", "model"));
  }

  @Test
  void verifyModel_help_printsUsage() {
    CliRunner.Result r = cli.run("verify-model", "--help");
    assertEquals(0, r.status());
    assertEquals("", r.err());
    assertTrue(r.out().startsWith("Usage: modelseal verify-model (--key PUB | --certificate-chain ROOTS) [flags] MODEL\n"),
        r.out());
    for (String flag : List.of("--key", "--certificate-chain", "--signature", "--ignore-paths", "--ignore-git-paths",
        "--ignore-unsigned-files")) {
      assertTrue(r.out().contains(flag), flag);
    }
    assertEquals(r.out(), cli.run("help", "verify-model").out());
  }
}
