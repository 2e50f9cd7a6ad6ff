package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DJL repositories other than a model directory used in place, each with an empty DJL cache of its own: a signed
 * archive ({@code .zip}, {@code .tar.gz}, by path or {@code file:} URL) is verified and pinned before anything
 * extracts it, and DJL loads the directory the agent extracted from the pinned copy (its cache is never created,
 * and a poisoned cache folder is never read); a tampered archive is refused before extraction; a
 * {@code LocalRepository} (whose {@code metadata.json} and {@code serving.properties} DJL applies before any
 * check) is refused as a source the agent cannot verify.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class DjlRepositoriesIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"criteria, model.zip", "criteria-url, model.zip", "criteria, model.tar.gz"})
  void load_signedArchive_predictsWithoutTouchingTheDjlCache(String mode, String name) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path archive = archive(name, TinyModels.onnx());
    trusted.sig(archive);

    ForkedJvm.Result r = run(mode, archive, trusted);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log());
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    assertEquals("allow", decisions.get(0).get("decision"), decisions::toString);
    assertEquals(archive.toString(), decisions.get(0).get("model"), decisions::toString);
    assertFalse(Files.exists(cache().resolve("cache")), r::toString);
  }

  @Test
  void criteria_tamperedArchive_refusedBeforeExtraction() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path archive = archive("model.zip", TinyModels.onnx());
    trusted.sig(archive);
    archive(archive.getFileName().toString(), Fixtures.onnxPlusTwo());

    ForkedJvm.Result r = run("criteria", archive, trusted);

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + "SIGNATURE_INVALID): " + archive + ": model.zip: signature"
        + " does not verify with key " + trusted.keyId() + " (tried " + Expectations.ALGORITHMS + ")"),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertFalse(Files.exists(cache().resolve("cache")), r::toString);
  }

  @Test
  void criteria_poisonedCacheFolderOfSignedArchive_loadsTheSignedModel() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path archive = archive("model.zip", TinyModels.onnx());
    trusted.sig(archive);
    // Where DJL extracts this archive, and what it loads without extracting if the folder exists.
    Path poisoned = cache().resolve("cache/repo/model/undefined/ai/djl/localmodelzoo")
        .resolve(ai.djl.util.Utils.hash(archive.toUri().toString())).resolve("model/model.onnx");
    Fixtures.write(poisoned, Fixtures.onnxPlusTwo());
    ForkedJvm.Result without = Fixtures.loadModel(jdk, "criteria", archive).env("DJL_CACHE_DIR", cache().toString())
        .run();
    assertEquals(Fixtures.PREDICTION_PLUS_TWO + Fixtures.NL, without.stdout(), without::toString);

    ForkedJvm.Result r = run("criteria", archive, trusted);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
  }

  @Test
  void criteria_localRepositoryWithUnsignedServingProperties_refusedBeforeDjlAppliesIt() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models/repo");
    Path artifact = root.resolve("model/undefined/ai/djl/localmodelzoo/tiny");
    TinyModels.writeOnnx(artifact.resolve("0.0.1/model.onnx"));
    Fixtures.write(artifact.resolve("metadata.json"), "{\"metadataVersion\": \"0.2\", \"resourceType\": \"model\","
        + " \"application\": \"undefined\", \"groupId\": \"ai.djl.localmodelzoo\", \"artifactId\": \"tiny\","
        + " \"name\": \"tiny\", \"artifacts\": [{\"version\": \"0.0.1\", \"snapshot\": false, \"name\": \"tiny\","
        + " \"files\": {\"model\": {\"uri\": \"0.0.1/model.onnx\", \"name\": \"model.onnx\"}, \"serving\": {\"uri\":"
        + " \"0.0.1/serving.properties\", \"name\": \"serving.properties\"}}}]}");
    trusted.signTree(root);
    Path profile = tmp.resolve("profile");
    Fixtures.write(artifact.resolve("0.0.1/serving.properties"), "option.profilerOutput=" + profile + "\n");
    // Without the agent DJL applies the option: ONNX Runtime writes its profile.
    ForkedJvm.Result without = Fixtures.loadModel(jdk, "criteria", root)
        .env("DJL_CACHE_DIR", tmp.resolve("other-cache").toString()).run();
    assertEquals(PREDICTION + Fixtures.NL, without.stdout(), without::toString);
    assertEquals(1, profiles(), without::toString);

    ForkedJvm.Result r = run("criteria", root, trusted);

    assertEquals(3, r.exitCode(), r::toString);
    String hook = "ai.djl.repository.LocalRepository.<init>";
    assertEquals(List.of(Fixtures.REJECTED + "UNSUPPORTED_SOURCE): " + hook + ": a DJL LocalRepository (a folder"
        + " with a nested metadata.json, whose options DJL applies), which ModelSeal cannot verify: load a signed"
        + " model directory, or a signed .zip/.tar.gz archive, by its local path"),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals(1, profiles(), r::toString);
    assertFalse(Files.exists(cache().resolve("cache")), r::toString);
  }

  @Test
  void criteriaUrl_jarResourceArchive_refusedBeforeExtraction() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path archive = archive("model.zip", TinyModels.onnx());
    trusted.sig(archive);

    ForkedJvm.Result r = Fixtures.loadModel(jdk, "criteria-url", Path.of("jar:/model.zip"))
        .classpath(Fixtures.childClasspath(archive.getParent().toString()))
        .env("DJL_CACHE_DIR", cache().toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log())).run();

    assertEquals(3, r.exitCode(), r::toString);
    String hook = "ai.djl.repository.AbstractRepository.prepare";
    assertEquals(List.of(Fixtures.REJECTED + "UNSUPPORTED_SOURCE): " + hook + ": DJL would fetch or extract the"
        + " model into its cache (a jar:, djl://, http(s) or LocalRepository source), which ModelSeal cannot verify:"
        + " load a signed model directory, or a signed .zip/.tar.gz archive, by its local path"),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertFalse(Files.exists(cache().resolve("cache/repo/model")), r::toString);
  }

  /** How many ONNX Runtime profiles ({@code profile*.json}) are in the test's folder. */
  private long profiles() throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("profile")).count();
    }
  }

  // ------------------------------------------------------------------ helpers

  private Path cache() {
    return tmp.resolve("djl-cache");
  }

  private Path log() {
    return tmp.resolve("decisions.jsonl");
  }

  private ForkedJvm.Result run(String mode, Path model, Fixtures.Signer trusted) throws Exception {
    return Fixtures.loadModel(jdk, mode, model).env("DJL_CACHE_DIR", cache().toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log())).run();
  }

  /** {@code models/<name>}: a .zip or .tar.gz holding {@code model.onnx} with the given bytes. */
  private Path archive(String name, byte[] onnx) throws IOException {
    return Archives.write(tmp.resolve("models").resolve(name), onnx);
  }
}
