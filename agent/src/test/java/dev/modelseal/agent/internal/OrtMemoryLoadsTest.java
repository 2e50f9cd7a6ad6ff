package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.testkit.TinyModels;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large ONNX models loaded from memory by their ONNX Runtime session ({@link OnnxMemoryPins}, {@link OrtMemoryLoads}),
 * through the agent's gate in process: a model on storage that would be copied is read once and handed over as the
 * verified bytes, with an empty placeholder in the pin folder; whatever changed since its signature was found is
 * refused; a DJL engine other than ONNX Runtime gets a verified copy; small models, {@code pin=copy} and models with
 * external data keep a copy.
 */
class OrtMemoryLoadsTest {
  private static final String SESSION = OrtHooks.CREATE_SESSION_HOOK;
  private static final String DJL_DIRECTORY = "ai.djl.repository.SimpleRepository.getResourceDirectory";
  private static final int LARGE = (int) OnnxMemoryPins.MIN_SIZE;

  @TempDir Path tmp;
  private Path dir;
  private KeyPair prod;
  private Path prodPub;

  @BeforeEach
  void keys() throws Exception {
    dir = tmp.toRealPath();
    prod = CosignKeyWriter.generateKeyPair();
    prodPub = Files.writeString(dir.resolve("prod.pub"), CosignKeyWriter.publicKeyPem(prod.getPublic()));
  }

  private Gate gate(String config) throws Exception {
    Path conf = Files.writeString(dir.resolve("agent.conf"), "key.prod = " + prodPub + "\npin-dir = "
        + dir.resolve("pins") + "\naudit-log = " + dir.resolve("decisions.jsonl") + "\n" + config);
    return TestGates.fromConfig(conf);
  }

  private Path signed(Path file, byte[] bytes) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    String sig = BlobSigner.create(prod.getPrivate()).sign(file, ProgressListener.NONE).base64();
    Files.writeString(file.resolveSibling(file.getFileName() + ".sig"), sig);
    return file;
  }

  private List<String> decisions() throws Exception {
    return Files.readAllLines(dir.resolve("decisions.jsonl")).stream().filter(l -> l.contains("\"decision\":"))
        .toList();
  }

  /** Regular files the pin folder holds, other than its lock, with their sizes. */
  private List<String> pinnedFiles() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("pins"))) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock"))
          .map(p -> p.getFileName() + " " + p.toFile().length()).toList();
    }
  }

  /** A signed DJL directory {@code models/} with a large {@code model.onnx}. */
  private Path largeModelDirectory() throws Exception {
    Path models = dir.resolve("models");
    signed(models.resolve("model.onnx"), TinyModels.onnxWithPadding(LARGE));
    return models;
  }

  /** Makes the large model of {@link #largeModelDirectory} another one, as an attacker with write access would. */
  private static void replaceLargeModel(Path models) throws Exception {
    Files.write(models.resolve("model.onnx"), TinyModels.onnxWithPadding(LARGE + 1));
  }

  private static byte[] bytesOf(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void checkOrtPath_largeModelOnWritableStorage_returnsTheVerifiedBytesAndWritesNothing() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));

    Object loaded = gate("").checkOrtPath(SESSION, model, null);

    ByteBuffer bytes = assertInstanceOf(ByteBuffer.class, loaded);
    assertTrue(bytes.isDirect());
    assertArrayEquals(Files.readAllBytes(model), bytesOf(bytes));
    assertEquals(List.of("model.onnx 0"), pinnedFiles());
  }

  @Test
  void checkOrtPath_largeModel_decisionSaysMemoryAndNothingWritten() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));

    gate("").checkOrtPath(SESSION, model, null);

    List<String> d = decisions();
    assertEquals(1, d.size(), d::toString);
    assertTrue(d.get(0).contains("\"decision\":\"allow\""), d::toString);
    assertTrue(d.get(0).contains("\"pin\":\"memory\""), d::toString);
    assertTrue(d.get(0).contains("\"detail\":\"verified " + model + "; loading it from memory ("
        + Files.size(model) + " bytes read once, nothing written)\""), d::toString);
  }

  @Test
  void checkOrtPath_largeModelWithAFlippedBit_refusedSignatureInvalid() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));
    byte[] tampered = Files.readAllBytes(model);
    tampered[tampered.length - 1] ^= 1;
    Files.write(model, tampered);
    Gate gate = gate("");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkOrtPath(SESSION, model, null));

    assertEquals(RejectReason.SIGNATURE_INVALID, e.reason());
    assertEquals("model rejected (SIGNATURE_INVALID): " + model + ": model.onnx: signature does not verify with key "
        + KeyId.hex(prod.getPublic()) + " (tried [ECDSA_P256_SHA256])", e.getMessage());
  }

  @Test
  void checkOrtPath_smallModel_returnsThePinnedCopysPath() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnx());

    Object loaded = gate("").checkOrtPath(SESSION, model, null);

    Path pinned = Path.of(assertInstanceOf(String.class, loaded));
    assertArrayEquals(TinyModels.onnx(), Files.readAllBytes(pinned));
  }

  @Test
  void checkOrtPath_largeModelWithPinCopy_returnsThePinnedCopysPath() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));

    Object loaded = gate("pin = copy\n").checkOrtPath(SESSION, model, null);

    assertEquals(Files.size(model), Files.size(Path.of(assertInstanceOf(String.class, loaded))));
  }

  @Test
  void checkOrtPath_smallModelWithPinMemory_returnsTheVerifiedBytes() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnx());

    Object loaded = gate("pin = memory\n").checkOrtPath(SESSION, model, null);

    assertArrayEquals(TinyModels.onnx(), bytesOf(assertInstanceOf(ByteBuffer.class, loaded)));
  }

  @Test
  void checkOrtPath_largeModelOverMaxInMemory_returnsThePinnedCopysPath() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));

    Object loaded = gate("max-in-memory = " + LARGE + "\n").checkOrtPath(SESSION, model, null);

    assertInstanceOf(String.class, loaded);
  }

  @Test
  void checkOrtPath_largeModelNamingExternalData_loadsAVerifiedCopyWithItsDataBeside() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithExternalBiasAndPadding("w.bin", LARGE));
    Path weights = signed(dir.resolve("models/w.bin"), TinyModels.externalBias(1f, 1f, 1f, 1f));

    Object loaded = gate("").checkOrtPath(SESSION, model, null);

    Path pinned = Path.of(assertInstanceOf(String.class, loaded));
    assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(pinned));
    assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(pinned.resolveSibling("w.bin")));
    assertTrue(decisions().get(0).contains("\"pin\":\"copy\""), decisions()::toString);
  }

  @Test
  void checkOrtBuffer_theBufferJustHandedOver_passesOnceAsIs() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));
    Gate gate = gate("");
    ByteBuffer bytes = (ByteBuffer) gate.checkOrtPath(SESSION, model, null);

    assertSame(bytes, gate.checkOrtBuffer(SESSION, bytes, null));
    ModelVerificationException again = assertThrows(ModelVerificationException.class,
        () -> gate.checkOrtBuffer(SESSION, bytes, null));
    assertEquals(RejectReason.UNSIGNED, again.reason());
  }

  @Test
  void checkOrtBuffer_anotherBufferAfterAHandOver_verifiedAsUsual() throws Exception {
    Path model = signed(dir.resolve("models/model.onnx"), TinyModels.onnxWithPadding(LARGE));
    Gate gate = gate("");
    ByteBuffer handedOver = (ByteBuffer) gate.checkOrtPath(SESSION, model, null);
    ByteBuffer other = ByteBuffer.allocateDirect(handedOver.remaining());
    other.put(handedOver.duplicate()).flip();

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkOrtBuffer(SESSION, other, null));

    assertEquals(RejectReason.UNSIGNED, e.reason());
  }

  @Test
  void checkPath_djlDirectoryWithALargeModel_placeholderThenTheSessionGetsTheBytes() throws Exception {
    Path models = largeModelDirectory();
    Path model = models.resolve("model.onnx");
    signed(models.resolve("serving.properties"), "engine=OnnxRuntime\n".getBytes());
    Gate gate = gate("");

    Path pinnedDir = gate.checkPath(DJL_DIRECTORY, models);
    Object loaded = gate.checkOrtPath(SESSION, pinnedDir.resolve("model.onnx"), null);

    assertArrayEquals(Files.readAllBytes(model), bytesOf(assertInstanceOf(ByteBuffer.class, loaded)));
    List<String> d = decisions();
    assertTrue(d.get(0).contains("\"pin\":\"copy+memory\"") && d.get(0).contains("\"detail\":\"verified 1 files in "
        + models + "; verified when ONNX Runtime loads it, from memory: model.onnx; loading pinned copy "), d::toString);
    assertTrue(d.get(1).contains("\"pin\":\"memory\""), d::toString);
  }

  @Test
  void checkPath_djlDirectoryWhoseLargeModelChangesBeforeItsSession_refused() throws Exception {
    Path models = largeModelDirectory();
    Gate gate = gate("");
    Path pinnedDir = gate.checkPath(DJL_DIRECTORY, models);
    replaceLargeModel(models);

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkOrtPath(SESSION, pinnedDir.resolve("model.onnx"), null));

    assertEquals(RejectReason.SIGNATURE_INVALID, e.reason());
  }

  @Test
  void checkOrtPath_auditModeDjlDirectoryWhoseLargeModelChanged_loggedAndTheOriginalLoaded() throws Exception {
    Path models = largeModelDirectory();
    Path model = models.resolve("model.onnx");
    Gate gate = gate("mode = audit\n");
    Path pinnedDir = gate.checkPath(DJL_DIRECTORY, models);
    replaceLargeModel(models);

    Object loaded = gate.checkOrtPath(SESSION, pinnedDir.resolve("model.onnx"), null);

    assertEquals(model.toString(), loaded);
    assertTrue(decisions().get(1).contains("\"decision\":\"audit-deny\""), decisions()::toString);
  }

  @Test
  void checkPath_djlDirectoryLoadedByAnotherEngine_placeholderBecomesAVerifiedCopy() throws Exception {
    Path models = largeModelDirectory();
    Path model = models.resolve("model.onnx");
    Gate gate = gate("");
    Path pinnedDir = gate.checkPath(DJL_DIRECTORY, models);

    Path loaded = gate.checkPath("ai.djl.pytorch.engine.PtModel.load", pinnedDir);

    assertEquals(pinnedDir, loaded);
    assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(pinnedDir.resolve("model.onnx")));
    assertTrue(decisions().get(1).contains("\"pin\":\"copy\"") && decisions().get(1).contains("this runtime reads"
        + " it by path: loading the verified copy "), decisions()::toString);
  }

  @Test
  void checkPath_djlDirectoryWhoseLargeModelChangesBeforeAnotherEngine_refused() throws Exception {
    Path models = largeModelDirectory();
    Gate gate = gate("");
    Path pinnedDir = gate.checkPath(DJL_DIRECTORY, models);
    replaceLargeModel(models);

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkPath("ai.djl.pytorch.engine.PtModel.load", pinnedDir));

    assertEquals(RejectReason.SIGNATURE_INVALID, e.reason());
    assertEquals(0, Files.size(pinnedDir.resolve("model.onnx")), "the placeholder stays empty");
  }

  @Test
  void checkPath_directoryThroughADjlHookThatLoadsNoModel_largeModelCopied() throws Exception {
    Path models = largeModelDirectory();
    Path model = models.resolve("model.onnx");

    Path pinnedDir = gate("").checkPath("ai.djl.util.ClassLoaderUtils.findImplementation", models);

    assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(pinnedDir.resolve("model.onnx")));
  }

  @Test
  void checkPath_djlDirectoryForOnnxRuntimesModel_placeholderStaysEmpty() throws Exception {
    Path models = largeModelDirectory();
    Gate gate = gate("");
    Path pinnedDir = gate.checkPath(DJL_DIRECTORY, models);

    gate.checkPath("ai.djl.onnxruntime.engine.OrtModel.load", pinnedDir);

    assertEquals(0, Files.size(pinnedDir.resolve("model.onnx")));
    assertEquals(1, decisions().size(), decisions()::toString);
  }
}
