package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's {@code FILE} check for Jlama ({@link Gate#checkFile}, {@link JlamaModels}), in process: the model
 * directory is verified as a whole and handed on pinned, and any weight loader but Jlama's default is refused. That
 * Jlama's real default is allowed (a lambda nested in {@code ModelSupport}) is shown by {@code JlamaIT}.
 */
class JlamaGateTest {
  private static final String HOOK = "com.github.tjake.jlama.model.ModelSupport.loadModel";
  private static final String CUSTOM_LOADER = "a custom Jlama weight loader (defined by "
      + JlamaGateTest.class.getName() + "), which may read the weights from elsewhere than the verified model"
      + " directory: only Jlama's default loader is allowed (call ModelSupport.loadModel, loadEmbeddingModel or"
      + " loadClassifierModel without a weight loader)";
  private static final Function<File, Object> CUSTOM = f -> f;

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

  /** The directory part of {@link Gate#checkFile}, as it runs once the weight loader is allowed. */
  private static File checkDirectory(Gate gate, File file) {
    Path directory = JlamaModels.directoryOf(file);
    return JlamaModels.substitute(file, directory, gate.checkPath(HOOK, directory));
  }

  @Test
  void refusal_customLambda_namesTheClassThatDefinedIt() {
    assertEquals(CUSTOM_LOADER, JlamaModels.refusal(CUSTOM));
  }

  @Test
  void refusal_nullLoader_refused() {
    assertEquals("no Jlama weight loader", JlamaModels.refusal(null));
  }

  @Test
  void directoryOf_fileOrDirectory_theDirectoryJlamaLoads() {
    assertEquals(model, JlamaModels.directoryOf(model.resolve("config.json").toFile()));
    assertEquals(model, JlamaModels.directoryOf(model.toFile()));
  }

  @Test
  void inScope_jlamaClasses_true() {
    assertTrue(HookTransformer.inScope("com/github/tjake/jlama/model/ModelSupport"));
    assertTrue(HookTransformer.inScopeBinaryName("com.github.tjake.jlama.model.ModelSupport"));
    assertFalse(HookTransformer.inScope("com/github/tjake/jlamax/ModelSupport"));
  }

  @Test
  void checkFile_customLoaderEnforce_refusedBeforeAnythingIsPinned() throws Exception {
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(HOOK, model.toFile(), CUSTOM));

    assertEquals(RejectReason.UNSUPPORTED_SOURCE, e.reason());
    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + model + ": " + CUSTOM_LOADER, e.getMessage());
    assertEquals(0, pinnedFiles());
  }

  @Test
  void checkFile_customLoaderAudit_loggedAndDirectoryStillPinned() throws Exception {
    File checked = models.gate("mode = audit\n").checkFile(HOOK, model.toFile(), CUSTOM);

    assertTrue(checked.toPath().startsWith(models.dir.resolve("pins")));
    String log = String.join("\n", models.decisionLines());
    assertTrue(log.contains("\"decision\":\"audit-deny\""), log);
    assertTrue(log.contains("\"decision\":\"allow\""), log);
  }

  @Test
  void checkFile_fileInSignedDirectory_sameNamedFileInPinnedCopy() throws Exception {
    File config = model.resolve("config.json").toFile();

    File pinned = checkDirectory(models.gate(""), config);

    assertEquals("config.json", pinned.getName());
    assertArrayEquals(Files.readAllBytes(config.toPath()), Files.readAllBytes(pinned.toPath()));
    assertTrue(Files.exists(pinned.toPath().resolveSibling("model.safetensors")));
  }

  @Test
  void checkFile_unsignedFileInDirectory_refusedUnsigned() throws Exception {
    SignedModels.write(model.resolve("tokenizer_config.json"), "{}");
    Gate gate = models.gate("");

    ModelVerificationException e = SignedModels.refused(() -> checkDirectory(gate, model.toFile()));

    assertEquals(RejectReason.UNSIGNED, e.reason());
  }

  @Test
  void checkFile_nullModelAudit_refused() throws Exception {
    Gate gate = models.gate("mode = audit\n");

    ModelVerificationException e = SignedModels.refused(() -> gate.checkFile(HOOK, null, CUSTOM));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): <null>: no model path", e.getMessage());
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
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }
}
