package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gate's Jlama model directories, in process: the weights files a signed {@code model.safetensors.index.json}
 * names must be plain file names in the directory (refused before Jlama maps any), and a directory verified and
 * pinned by one Jlama hook is reused by the next Jlama check of the same directory on the same thread (LangChain4j's
 * {@code detectModel} then {@code loadModel}), which logs no second decision.
 */
class JlamaDirectoryTest {
  private static final String LOAD_MODEL = "com.github.tjake.jlama.model.ModelSupport.loadModel";
  private static final String DETECT = "com.github.tjake.jlama.safetensors.SafeTensorSupport.detectModel";
  private static final String WITH_WEIGHTS = "com.github.tjake.jlama.safetensors.SafeTensorIndex.loadWithWeights";
  private static final String INDEX = "model.safetensors.index.json";

  @TempDir Path tmp;
  private SignedModels models;
  private Path model;

  @BeforeEach
  void signedModel() throws Exception {
    models = new SignedModels(tmp);
    model = Files.createDirectories(models.dir.resolve("models/tiny"));
    for (String name : new String[] {"config.json", "tokenizer.json", "model-00001-of-00001.safetensors"}) {
      SignedModels.write(model.resolve(name), name + " content");
    }
  }

  /** Writes {@code model.safetensors.index.json} mapping a tensor to {@code shard} (JSON text); signs the directory. */
  private void indexNaming(String shard) throws Exception {
    SignedModels.write(model.resolve(INDEX), "{\"metadata\": {\"total_size\": 16}, \"weight_map\":"
        + " {\"model.embed_tokens.weight\": \"model-00001-of-00001.safetensors\", \"lm_head.weight\": " + shard + "}}");
    SignedModels.signDirectory(models.prod, model);
  }

  @Test
  void checkFile_indexNamingPlainFileNames_pinnedCopy() throws Exception {
    indexNaming("\"model-00001-of-00001.safetensors\"");

    File pinned = models.gate("").checkFile(LOAD_MODEL, model.toFile());

    assertTrue(pinned.toPath().startsWith(models.dir.resolve("pins")), pinned::toString);
    assertTrue(Files.isRegularFile(pinned.toPath().resolve(INDEX)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../other/model.safetensors", "sub/model.safetensors", "..", ".", "",
      "/etc/model.safetensors", "sub\\\\model.safetensors"})
  void checkFile_indexNamingAFileNotDirectlyInTheDirectory_refusedBeforeJlamaMapsIt(String name) throws Exception {
    indexNaming("\"" + name + "\"");
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(LOAD_MODEL, model.toFile()));

    String shown = name.replace("\\\\", "\\");
    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + model + ": model.safetensors.index.json: Jlama weights"
        + " file name \"" + shown + "\" is not a file directly in the verified directory", e.getMessage());
    assertEquals(0, pinnedFiles());
    assertEquals(1, models.decisionLines().size());
  }

  @Test
  void checkFile_indexNamingANonString_refused() throws Exception {
    indexNaming("null");
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(LOAD_MODEL, model.toFile()));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + model + ": model.safetensors.index.json: Jlama weights"
        + " file name null is not a file directly in the verified directory", e.getMessage());
  }

  @Test
  void checkFile_indexThatIsNotJson_refused() throws Exception {
    SignedModels.write(model.resolve(INDEX), "{\"weight_map\": {\"a\": \"x\", \"a\": \"../y\"}}");
    SignedModels.signDirectory(models.prod, model);
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(LOAD_MODEL, model.toFile()));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + model + ": model.safetensors.index.json: not strict"
        + " JSON: duplicate member \"a\" at offset 37", e.getMessage());
    assertEquals(0, pinnedFiles());
  }

  @Test
  void checkPath_loadWithWeightsOnACopyPinnedByAnotherRuntime_indexCheckedToo() throws Exception {
    indexNaming("\"../other/model.safetensors\"");
    Gate gate = models.gate("");
    Path pinned = gate.checkPath("test", model);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath(WITH_WEIGHTS, pinned));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + pinned + ": model.safetensors.index.json: Jlama weights"
        + " file name \"../other/model.safetensors\" is not a file directly in the verified directory",
        e.getMessage());
  }

  @Test
  void checkFile_detectModelThenLoadModelOfTheSameDirectory_verifiedOnceAndReused() throws Exception {
    SignedModels.signDirectory(models.prod, model);
    Gate gate = models.gate("");

    File detected = gate.checkFile(DETECT, model.resolve("config.json").toFile());
    File loaded = gate.checkFile(LOAD_MODEL, model.toFile());

    assertEquals(detected.getParentFile(), loaded);
    List<String> log = models.decisionLines();
    assertEquals(1, log.size(), log::toString);
    assertTrue(log.get(0).contains("\"runtime\":\"" + DETECT + "\""), log::toString);
  }

  @Test
  void checkFile_reuseIsConsumedByTheNextCheck_thirdLoadVerifiedAgain() throws Exception {
    SignedModels.signDirectory(models.prod, model);
    Gate gate = models.gate("");
    File first = gate.checkFile(DETECT, model.resolve("config.json").toFile());
    gate.checkFile(LOAD_MODEL, model.toFile());

    File again = gate.checkFile(LOAD_MODEL, model.toFile());

    assertNotEquals(first.getParentFile(), again);
    assertEquals(2, models.decisionLines().size());
  }

  @Test
  void checkFile_sameDirectoryOnAnotherThread_verifiedAgain() throws Exception {
    SignedModels.signDirectory(models.prod, model);
    Gate gate = models.gate("");
    File detected = gate.checkFile(DETECT, model.resolve("config.json").toFile());
    AtomicReference<File> other = new AtomicReference<>();

    Thread t = new Thread(() -> other.set(gate.checkFile(LOAD_MODEL, model.toFile())));
    t.start();
    t.join();

    assertNotEquals(detected.getParentFile(), other.get());
    assertEquals(2, models.decisionLines().size());
  }

  @Test
  void checkFile_anotherDirectoryAfterAVerifiedOne_verifiedItself() throws Exception {
    SignedModels.signDirectory(models.prod, model);
    Path unsigned = Files.createDirectories(models.dir.resolve("models/unsigned"));
    SignedModels.write(unsigned.resolve("config.json"), "{}");
    Gate gate = models.gate("");
    gate.checkFile(DETECT, model.resolve("config.json").toFile());

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(LOAD_MODEL, unsigned.toFile()));

    assertEquals("model rejected (UNSIGNED): " + unsigned + ": config.json: not signed (no config.json.sigstore.json"
        + " or config.json.sig)", e.getMessage());
  }

  private long pinnedFiles() throws Exception {
    Path pins = models.dir.resolve("pins");
    if (!Files.exists(pins)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(pins)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }
}
