package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.ModelHashing;
import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenSSF Model Signing: a DJL model directory signed as a whole with {@code model.sig} (as {@code modelseal
 * sign-model} writes it) loads and predicts from the pinned copy through DJL and through a direct ORT
 * {@code createSession(path)} on a file inside it; any file added, removed, renamed or modified after signing is
 * refused as {@code MANIFEST_MISMATCH} naming the file, and a signature by an untrusted key as
 * {@code UNTRUSTED_KEY}, before the runtime receives anything (probe agent). A single ONNX file with an OMS bundle
 * as {@code X.sigstore.json} loads through ORT.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class ModelSigningIT {
  private static final String MISMATCH = "model does not match its signature: ";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  /** A change made to the signed directory after signing, and how the agent names it. */
  enum Change {
    ADD_FILE("extra files: extra.txt"),
    ADD_JAR("extra files: libs/extra.jar"),
    REMOVE_MODEL("missing files: model.onnx"),
    REMOVE_SERVING("missing files: serving.properties"),
    REMOVE_JAR("missing files: libs/x.jar"),
    RENAME_MODEL("missing files: model.onnx; extra files: model2.onnx"),
    RENAME_SERVING("missing files: serving.properties; extra files: serving2.properties"),
    RENAME_JAR("missing files: libs/x.jar; extra files: libs/y.jar"),
    MODIFY_MODEL("modified files: model.onnx"),
    MODIFY_SERVING("modified files: serving.properties"),
    MODIFY_JAR("modified files: libs/x.jar");

    final String detail;

    Change(String detail) {
      this.detail = detail;
    }

    void apply(Path dir) throws IOException {
      switch (this) {
        case ADD_FILE -> Fixtures.write(dir.resolve("extra.txt"), "not signed\n");
        case ADD_JAR -> Fixtures.write(dir.resolve("libs/extra.jar"), OmsFixtures.jar("extra"));
        case REMOVE_MODEL -> Files.delete(dir.resolve(OmsFixtures.MODEL));
        case REMOVE_SERVING -> Files.delete(dir.resolve(OmsFixtures.SERVING));
        case REMOVE_JAR -> Files.delete(dir.resolve(OmsFixtures.JAR));
        case RENAME_MODEL -> Files.move(dir.resolve(OmsFixtures.MODEL), dir.resolve("model2.onnx"));
        case RENAME_SERVING -> Files.move(dir.resolve(OmsFixtures.SERVING), dir.resolve("serving2.properties"));
        case RENAME_JAR -> Files.move(dir.resolve(OmsFixtures.JAR), dir.resolve("libs/y.jar"));
        // Still a valid model (y = x + [4, 1, 1, 1]): only the signature can tell.
        case MODIFY_MODEL -> Fixtures.write(dir.resolve(OmsFixtures.MODEL), Refusal.tamperedOnnx());
        case MODIFY_SERVING -> Fixtures.write(dir.resolve(OmsFixtures.SERVING),
            OmsFixtures.SERVING_TEXT + "option.intraOpNumThreads=1\n");
        // Still a valid jar with the same class, plus one entry.
        case MODIFY_JAR -> Fixtures.write(dir.resolve(OmsFixtures.JAR), OmsFixtures.jar("modified"));
        default -> throw new AssertionError(this);
      }
    }
  }

  // ------------------------------------------------------------------ loads

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"criteria", "model-load-path", "ort-path"})
  void load_omsSignedDjlDirectory_predictsFromPinnedCopyAndLogsAllow(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path dir = OmsFixtures.djlDirectory(root.resolve("djl-model"));
    OmsFixtures.signDirectory(trusted, dir);
    Path model = loadedPath(mode, dir);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals("allow", d.get("decision"), d::toString);
    assertEquals(model.toAbsolutePath().toString(), d.get("model"), d::toString);
    assertEquals(OmsFixtures.rootDigest(dir, OmsFixtures.directoryHashing()), d.get("digest"), d::toString);
    assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
    assertEquals(null, d.get("reason"), d::toString);
    // The runtime reads model.onnx from the pinned copy of the whole directory, never the original.
    List<String> received = Fixtures.linesStarting(r.stderr(), "PROBE runtime-received ");
    assertEquals(1, received.size(), r::toString);
    Pattern pinned = Pattern.compile(Pattern.quote("PROBE runtime-received ai.onnxruntime.OrtSession.<init> ")
        + Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/djl-model/model\\.onnx");
    assertTrue(pinned.matcher(received.get(0)).matches(), () -> received.get(0) + "\n" + r);
  }

  // ------------------------------------------------------------------ changed after signing

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "ADD_FILE, criteria", "ADD_JAR, criteria", "REMOVE_MODEL, criteria", "REMOVE_SERVING, criteria",
      "REMOVE_JAR, criteria", "RENAME_MODEL, criteria", "RENAME_SERVING, criteria", "RENAME_JAR, criteria",
      "MODIFY_MODEL, criteria", "MODIFY_SERVING, criteria", "MODIFY_JAR, criteria",
      "ADD_FILE, model-load-path", "RENAME_SERVING, model-load-path", "MODIFY_MODEL, model-load-path",
      "MODIFY_JAR, model-load-path",
      "ADD_JAR, ort-path", "REMOVE_SERVING, ort-path", "RENAME_JAR, ort-path", "MODIFY_MODEL, ort-path",
      "MODIFY_SERVING, ort-path"})
  void load_omsDirectoryChangedAfterSigning_refusedNamingTheFileBeforeRuntimeReadsIt(Change change, String mode)
      throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path dir = OmsFixtures.djlDirectory(root.resolve("djl-model"));
    OmsFixtures.signDirectory(trusted, dir);
    change.apply(dir);
    Path model = loadedPath(mode, dir);

    assertRefused(mode, model, root, trusted, "MANIFEST_MISMATCH",
        OmsFixtures.SIGNATURE + ": " + MISMATCH + change.detail);
  }

  // ------------------------------------------------------------------ untrusted key

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"criteria", "model-load-path", "ort-path"})
  void load_omsDirectorySignedByUntrustedKey_refusedUntrustedKey(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path root = tmp.resolve("models");
    Path dir = OmsFixtures.djlDirectory(root.resolve("djl-model"));
    OmsFixtures.signDirectory(other, dir);
    Path model = loadedPath(mode, dir);

    assertRefused(mode, model, root, trusted, "UNTRUSTED_KEY", OmsFixtures.SIGNATURE
        + ": key mismatch: the signature names key hint " + OmsFixtures.hint(other)
        + ", but the given key's hint is " + OmsFixtures.hint(trusted));
  }

  // ------------------------------------------------------------------ single file, X.sigstore.json

  @Test
  void ortPath_singleFileWithOmsBundle_predictsFromPinnedCopyAndLogsAllow() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path file = TinyModels.writeOnnx(root.resolve("add.onnx"));
    OmsFixtures.signFile(trusted, file);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, "ort-path", file)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals("allow", d.get("decision"), d::toString);
    assertEquals(file.toAbsolutePath().toString(), d.get("model"), d::toString);
    assertEquals(OmsFixtures.rootDigest(file, ModelHashing.files().build()), d.get("digest"), d::toString);
    assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
    List<String> received = Fixtures.linesStarting(r.stderr(), "PROBE runtime-received ");
    assertEquals(1, received.size(), r::toString);
    assertTrue(SignedModelLoadsIT.runtimeReceivedPattern(ModelCase.ORT_PATH).matcher(received.get(0)).matches(),
        () -> received.get(0) + "\n" + r);
  }

  @Test
  void ortPath_singleFileModifiedAfterOmsSigning_refusedNamingTheBundle() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path file = TinyModels.writeOnnx(root.resolve("add.onnx"));
    OmsFixtures.signFile(trusted, file);
    Fixtures.write(file, Refusal.tamperedOnnx());

    // A single-file manifest has one resource, named "." by the OMS serialization.
    assertRefused("ort-path", file, root, trusted, "MANIFEST_MISMATCH",
        "add.onnx.sigstore.json: " + MISMATCH + "modified files: .");
  }

  @Test
  void ortPath_singleFileOmsBundleByUntrustedKey_refusedNamingTheBundle() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path root = tmp.resolve("models");
    Path file = TinyModels.writeOnnx(root.resolve("add.onnx"));
    OmsFixtures.signFile(other, file);

    // The signature that failed is add.onnx.sigstore.json; there is no model.sig anywhere.
    assertRefused("ort-path", file, root, trusted, "UNTRUSTED_KEY", "add.onnx.sigstore.json"
        + ": key mismatch: the signature names key hint " + OmsFixtures.hint(other)
        + ", but the given key's hint is " + OmsFixtures.hint(trusted));
  }

  // ------------------------------------------------------------------ helpers

  /** What LoadModel is given: the directory for DJL, the model file inside it for a direct ORT session. */
  private static Path loadedPath(String mode, Path dir) {
    return mode.equals("ort-path") ? dir.resolve(OmsFixtures.MODEL) : dir;
  }

  private void assertRefused(String mode, Path model, Path root, Fixtures.Signer trusted, String reason,
      String detail) throws Exception {
    LoadAssertions.assertRefused(jdk, tmp, mode, model, root, trusted, reason, detail);
  }
}
