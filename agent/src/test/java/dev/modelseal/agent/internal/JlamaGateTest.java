package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ProgressListener;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.function.Function;
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
  private Path dir;
  private KeyPair key;
  private Path model;

  @BeforeEach
  void signedModel() throws Exception {
    dir = tmp.toRealPath();
    key = CosignKeyWriter.generateKeyPair();
    Files.writeString(dir.resolve("key.pub"), CosignKeyWriter.publicKeyPem(key.getPublic()));
    model = Files.createDirectories(dir.resolve("models/tiny"));
    for (String name : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Path file = Files.writeString(model.resolve(name), name + " content");
      Files.writeString(model.resolve(name + ".sig"),
          BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64());
    }
  }

  private Gate gate(String mode) throws Exception {
    Path conf = Files.writeString(dir.resolve("agent.conf"), "key.k = " + dir.resolve("key.pub") + "\nmode = "
        + mode + "\npin-dir = " + dir.resolve("pins") + "\naudit-log = " + dir.resolve("decisions.jsonl") + "\n");
    return TestGates.fromConfig(conf);
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
  void directoryOf_fileInDirectory_isItsParent() {
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
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkFile(HOOK, model.toFile(), CUSTOM));

    assertEquals(RejectReason.UNSUPPORTED_SOURCE, e.reason());
    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + model + ": " + CUSTOM_LOADER, e.getMessage());
    assertEquals(0, pinnedFiles());
  }

  @Test
  void checkFile_customLoaderAudit_loggedAndDirectoryStillPinned() throws Exception {
    File checked = gate("audit").checkFile(HOOK, model.toFile(), CUSTOM);

    assertTrue(checked.toPath().startsWith(dir.resolve("pins")));
    String log = Files.readString(dir.resolve("decisions.jsonl"));
    assertTrue(log.contains("\"decision\":\"audit-deny\""), log);
    assertTrue(log.contains("\"decision\":\"allow\""), log);
  }

  @Test
  void checkFile_fileInSignedDirectory_sameNamedFileInPinnedCopy() throws Exception {
    Gate gate = gate("enforce");
    File config = model.resolve("config.json").toFile();

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkFile(HOOK, config, CUSTOM));
    assertEquals(RejectReason.UNSUPPORTED_SOURCE, e.reason());

    File pinned = new JlamaFileProbe(gate).checkWithDefaultShape(config);
    assertEquals("config.json", pinned.getName());
    assertArrayEquals(Files.readAllBytes(config.toPath()), Files.readAllBytes(pinned.toPath()));
    assertTrue(Files.exists(pinned.toPath().resolveSibling("model.safetensors")));
  }

  @Test
  void checkFile_unsignedFileInDirectory_refusedUnsigned() throws Exception {
    Files.writeString(model.resolve("tokenizer_config.json"), "{}");
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> new JlamaFileProbe(gate).checkWithDefaultShape(model.toFile()));

    assertEquals(RejectReason.UNSIGNED, e.reason());
  }

  @Test
  void checkFile_nullModel_refused() throws Exception {
    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate("audit").checkFile(HOOK, null, CUSTOM));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): <null>: no model path", e.getMessage());
  }

  @Test
  void substitute_auditPassThrough_returnsTheSameArgument() {
    File arg = model.toFile();
    assertSame(arg, JlamaModels.substitute(arg, model, model));
  }

  private long pinnedFiles() throws Exception {
    if (!Files.exists(dir.resolve("pins"))) {
      return 0;
    }
    try (var files = Files.walk(dir.resolve("pins"))) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  /** Runs the directory part of {@link Gate#checkFile} the way it runs after an allowed loader. */
  private static final class JlamaFileProbe {
    private final Gate gate;

    JlamaFileProbe(Gate gate) {
      this.gate = gate;
    }

    File checkWithDefaultShape(File file) {
      Path directory = JlamaModels.directoryOf(file);
      return JlamaModels.substitute(file, directory, gate.checkPath(HOOK, directory));
    }
  }
}
