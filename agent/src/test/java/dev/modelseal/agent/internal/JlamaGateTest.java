package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's three Jlama checks ({@link Gate#checkFile}, {@link Gate#checkWeightsFile}, {@link Gate#checkWeights},
 * {@link JlamaModels}), in process: the model directory is verified as a whole and handed on pinned, a weights
 * directory already pinned goes on as it is and its file name must stay in it, and a model's weights must be a
 * {@code SafeTensorIndex}. Jlama's real classes (Java 21+) are exercised by {@code JlamaIT}.
 */
class JlamaGateTest {
  private static final String HOOK = "com.github.tjake.jlama.model.ModelSupport.loadModel";
  private static final String SINGLE = "com.github.tjake.jlama.safetensors.SafeTensorIndex.loadSingleFile";
  private static final String INIT = "com.github.tjake.jlama.model.AbstractModel.<init>";
  private static final String WEIGHTS_REFUSAL = "Jlama weights of type java.lang.String, which may have been read"
      + " from elsewhere than a verified model directory: only a SafeTensorIndex that Jlama read from a verified"
      + " directory is allowed (load the weights with SafeTensorSupport.loadWeights, or ModelSupport.loadModel)";

  @TempDir Path tmp;
  private SignedModels models;
  private Path model;

  @BeforeEach
  void signedModel() throws Exception {
    models = new SignedModels(tmp);
    model = Files.createDirectories(models.dir.resolve("models/tiny"));
    for (String name : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      SignedModels.signSig(models.prod, SignedModels.write(model.resolve(name), name + " content"));
    }
  }

  @Test
  void directoryOf_fileOrDirectory_theDirectoryJlamaLoads() {
    assertEquals(model, JlamaModels.directoryOf(model.resolve("config.json").toFile()));
    assertEquals(model, JlamaModels.directoryOf(model.toFile()));
  }

  @Test
  void inScope_jlamaClasses_true() {
    assertTrue(Runtimes.ALL.inScope("com/github/tjake/jlama/model/ModelSupport"));
    assertTrue(Runtimes.ALL.inScopeBinaryName("com.github.tjake.jlama.model.ModelSupport"));
    assertFalse(Runtimes.ALL.inScope("com/github/tjake/jlamax/ModelSupport"));
  }

  @Test
  void checkFile_signedDirectory_pinnedCopy() throws Exception {
    File pinned = models.gate("").checkFile(HOOK, model.toFile());

    assertTrue(pinned.toPath().startsWith(models.dir.resolve("pins")), pinned::toString);
    assertEquals("tiny", pinned.getName());
    assertEquals(3, pinnedFiles());
  }

  @Test
  void checkFile_fileInSignedDirectory_sameNamedFileInPinnedCopy() throws Exception {
    File config = model.resolve("config.json").toFile();

    File pinned = models.gate("").checkFile(HOOK, config);

    assertEquals("config.json", pinned.getName());
    assertArrayEquals(Files.readAllBytes(config.toPath()), Files.readAllBytes(pinned.toPath()));
    assertTrue(Files.exists(pinned.toPath().resolveSibling("model.safetensors")));
  }

  @Test
  void checkFile_unsignedFileInDirectory_refusedUnsigned() throws Exception {
    SignedModels.write(model.resolve("tokenizer_config.json"), "{}");
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(HOOK, model.toFile()));

    assertEquals(RejectReason.UNSIGNED, e.reason());
    assertEquals(0, pinnedFiles());
  }

  @Test
  void checkFile_nullModelAudit_refused() throws Exception {
    Gate gate = models.gate("mode = audit\n");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(HOOK, null));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): <null>: no model path", e.getMessage());
  }

  @Test
  void checkWeightsFile_pinnedDirectory_handedOnAsItIs() throws Exception {
    Gate gate = models.gate("");
    Path pinned = gate.checkFile(HOOK, model.toFile()).toPath();

    assertEquals(pinned, gate.checkWeightsFile(SINGLE, pinned, "model.safetensors"));
    assertEquals(3, pinnedFiles());
    assertEquals(1, models.decisionLines().size());
  }

  @Test
  void checkWeightsFile_signedDirectoryNotYetPinned_verifiedAndPinned() throws Exception {
    Path pinned = models.gate("").checkWeightsFile(SINGLE, model, "model.safetensors");

    assertTrue(pinned.startsWith(models.dir.resolve("pins")), pinned::toString);
    assertArrayEquals(Files.readAllBytes(model.resolve("model.safetensors")),
        Files.readAllBytes(pinned.resolve("model.safetensors")));
  }

  @Test
  void checkWeightsFile_unsignedDirectory_refusedUnsigned() throws Exception {
    Path unsigned = Files.createDirectories(models.dir.resolve("models/unsigned"));
    SignedModels.write(unsigned.resolve("model.safetensors"), "other weights");
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkWeightsFile(SINGLE, unsigned,
        "model.safetensors"));

    assertEquals(RejectReason.UNSIGNED, e.reason());
    assertEquals(0, pinnedFiles());
  }

  @Test
  void checkWeightsFile_nameOutsideThePinnedDirectory_refusedUnsupportedSource() throws Exception {
    Gate gate = models.gate("");
    Path pinned = gate.checkFile(HOOK, model.toFile()).toPath();

    ModelVerificationException e = SignedModels.refused(() -> gate.checkWeightsFile(SINGLE, pinned,
        "../../elsewhere/model.safetensors"));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + pinned + ": Jlama weights file name"
        + " \"../../elsewhere/model.safetensors\" is not a file directly in the verified directory", e.getMessage());
  }

  @Test
  void fileNameRefusal_plainNames_allowedOthersRefused() {
    assertNull(JlamaModels.fileNameRefusal("model.safetensors"));
    for (Object name : new Object[] {null, "", ".", "..", "a/b", "a\\b", "/abs"}) {
      assertFalse(JlamaModels.fileNameRefusal(name) == null, String.valueOf(name));
    }
  }

  @Test
  void checkWeights_otherTypeEnforce_refusedWithItsType() throws Exception {
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkWeights(INIT, "not weights"));

    assertEquals(RejectReason.UNSUPPORTED_SOURCE, e.reason());
    assertEquals("model rejected (UNSUPPORTED_SOURCE): <java.lang.String>: " + WEIGHTS_REFUSAL, e.getMessage());
  }

  @Test
  void checkWeights_otherTypeAudit_loggedAndAllowed() throws Exception {
    models.gate("mode = audit\n").checkWeights(INIT, "not weights");

    List<String> log = models.decisionLines();
    assertEquals(1, log.size(), log::toString);
    assertTrue(log.get(0).contains("\"decision\":\"audit-deny\""), log::toString);
  }

  @Test
  void weightsRefusal_nullWeights_nothingToRefuse() {
    assertNull(JlamaModels.weightsRefusal(null));
  }

  @Test
  void substitute_auditPassThrough_returnsTheSameArgument() {
    File arg = model.toFile();

    assertSame(arg, JlamaModels.substitute(arg, model, model));
  }

  private long pinnedFiles() throws Exception {
    Path pins = models.dir.resolve("pins");
    if (!Files.exists(pins)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(pins)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !p.getFileName().toString().endsWith(".sig")).count();
    }
  }
}
