package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ModelVerifier;
import dev.modelseal.core.SignedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignModelCommandTest {
  /** The released model_signing test keys. */
  static final Path KEYS = Vectors.omsFixtures().resolve("keys/certificate");
  static final String SIGNING_KEY = KEYS.resolve("signing-key.pem").toString();
  static final String SIGNING_PUB = KEYS.resolve("signing-key-pub.pem").toString();

  @TempDir Path dir;
  CliRunner cli;

  @BeforeEach
  void model() throws Exception {
    cli = new CliRunner(dir);
    writeModel(cli);
  }

  /** model/ with nested directories, a jar, and a .git directory that is ignored by default. */
  static void writeModel(CliRunner cli) throws Exception {
    Files.createDirectories(cli.file("model/weights/nested"));
    Files.createDirectories(cli.file("model/libs"));
    Files.createDirectories(cli.file("model/.git"));
    cli.write("model/config.json", "{\"layers\": 12}");
    cli.write("model/weights/part-1.bin", "0123456789abcdef");
    cli.write("model/weights/nested/deep.bin", "deep weights");
    cli.write("model/libs/x.jar", "PK\3\4 not really a jar");
    cli.write("model/.git/HEAD", "ref: refs/heads/main\n");
  }

  static final List<String> MODEL_FILES =
      List.of("config.json", "libs/x.jar", "weights/nested/deep.bin", "weights/part-1.bin");

  private SignedModel readSigned(String signature) throws Exception {
    PublicKey pub = CosignKeyReader.readPublicKey(Files.readAllBytes(Path.of(SIGNING_PUB)));
    return ModelVerifier.builder().publicKey(pub).build().readSigned(cli.read(signature));
  }

  private static List<String> names(ModelManifest m) {
    return m.entries().stream().map(ModelManifest.Entry::name).toList();
  }

  private void assertFails(String expectedErr, CliRunner.Result r) {
    assertEquals(expectedErr, r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  private void assertOk(String expectedErr, CliRunner.Result r) {
    assertEquals(expectedErr, r.err());
    assertEquals(0, r.status());
    assertEquals("", r.out());
  }

  private List<String> modelListing() throws Exception {
    try (Stream<Path> s = Files.walk(cli.file("model"))) {
      return s.map(p -> cli.file("model").relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void signModel_directory_writesModelSigInsideAndSignsEveryFile() throws Exception {
    assertOk("Wrote model signature to model/model.sig\n", cli.run("sign-model", "--key", SIGNING_KEY, "model"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.file("model/model.sig"))));
    SignedModel s = readSigned("model/model.sig");
    assertEquals(MODEL_FILES, names(s.manifest()));
    assertEquals("model", s.modelName());
    assertEquals("files", s.hashing().method());
    assertEquals("sha256", s.hashing().hashAlgorithm());
    assertTrue(s.hashing().ignorePaths().contains("model.sig"), s.hashing().ignorePaths().toString());
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_singleFile_writesSigstoreJsonNextToIt() throws Exception {
    cli.write("weights.bin", "single file weights");
    assertOk("Wrote model signature to weights.bin.sigstore.json\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "weights.bin"));
    assertEquals(List.of("."), names(readSigned("weights.bin.sigstore.json").manifest()));
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "weights.bin"));
  }

  @Test
  void signModel_modelIsWorkingDirectory_signsRelativeToIt() throws Exception {
    CliRunner inModel = new CliRunner(cli.file("model"));
    assertOk("Wrote model signature to ./model.sig\n", inModel.run("sign-model", "--key", SIGNING_KEY, "."));
    assertEquals(MODEL_FILES, names(readSigned("model/model.sig").manifest()));
    assertEquals("model", readSigned("model/model.sig").modelName());
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_cosignEncryptedKey_roundTrips() throws Exception {
    CliRunner c = CliRunner.withPassword(dir, "pw");
    c.copySharedKeyPair();
    assertOk("Wrote model signature to model/model.sig\n", c.run("sign-model", "--key", "cosign.key", "model"));
    c.env.clear();
    assertOk("Verified OK\n", c.run("verify-model", "--key", "cosign.pub", "model"));
  }

  @Test
  void signModel_signatureOutsideModel_notInIgnorePathsAndVerifies() throws Exception {
    Files.createDirectories(cli.file("out"));
    assertOk("Wrote model signature to out/m.sig\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--signature", "out/m.sig", "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
    SignedModel s = readSigned("out/m.sig");
    assertEquals(MODEL_FILES, names(s.manifest()));
    assertFalse(s.hashing().ignorePaths().contains("model.sig"), s.hashing().ignorePaths().toString());
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "--signature", "out/m.sig", "model"));
  }

  @Test
  void signModel_shards_roundTrips() throws Exception {
    assertOk("Wrote model signature to model/model.sig\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--shard-size", "4", "model"));
    SignedModel s = readSigned("model/model.sig");
    assertEquals("shards", s.hashing().method());
    assertEquals(4, s.hashing().shardSize());
    assertTrue(names(s.manifest()).containsAll(List.of("weights/part-1.bin:0:4", "weights/part-1.bin:12:16")),
        names(s.manifest()).toString());
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
    cli.write("model/weights/part-1.bin", "0123456789abcdeF");
    assertFails("Error: verification failed: model does not match its signature: modified files: "
        + "weights/part-1.bin:12:16\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_blake2b_roundTrips() throws Exception {
    assertOk("Wrote model signature to model/model.sig\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--hash", "blake2b", "model"));
    SignedModel s = readSigned("model/model.sig");
    assertEquals("blake2b", s.hashing().hashAlgorithm());
    assertEquals(64, s.manifest().entries().get(0).digest().length);
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
    cli.write("model/libs/x.jar", "changed");
    assertFails("Error: verification failed: model does not match its signature: modified files: libs/x.jar\n",
        cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_shardsWithBlake2b_roundTrips() throws Exception {
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--shard-size=4", "--hash=blake2b", "model").status());
    assertEquals("blake2b-sharded-4", readSigned("model/model.sig").manifest().entries().get(0).algorithm());
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_ignorePathsRelativeToWorkingDirectory_leftOutOfManifest() throws Exception {
    cli.write("model/scratch.txt", "not signed");
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY,
        "--ignore-paths", "model/scratch.txt, model/weights/nested,elsewhere/x", "model").status());
    SignedModel s = readSigned("model/model.sig");
    assertEquals(List.of("config.json", "libs/x.jar", "weights/part-1.bin"), names(s.manifest()));
    assertTrue(s.hashing().ignorePaths().containsAll(List.of("scratch.txt", "weights/nested", "model.sig")),
        s.hashing().ignorePaths().toString());
    // The signed ignore paths are honoured by the verifier: changing an ignored file is fine.
    cli.write("model/scratch.txt", "changed");
    cli.write("model/weights/nested/deep.bin", "changed");
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_ignorePathsRelativeToModelNotWorkingDirectory_notIgnored() throws Exception {
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--ignore-paths", "config.json", "model").status());
    assertEquals(MODEL_FILES, names(readSigned("model/model.sig").manifest()));
  }

  @Test
  void signModel_ignoreGitPathsFalse_signsGitDirectory() throws Exception {
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--ignore-git-paths=false", "model").status());
    assertEquals(".git/HEAD", names(readSigned("model/model.sig").manifest()).get(0));
  }

  @Test
  void signModel_existingSignature_refusedWithoutForce() throws Exception {
    cli.write("model/model.sig", "old");
    assertFails("Error: model/model.sig already exists (use --force to overwrite)\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "model"));
    assertEquals("old", cli.readString("model/model.sig"));
  }

  @Test
  void signModel_existingSignatureWithForce_replacedAndOldOneNotSigned() throws Exception {
    cli.write("model/model.sig", "old");
    assertOk("Wrote model signature to model/model.sig\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--force", "model"));
    assertEquals(MODEL_FILES, names(readSigned("model/model.sig").manifest()));
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_existingFileSignature_refusedWithoutForce() {
    cli.write("w.bin", "w");
    cli.write("w.bin.sigstore.json", "old");
    assertFails("Error: w.bin.sigstore.json already exists (use --force to overwrite)\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "w.bin"));
    assertEquals("old", cli.readString("w.bin.sigstore.json"));
  }

  @Test
  void signModel_signatureIsTheModelFile_refusedEvenWithForce() {
    cli.write("w.bin", "weights");
    assertFails("Error: cannot write w.bin: it is the model itself\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--signature", "w.bin", "--force", "w.bin"));
    assertEquals("weights", cli.readString("w.bin"));
  }

  @Test
  void signModel_signatureIsADirectory_fails() throws Exception {
    assertFails("Error: cannot write model/libs: is a directory\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--signature", "model/libs", "--force", "model"));
  }

  @Test
  void signModel_signatureDirectoryMissing_failsAndWritesNothing() throws Exception {
    List<String> before = cli.listing();
    assertFails("Error: cannot write nodir/m.sig: no such directory\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--signature", "nodir/m.sig", "model"));
    assertEquals(before, cli.listing());
  }

  @Test
  void signModel_missingModel_fails() {
    assertFails("Error: cannot read model nope: no such file or directory\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "nope"));
    assertFalse(Files.exists(cli.file("nope.sigstore.json")));
  }

  @Test
  void signModel_emptyModel_failsAndWritesNothing() throws Exception {
    Files.createDirectories(cli.file("empty"));
    assertFails("Error: cannot sign empty: refusing to sign an empty model: there are no files to sign\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "empty"));
    try (Stream<Path> s = Files.list(cli.file("empty"))) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void signModel_noKey_fails() throws Exception {
    assertFails("Error: --key is required\n", cli.run("sign-model", "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_noModelArgument_fails() {
    assertFails("Error: sign-model needs exactly one MODEL argument, got 0\n",
        cli.run("sign-model", "--key", SIGNING_KEY));
    assertFails("Error: sign-model needs exactly one MODEL argument, got 2 (model other)\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "model", "other"));
  }

  @Test
  void signModel_missingKeyFile_fails() throws Exception {
    assertFails("Error: cannot read nokey.pem: no such file\n", cli.run("sign-model", "--key", "nokey.pem", "model"));
    assertEquals(List.of("", ".git", ".git/HEAD", "config.json", "libs", "libs/x.jar", "weights", "weights/nested",
        "weights/nested/deep.bin", "weights/part-1.bin"), modelListing());
  }

  @Test
  void signModel_rsaKey_failsEcOnly() throws Exception {
    cli.write("rsa.pem", TestKeys.privatePem(TestKeys.rsa(2048)));
    assertFails("Error: cannot use key rsa.pem: model signing supports ECDSA P-256, P-384 and P-521 keys only\n",
        cli.run("sign-model", "--key", "rsa.pem", "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_ed25519Key_failsEcOnly() throws Exception {
    cli.write("ed.pem", TestKeys.privatePem(TestKeys.ed25519()));
    assertFails("Error: cannot use key ed.pem: model signing supports ECDSA P-256, P-384 and P-521 keys only\n",
        cli.run("sign-model", "--key", "ed.pem", "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_publicKeyAsKey_fails() throws Exception {
    assertFails("Error: cannot use key " + SIGNING_PUB + ": unsupported private key PEM type PUBLIC KEY\n",
        cli.run("sign-model", "--key", SIGNING_PUB, "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_invalidShardSize_fails() throws Exception {
    for (String bad : List.of("0", "-4", "4k", "", "99999999999999999999")) {
      assertFails("Error: invalid --shard-size \"" + bad + "\": expected a positive number of bytes\n",
          cli.run("sign-model", "--key", SIGNING_KEY, "--shard-size", bad, "model"));
    }
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_invalidHash_fails() throws Exception {
    assertFails("Error: invalid --hash \"md5\" (expected sha256 or blake2b)\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--hash", "md5", "model"));
    assertFails("Error: invalid --hash \"blake3\" (expected sha256 or blake2b)\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--hash", "blake3", "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_symlinkInModel_refusedUnlessAllowed() throws Exception {
    Files.createSymbolicLink(cli.file("model/link.bin"), Path.of("config.json"));
    assertFails("Error: cannot sign model: symbolic link link.bin refused: symbolic links are not allowed in this "
        + "model\n", cli.run("sign-model", "--key", SIGNING_KEY, "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--allow-symlinks", "model").status());
    assertTrue(names(readSigned("model/model.sig").manifest()).contains("link.bin"));
    assertOk("Verified OK\n", cli.run("verify-model", "--key", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_certificateChainWithoutSigningCertificate_fails() throws Exception {
    assertFails("Error: --certificate-chain needs --signing-certificate\n", cli.run("sign-model", "--key",
        SIGNING_KEY, "--certificate-chain", KEYS.resolve("int-ca-cert.pem").toString(), "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_signingCertificateOfAnotherKey_fails() throws Exception {
    assertFails("Error: cannot use key " + SIGNING_KEY
        + ": the signing certificate's public key does not match the private key\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--signing-certificate", KEYS.resolve("ca-cert.pem").toString(),
            "model"));
    assertFalse(Files.exists(cli.file("model/model.sig")));
  }

  @Test
  void signModel_signingCertificateNotACertificate_fails() throws Exception {
    assertFails("Error: cannot read certificates from " + SIGNING_PUB + ": not PEM X.509\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--signing-certificate", SIGNING_PUB, "model"));
  }

  @Test
  void signModel_certificateMethod_writesChainLeafFirst() throws Exception {
    assertOk("Wrote model signature to model/model.sig\n", cli.run("sign-model", "--key", SIGNING_KEY,
        "--signing-certificate", KEYS.resolve("signing-key-cert.pem").toString(),
        "--certificate-chain", KEYS.resolve("int-ca-cert.pem").toString(), "model"));
    String sig = cli.readString("model/model.sig");
    assertTrue(sig.contains("\"x509CertificateChain\""), sig);
    assertFalse(sig.contains("\"publicKey\""), sig);
    var anchors = new java.util.ArrayList<java.security.cert.X509Certificate>();
    for (var c : java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificates(Files.newInputStream(KEYS.resolve("ca-cert.pem")))) {
      anchors.add((java.security.cert.X509Certificate) c);
    }
    SignedModel s = ModelVerifier.builder().trustAnchors(anchors).build().readSigned(cli.read("model/model.sig"));
    assertEquals(MODEL_FILES, names(s.manifest()));
  }

  @Test
  void signModel_help_printsUsageAndWritesNothing() {
    CliRunner.Result r = cli.run("sign-model", "--help");
    assertEquals(0, r.status());
    assertEquals("", r.err());
    assertTrue(r.out().startsWith("Usage: modelseal sign-model --key KEY [flags] MODEL\n"), r.out());
    for (String flag : List.of("--key", "--signature", "--signing-certificate", "--certificate-chain",
        "--ignore-paths", "--ignore-git-paths", "--allow-symlinks", "--shard-size", "--hash", "--force")) {
      assertTrue(r.out().contains(flag), flag);
    }
    assertFalse(Files.exists(cli.file("model/model.sig")));
    assertEquals(r.out(), cli.run("sign-model", "--key", "nokey", "-h", "model").out());
  }

  @Test
  void signModel_unknownFlag_fails() {
    assertFails("Error: unknown flag: --output-signature\n",
        cli.run("sign-model", "--key", SIGNING_KEY, "--output-signature", "x", "model"));
  }

  @Test
  void signModel_sameModelTwice_identicalManifests() throws Exception {
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--signature", "a.sig", "model").status());
    assertEquals(0, cli.run("sign-model", "--key", SIGNING_KEY, "--signature", "b.sig", "model").status());
    assertArrayEquals(readSigned("a.sig").manifest().rootDigest(), readSigned("b.sig").manifest().rootDigest());
  }
}
