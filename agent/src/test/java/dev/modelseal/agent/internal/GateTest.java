package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's path and in-memory decisions, in process (no runtime, no forked JVM): what it hands on, and the
 * routes around it that it closes.
 */
class GateTest {
  private static final byte[] MODEL = "model bytes".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;
  private Path dir;
  private KeyPair prod;
  private KeyPair lab;
  private Path prodPub;
  private Path labPub;

  @BeforeEach
  void keys() throws Exception {
    dir = tmp.toRealPath();
    prod = CosignKeyWriter.generateKeyPair();
    lab = CosignKeyWriter.generateKeyPair();
    prodPub = Files.writeString(dir.resolve("prod.pub"), CosignKeyWriter.publicKeyPem(prod.getPublic()));
    labPub = Files.writeString(dir.resolve("lab.pub"), CosignKeyWriter.publicKeyPem(lab.getPublic()));
  }

  private Gate gate(String config) throws Exception {
    Path conf = Files.writeString(dir.resolve("agent.conf"), "key.prod = " + prodPub + "\nkey.lab = " + labPub
        + "\npin-dir = " + dir.resolve("pins") + "\naudit-log = " + dir.resolve("decisions.jsonl") + "\n" + config);
    return TestGates.fromConfig(conf);
  }

  private static Path write(Path file, byte[] bytes) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  private static void signSig(KeyPair key, Path file) throws Exception {
    String sig = BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64();
    Files.writeString(file.resolveSibling(file.getFileName() + ".sig"), sig);
  }

  private static ModelVerificationException refused(Runnable load) {
    return assertThrows(ModelVerificationException.class, load::run);
  }

  @Test
  void checkPath_exemptPathThroughSymlink_handsOnTheResolvedPath() throws Exception {
    Path real = write(dir.resolve("public/tokenizer.json"), MODEL);
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("public"));
    Gate gate = gate("exempt = " + dir.resolve("public") + "\n");

    assertEquals(real, gate.checkPath("test", link.resolve("tokenizer.json")));
  }

  @Test
  void checkPath_pathThatNormalisesIntoThePinFolderButResolvesElsewhere_isVerified() throws Exception {
    Gate gate = gate("");
    Path signed = write(dir.resolve("models/model.onnx"), MODEL);
    signSig(prod, signed);
    Path rel = dir.relativize(gate.checkPath("test", signed));
    // <dir>/lnk/../<pinned> normalises to the pinned copy, but the kernel resolves lnk (-> <dir>/evil/a)
    // first: the file read is <dir>/evil/<pinned>, the attacker's.
    write(dir.resolve("evil").resolve(rel), "attacker".getBytes(StandardCharsets.US_ASCII));
    Files.createSymbolicLink(dir.resolve("lnk"), Files.createDirectories(dir.resolve("evil/a")));
    Path lexical = Path.of(dir + "/lnk/../" + rel);

    ModelVerificationException e = refused(() -> gate.checkPath("test", lexical));
    assertEquals(RejectReason.UNSIGNED, e.reason());
  }

  @Test
  void checkPath_pinnedCopy_handedOnAsIs() throws Exception {
    Gate gate = gate("");
    Path signed = write(dir.resolve("models/model.onnx"), MODEL);
    signSig(prod, signed);
    Path pinned = gate.checkPath("test", signed);

    assertEquals(pinned, gate.checkPath("test", pinned));
    assertArrayEquals(MODEL, Files.readAllBytes(pinned));
  }

  @Test
  void checkPath_fileUnderProdRuleCoveredByLabSignedParentModelSig_refusedUntrustedKey() throws Exception {
    Path lab = dir.resolve("m/lab");
    write(lab.resolve("prod/model.onnx"), MODEL);
    Files.writeString(lab.resolve("model.sig"), ModelSigner.withKey(this.lab.getPrivate())
        .sign(lab, ModelHashing.files().build(), ProgressListener.NONE));
    Gate gate = gate("rule.lab.path = " + lab + "\nrule.lab.keys = lab\nrule.prod.path = " + lab.resolve("prod")
        + "\nrule.prod.keys = prod\n");

    ModelVerificationException e = refused(() -> gate.checkPath("test", lab.resolve("prod/model.onnx")));
    assertEquals(RejectReason.UNTRUSTED_KEY, e.reason());
    assertEquals("model rejected (UNTRUSTED_KEY): " + lab.resolve("prod/model.onnx") + ": model.sig: signed by key "
        + KeyId.hex(this.lab.getPublic()) + ", which is not allowed to sign prod/model.onnx at its location",
        e.getMessage());
  }

  @Test
  void checkBytes_copyOfCosignSignedFileWhereModelSigningIsRequired_refusedUnsigned() throws Exception {
    Path models = dir.resolve("models");
    signSig(prod, write(models.resolve("model.onnx"), MODEL));
    Gate gate = gate("rule.prod.path = " + models + "\nrule.prod.keys = prod\nrule.prod.format = model-signing\n");

    ModelVerificationException e = refused(() -> gate.checkBytes("test", MODEL.clone()));
    assertEquals(RejectReason.UNSIGNED, e.reason());
    assertEquals("model rejected (UNSIGNED): <byte[] 11 bytes>: " + models.resolve("model.onnx")
        + ": this location requires an OpenSSF model signature (model.sig as sign-model writes it), not cosign"
        + " signatures", e.getMessage());
  }

  @Test
  void checkPath_malformedBundleBesideValidSig_refusedNamingThePrecedence() throws Exception {
    Path model = write(dir.resolve("models/model.onnx"), MODEL);
    signSig(prod, model);
    Files.writeString(dir.resolve("models/model.onnx.sigstore.json"), "{");
    Gate gate = gate("");

    ModelVerificationException e = refused(() -> gate.checkPath("test", model));
    assertEquals(RejectReason.MALFORMED_SIGNATURE, e.reason());
    assertTrue(e.getMessage().endsWith(": model.onnx: bundle is not valid JSON: unexpected end of JSON at offset 1"
        + " (in model.onnx.sigstore.json, which takes precedence: model.onnx.sig is not consulted while it exists)"),
        e.getMessage());
  }
  private static void fillWithEntries(Path dir, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      Files.createFile(dir.resolve("f" + i));
    }
  }

  @Test
  void checkPath_directoryWithMoreEntriesThanTheBound_refusedTooLarge() throws Exception {
    Path model = Files.createDirectories(dir.resolve("models/huge"));
    fillWithEntries(model, LocationVerifier.MAX_ENTRIES + 1);
    Gate gate = gate("");

    ModelVerificationException e = refused(() -> gate.checkPath("test", model));
    assertEquals("model rejected (TOO_LARGE): " + model + ": model directory has more than 65536 entries",
        e.getMessage());
  }

  @Test
  void checkPath_omsDirectoryFloodedWithExtraEntries_refusedTooLarge() throws Exception {
    Path model = Files.createDirectories(dir.resolve("models/oms"));
    write(model.resolve("model.onnx"), MODEL);
    Files.writeString(model.resolve("model.sig"), ModelSigner.withKey(prod.getPrivate())
        .sign(model, ModelHashing.files().build(), ProgressListener.NONE));
    Files.createDirectories(model.resolve("flood"));
    fillWithEntries(model.resolve("flood"), LocationVerifier.MAX_ENTRIES + 1);
    Gate gate = gate("");

    ModelVerificationException e = refused(() -> gate.checkPath("test", model));
    assertEquals("model rejected (TOO_LARGE): " + model + ": model directory has more than 65536 entries",
        e.getMessage());
  }
  @Test
  void checkPath_onnxRefusedForItsExternalDataAfterPinning_leavesNoPinnedCopy() throws Exception {
    Path model = write(dir.resolve("models/model.onnx"),
        dev.modelseal.testkit.TinyModels.onnxWithExternalBias(dir.resolve("models/w.bin").toString()));
    write(dir.resolve("models/w.bin"), dev.modelseal.testkit.TinyModels.externalBias(1f, 1f, 1f, 1f));
    signSig(prod, model);
    Gate gate = gate("");

    ModelVerificationException e = refused(() -> gate.checkPath(Hooks.ORT_CREATE_SESSION, model));
    assertEquals(RejectReason.PATH_REFUSED, e.reason());
    assertEquals(java.util.List.of(), pinFolders());
  }

  @Test
  void checkPath_onnxWithSignedExternalData_keepsOnePinFolder() throws Exception {
    Path model = write(dir.resolve("models/model.onnx"), dev.modelseal.testkit.TinyModels.onnxWithExternalBias("w.bin"));
    Path weights = write(dir.resolve("models/w.bin"), dev.modelseal.testkit.TinyModels.externalBias(1f, 1f, 1f, 1f));
    signSig(prod, model);
    signSig(prod, weights);
    Gate gate = gate("");

    Path pinned = gate.checkPath(Hooks.ORT_CREATE_SESSION, model);

    assertEquals(java.util.List.of(pinned.getParent()), pinFolders()); // the data file's own pin folder is gone
    assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(pinned.resolveSibling("w.bin")));
  }

  @Test
  void checkOrtBytes_refusedForItsExternalDataInTheFolderOption_leavesNoPinFolder() throws Exception {
    Path models = dir.resolve("models");
    byte[] onnx = dev.modelseal.testkit.TinyModels.onnxWithExternalBias("w.bin");
    Path weights = write(models.resolve("w.bin"), dev.modelseal.testkit.TinyModels.externalBias(1f, 1f, 1f, 1f));
    signSig(prod, write(models.resolve("model.onnx"), onnx));
    signSig(prod, weights);
    write(weights, dev.modelseal.testkit.TinyModels.externalBias(9f, 9f, 9f, 9f));
    Gate gate = gate("models = " + models + "\n");
    SessionOptions options = new SessionOptions();
    options.addConfigEntry(ExternalDataPinner.FOLDER_OPTION, models.toString());

    ModelVerificationException e = refused(() -> gate.checkOrtBytes(Hooks.ORT_CREATE_SESSION, onnx, options));
    assertEquals(RejectReason.SIGNATURE_INVALID, e.reason());
    assertTrue(e.getMessage().startsWith("model rejected (SIGNATURE_INVALID): <byte[] " + onnx.length + " bytes>:"
        + " external data w.bin: w.bin: signature does not verify with key "), e.getMessage());
    assertEquals(java.util.List.of(), pinFolders());
  }

  @Test
  void checkOrtBytes_decisionLogUnwritableAfterExternalDataPinned_leavesNoPinFolder() throws Exception {
    Path models = dir.resolve("models");
    byte[] onnx = dev.modelseal.testkit.TinyModels.onnxWithExternalBias("w.bin");
    signSig(prod, write(models.resolve("w.bin"), dev.modelseal.testkit.TinyModels.externalBias(1f, 1f, 1f, 1f)));
    signSig(prod, write(models.resolve("model.onnx"), onnx));
    Path conf = Files.writeString(dir.resolve("full.conf"), "key.prod = " + prodPub + "\npin-dir = "
        + dir.resolve("pins") + "\naudit-log = /dev/full\nmodels = " + models + "\n");
    Gate gate = TestGates.fromConfig(conf);
    SessionOptions options = new SessionOptions();
    options.addConfigEntry(ExternalDataPinner.FOLDER_OPTION, models.toString());

    ModelVerificationException e = refused(() -> gate.checkOrtBytes(Hooks.ORT_CREATE_SESSION, onnx, options));
    assertEquals(RejectReason.INTERNAL_ERROR, e.reason());
    assertEquals(java.util.List.of(), pinFolders());
  }

  /** What stands for ONNX Runtime's {@code SessionOptions}: the two public methods the gate calls. */
  public static final class SessionOptions {
    private final java.util.Map<String, String> entries = new java.util.HashMap<>();

    public java.util.Map<String, String> getConfigEntries() {
      return java.util.Map.copyOf(entries);
    }

    public void addConfigEntry(String key, String value) {
      entries.put(key, value);
    }
  }

  /** The folders in this JVM's pin root (the one root under {@code pins/}), its {@code .lock} left out. */
  private java.util.List<Path> pinFolders() throws Exception {
    try (java.util.stream.Stream<Path> roots = Files.list(dir.resolve("pins"));
        java.util.stream.Stream<Path> loads = Files.list(roots.findFirst().orElseThrow())) {
      return loads.filter(p -> !p.getFileName().toString().equals(".lock")).toList();
    }
  }
}
