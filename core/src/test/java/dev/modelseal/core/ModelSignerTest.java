package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sign/verify round trips, tampering, refusals and configuration validation. */
class ModelSignerTest {
  @TempDir Path tmp;

  private Path model() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("my-model"));
    TestKeys.write(m, "config.json", "{\"layers\": 2}");
    TestKeys.write(m, "weights.bin", "0123456789abcdefghij");
    Files.createDirectories(m.resolve("sub"));
    TestKeys.write(m, "sub/tokenizer.txt", "hello");
    return m;
  }

  private static VerificationException mismatch(ModelVerifier v, Path model, String sig) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(model, sig.getBytes(), ProgressListener.NONE));
    assertEquals(Reason.MANIFEST_MISMATCH, e.reason());
    return e;
  }

  private static String keySigned(KeyPair kp, Path model, ModelHashing h) throws Exception {
    return ModelSigner.withKey(kp.getPrivate()).sign(model, h, ProgressListener.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"P-256", "P-384", "P-521"})
  void sign_withEcKey_verifiesWithPublicKey(String curve) throws Exception {
    KeyPair kp = TestKeys.generate(curve);
    String sig = keySigned(kp, model(), ModelHashing.files().build());
    SignedModel s = ModelVerifier.builder().publicKey(kp.getPublic()).build().readSigned(sig.getBytes());
    assertEquals("my-model", s.modelName());
    assertEquals(KeyId.hex(kp.getPublic()), s.signerKeyId());
    assertDoesNotThrow(() -> ModelVerifier.builder().publicKey(kp.getPublic()).build()
        .verify(tmp.resolve("my-model"), sig.getBytes(), ProgressListener.NONE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"files:sha256", "files:blake2b", "shards:sha256", "shards:blake2b"})
  void sign_eachMethodAndHash_roundTrips(String config) throws Exception {
    String[] c = config.split(":");
    ModelHashing h = (c[0].equals("files") ? ModelHashing.files() : ModelHashing.shards(7)).hashAlgorithm(c[1]).build();
    KeyPair kp = TestKeys.generate("P-256");
    String sig = keySigned(kp, model(), h);
    ModelVerifier v = ModelVerifier.builder().publicKey(kp.getPublic()).build();
    assertEquals(h.method(), v.readSigned(sig.getBytes()).hashing().method());
    assertDoesNotThrow(() -> v.verify(tmp.resolve("my-model"), sig.getBytes(), ProgressListener.NONE));
  }

  @Test
  void sign_withCertificateChain_verifiesToRootAnchor() throws Exception {
    ModelSigner signer = ModelSigner.withCertificateChain(OmsVectors.privateKey(),
        List.of(OmsVectors.cert("signing-key-cert.pem"), OmsVectors.cert("int-ca-cert.pem")));
    String sig = signer.sign(model(), ModelHashing.files().build(), ProgressListener.NONE);
    ModelVerifier v = ModelVerifier.builder().trustAnchors(List.of(OmsVectors.cert("ca-cert.pem"))).build();
    assertDoesNotThrow(() -> v.verify(tmp.resolve("my-model"), sig.getBytes(), ProgressListener.NONE));
  }

  @Test
  void sign_withKey_writesReferenceBundleShape() throws Exception {
    String sig = ModelSigner.withKey(OmsVectors.privateKey()).sign(model(), ModelHashing.files()
        .ignorePaths(List.of("model.sig")).build(), ProgressListener.NONE);
    Map<?, ?> b = (Map<?, ?>) Json.parse(sig);
    Map<?, ?> vm = (Map<?, ?>) b.get("verificationMaterial");
    assertEquals(Map.of("hint", OmsVectors.P384_HINT), vm.get("publicKey"));
    assertEquals(List.of(), vm.get("tlogEntries"));
    Map<?, ?> sig0 = (Map<?, ?>) ((List<?>) ((Map<?, ?>) b.get("dsseEnvelope")).get("signatures")).get(0);
    assertEquals("", sig0.get("keyid"));
    SignedModel s = OmsVectors.keyVerifier().readSigned(sig.getBytes());
    assertEquals(List.of(".git", ".gitattributes", ".github", ".gitignore", "model.sig"), s.hashing().ignorePaths());
  }

  @Test
  void withKey_rsaKey_isRefused() {
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> ModelSigner.withKey(TestKeys.generate("RSA-2048").getPrivate()));
    assertEquals("model signing supports ECDSA P-256, P-384 and P-521 keys only", e.getMessage());
  }

  @Test
  void withKey_ecKeyOnUnsupportedCurve_isRefused() {
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> ModelSigner.withKey(TestKeys.generate("P-224").getPrivate()));
    assertEquals("model signing supports ECDSA P-256, P-384 and P-521 keys only", e.getMessage());
  }

  @Test
  void publicKey_rsaKey_isRefused() {
    ModelVerifier.Builder b = ModelVerifier.builder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.publicKey(TestKeys.generate("RSA-2048").getPublic()));
    assertEquals("model signing supports ECDSA P-256, P-384 and P-521 keys only", e.getMessage());
  }

  @Test
  void publicKey_ecKeyOnUnsupportedCurve_isRefused() {
    ModelVerifier.Builder b = ModelVerifier.builder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.publicKey(TestKeys.generate("P-224").getPublic()));
    assertEquals("model signing supports ECDSA P-256, P-384 and P-521 keys only", e.getMessage());
  }

  @Test
  void withCertificateChain_otherKey_isRefused() throws Exception {
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> ModelSigner.withCertificateChain(
        TestKeys.generate("P-384").getPrivate(), List.of(OmsVectors.cert("signing-key-cert.pem"))));
    assertEquals("the signing certificate's public key does not match the private key", e.getMessage());
  }

  @Test
  void sign_emptyModel_isRefused() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ModelSigner s = ModelSigner.withKey(TestKeys.generate("P-256").getPrivate());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.sign(empty, ModelHashing.files().build(), ProgressListener.NONE));
    assertEquals("refusing to sign an empty model: there are no files to sign", e.getMessage());
  }

  @Test
  void verify_modifiedFile_namesIt() throws Exception {
    KeyPair kp = TestKeys.generate("P-256");
    String sig = keySigned(kp, model(), ModelHashing.files().build());
    TestKeys.write(tmp.resolve("my-model"), "weights.bin", "0123456789abcdefghiJ");
    VerificationException e = mismatch(ModelVerifier.builder().publicKey(kp.getPublic()).build(),
        tmp.resolve("my-model"), sig);
    assertEquals("model does not match its signature: modified files: weights.bin", e.getMessage());
  }

  @Test
  void verify_signatureByAnotherKey_stopsHashingBeforeReturning() throws Exception {
    Path m = model();
    String sig = keySigned(TestKeys.generate("P-256"), m, ModelHashing.files().build());
    try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(m.resolve("big.bin").toFile(), "rw")) {
      big.setLength(1L << 30); // sparse: hashing it all would take the better part of a second
    }
    java.util.concurrent.atomic.AtomicInteger reports = new java.util.concurrent.atomic.AtomicInteger();
    ModelVerifier v = ModelVerifier.builder().publicKey(TestKeys.generate("P-256").getPublic()).threads(1).build();

    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(m, sig.getBytes(), (done, total) -> reports.incrementAndGet()));
    int atReturn = reports.get();
    Thread.sleep(300);

    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(atReturn, reports.get()); // no hashing went on after verify threw
  }

  @Test
  void verify_renamedFile_isMissingPlusExtra() throws Exception {
    KeyPair kp = TestKeys.generate("P-256");
    String sig = keySigned(kp, model(), ModelHashing.files().build());
    Files.move(tmp.resolve("my-model/sub/tokenizer.txt"), tmp.resolve("my-model/sub/tok.txt"));
    VerificationException e = mismatch(ModelVerifier.builder().publicKey(kp.getPublic()).build(),
        tmp.resolve("my-model"), sig);
    assertEquals("model does not match its signature: missing files: sub/tokenizer.txt; extra files: sub/tok.txt",
        e.getMessage());
  }

  @Test
  void verify_removedShardedFile_namesItsShards() throws Exception {
    KeyPair kp = TestKeys.generate("P-256");
    String sig = keySigned(kp, model(), ModelHashing.shards(16).build());
    Files.delete(tmp.resolve("my-model/weights.bin"));
    VerificationException e = mismatch(ModelVerifier.builder().publicKey(kp.getPublic()).build(),
        tmp.resolve("my-model"), sig);
    assertEquals("model does not match its signature: missing files: weights.bin:0:16, weights.bin:16:20",
        e.getMessage());
  }

  @Test
  void verify_addedFileWithIgnoreUnsignedFiles_passes() throws Exception {
    KeyPair kp = TestKeys.generate("P-256");
    String sig = keySigned(kp, model(), ModelHashing.files().build());
    TestKeys.write(tmp.resolve("my-model"), "README.md", "new");
    ModelVerifier v = ModelVerifier.builder().publicKey(kp.getPublic()).ignoreUnsignedFiles(true).build();
    assertDoesNotThrow(() -> v.verify(tmp.resolve("my-model"), sig.getBytes(), ProgressListener.NONE));
  }

  @Test
  void verify_signatureInsideModelIgnoredByCaller_passes() throws Exception {
    KeyPair kp = TestKeys.generate("P-256");
    Path m = model();
    String sig = keySigned(kp, m, ModelHashing.files().build());
    TestKeys.write(m, "model.sig", sig);
    ModelVerifier v = ModelVerifier.builder().publicKey(kp.getPublic()).ignorePaths(List.of("model.sig")).build();
    assertDoesNotThrow(() -> v.verify(m, sig.getBytes(), ProgressListener.NONE));
  }

  @Test
  void compute_symlinkEscapingRoot_isRefused() throws Exception {
    Path m = model();
    Files.createSymbolicLink(m.resolve("evil"), TestKeys.write(tmp, "outside-secret", "s").toAbsolutePath());
    VerificationException e = assertThrows(VerificationException.class,
        () -> ModelManifest.compute(m, ModelHashing.files().build(), ProgressListener.NONE));
    assertEquals(Reason.PATH_REFUSED, e.reason());
    assertEquals("symbolic link evil refused: symbolic links are not allowed in this model", e.getMessage());
  }

  @Test
  void compute_ignoredGitDirectory_isSkippedOnlyAtTopLevel() throws Exception {
    Path m = model();
    Files.createDirectories(m.resolve(".git"));
    TestKeys.write(m, ".git/HEAD", "ref");
    Files.createDirectories(m.resolve("sub/.git"));
    TestKeys.write(m, "sub/.git/HEAD", "ref");
    List<String> names = ModelManifest.compute(m, ModelHashing.files().build(), ProgressListener.NONE)
        .entries().stream().map(ModelManifest.Entry::name).toList();
    assertEquals(List.of("config.json", "sub/.git/HEAD", "sub/tokenizer.txt", "weights.bin"), names);
  }

  @Test
  void compute_siblingNamesBelowSlash_useComponentOrder() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("order"));
    for (String n : List.of(".hidden", "a-b", "a.b", "ab")) {
      TestKeys.write(m, n, n);
    }
    Files.createDirectories(m.resolve("a"));
    TestKeys.write(m, "a/b", "x");
    List<String> names = ModelManifest.compute(m, ModelHashing.files().build(), ProgressListener.NONE)
        .entries().stream().map(ModelManifest.Entry::name).toList();
    assertEquals(List.of(".hidden", "a/b", "a-b", "a.b", "ab"), names);
  }

  @Test
  void compute_oneAndFourThreads_giveIdenticalManifests() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("par"));
    for (int i = 0; i < 12; i++) {
      TestKeys.write(m, "f" + i, new byte[1000 * i + 3]);
    }
    for (ModelHashing.Builder b : List.of(ModelHashing.files(), ModelHashing.shards(1024))) {
      ModelManifest one = ModelManifest.compute(m, b.threads(1).build(), ProgressListener.NONE);
      ModelManifest four = ModelManifest.compute(m, b.threads(4).build(), ProgressListener.NONE);
      assertEquals(one.entries(), four.entries());
      assertEquals(one.rootDigestHex(), four.rootDigestHex());
    }
  }

  @Test
  void build_noKeyNorAnchors_isRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelVerifier.builder().build());
    assertEquals("set exactly one of publicKey (key method), trustAnchors (certificate method) or keyless "
        + "(Sigstore keyless method)", e.getMessage());
  }

  @Test
  void shards_zeroSize_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelHashing.shards(0));
    assertEquals("shard size must be at least 1 byte, got 0", e.getMessage());
  }

  @Test
  void hashAlgorithm_unknown_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelHashing.files().hashAlgorithm("md5"));
    assertEquals("unsupported model hash algorithm md5 (supported: sha256, blake2b)", e.getMessage());
  }

  @Test
  void ignorePaths_escapingRoot_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelHashing.files().ignorePaths(List.of("../x")));
    assertEquals("ignore path must be relative to the model root, inside it, and not the root: ../x", e.getMessage());
  }

  @Test
  void checkName_dotDotResource_isPathRefused() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> OmsStatement.checkName("../etc/passwd", 0));
    assertEquals(Reason.PATH_REFUSED, e.reason());
  }

  @Test
  void pythonRepr_quotesAndEscapes_matchPython() {
    assertEquals("b'a\\\\b\\n\\x00\"'", Dsse.pythonRepr("a\\b\n\0\"".getBytes()));
    assertEquals("b\"it's\"", Dsse.pythonRepr("it's".getBytes()));
  }
}
