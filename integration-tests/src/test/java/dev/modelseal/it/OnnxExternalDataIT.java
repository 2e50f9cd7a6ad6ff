package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX external data: a model whose bias {@code B} is stored in {@code weights.bin} (TensorProto
 * {@code data_location = EXTERNAL}). Every data file the model names is verified with it and pinned where ORT looks
 * for it: beside the pinned model for a path load, in a pin folder the session option
 * {@code session.model_external_initializers_file_folder_path} is pointed at for an in-memory load. A rewritten
 * {@code weights.bin} (bias 100: the model would predict {@code [101, ...]}), an absolute or escaping location and a
 * symbolic link are refused before ORT reads anything (probe agent).
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class OnnxExternalDataIT {
  private static final String PINS = Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+";
  private static final String ABSOLUTE = "an absolute location (only files in the model's folder may be named)";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void ortPath_signedModelAndWeights_predictsFromPinnedCopies() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = externalDataModel("weights.bin");
    trusted.signTree(model.getParent());
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run("ort-path", model, trusted, log);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    Map<String, Object> d = onlyDecision(log, r);
    assertEquals("allow", d.get("decision"), d::toString);
    assertTrue(Pattern.matches(Pattern.quote("verified " + model.toRealPath() + "; external data verified:"
        + " weights.bin; loading pinned copy ") + PINS + "/model\\.onnx", (String) d.get("detail")), d::toString);
  }

  @Test
  void ortPath_weightsRewrittenAfterSigning_refusedNamingTheDataFile() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = externalDataModel("weights.bin");
    trusted.signTree(model.getParent());
    Fixtures.write(model.resolveSibling("weights.bin"), TinyModels.externalBias(100f, 100f, 100f, 100f));

    LoadAssertions.assertRefused(jdk, tmp, "ort-path", model, tmp.resolve("models"), trusted, "SIGNATURE_INVALID",
        "external data weights.bin: weights.bin: signature does not verify with key " + trusted.keyId() + " (tried "
            + Expectations.ALGORITHMS + ")");
  }

  @Test
  void ortPath_unsignedWeights_refusedUnsigned() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = externalDataModel("weights.bin");
    trusted.sig(model);

    LoadAssertions.assertRefused(jdk, tmp, "ort-path", model, tmp.resolve("models"), trusted, "UNSIGNED",
        "external data weights.bin: weights.bin: not signed (no weights.bin.sigstore.json or weights.bin.sig)");
  }

  @Test
  void ortPath_absoluteLocationOfASignedFile_refused() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path elsewhere = Fixtures.write(tmp.resolve("models/other/weights.bin"), TinyModels.externalBias(1, 1, 1, 1));
    Path model = externalDataModel(elsewhere.toString());
    trusted.signTree(tmp.resolve("models"));

    LoadAssertions.assertRefused(jdk, tmp, "ort-path", model, tmp.resolve("models"), trusted, "PATH_REFUSED",
        "external data " + elsewhere + ": " + ABSOLUTE);
  }

  @Test
  void ortPath_locationClimbingOutOfTheModelFolder_refused() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.write(tmp.resolve("models/other/weights.bin"), TinyModels.externalBias(1, 1, 1, 1));
    Path model = externalDataModel("../other/weights.bin");
    trusted.signTree(tmp.resolve("models"));

    LoadAssertions.assertRefused(jdk, tmp, "ort-path", model, tmp.resolve("models"), trusted, "PATH_REFUSED",
        "external data ../other/weights.bin: a location outside the model's folder (only files in the model's"
            + " folder may be named)");
  }

  @Test
  void ortPath_weightsAreASymbolicLinkToASignedFile_refused() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path other = Fixtures.write(tmp.resolve("models/other/weights.bin"), TinyModels.externalBias(1, 1, 1, 1));
    Path model = externalDataModel("weights.bin");
    trusted.signTree(tmp.resolve("models"));
    Path link = model.resolveSibling("weights.bin");
    Files.delete(link);
    Files.createSymbolicLink(link, other);

    LoadAssertions.assertRefused(jdk, tmp, "ort-path", model, tmp.resolve("models"), trusted, "PATH_REFUSED",
        "external data weights.bin: symbolic links are not allowed (resolves to " + other.toRealPath() + ")");
  }

  @Test
  void criteria_signedDirectoryWithWeights_predictsFromThePinnedDirectory() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = externalDataModel("weights.bin").getParent();
    Fixtures.write(dir.resolve("serving.properties"), "engine=OnnxRuntime\n");
    trusted.signTree(dir);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run("criteria", dir, trusted, log);

    // The repository pins the whole directory, weights.bin included; ORT then gets that copy and reads it there.
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    Map<String, Object> d = onlyDecision(log, r);
    assertEquals("verified 3 files in " + dir.toRealPath() + "; loading pinned copy", ((String) d.get("detail"))
        .replaceAll(" /\\S+$", ""), d::toString);
  }

  @Test
  void criteria_signedDirectoryWithAbsoluteLocation_refusedWhenOrtGetsThePinnedCopy() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path elsewhere = Fixtures.write(tmp.resolve("models/other/weights.bin"), TinyModels.externalBias(1, 1, 1, 1));
    Path dir = externalDataModel(elsewhere.toString()).getParent();
    Fixtures.write(dir.resolve("serving.properties"), "engine=OnnxRuntime\n");
    trusted.signTree(tmp.resolve("models"));
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run("criteria", dir, trusted, log);

    // DJL's repository hands ORT the pinned, verified directory; ORT would follow the absolute location from it.
    String detail = "external data " + elsewhere + ": " + ABSOLUTE;
    assertEquals(3, r.exitCode(), r::toString);
    List<String> rejected = Fixtures.linesStarting(r.stderr(), "rejected: ");
    assertEquals(1, rejected.size(), r::toString);
    assertTrue(Pattern.matches(Pattern.quote(Fixtures.REJECTED + "PATH_REFUSED): ") + ".*" + PINS
        + "/ext/model\\.onnx" + Pattern.quote(": " + detail), rejected.get(0)), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(2, decisions.size(), () -> decisions + "\n" + r);
    assertEquals("allow", decisions.get(0).get("decision"), decisions::toString);
    Map<String, Object> d = decisions.get(1);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals("PATH_REFUSED", d.get("reason"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }

  @Test
  void ortBytesWithFolderOption_signedModelAndWeights_predictsFromPinnedCopies() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = externalDataModel("weights.bin");
    trusted.signTree(model.getParent());
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run("ort-bytes-folder", model, trusted, log);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    Map<String, Object> d = onlyDecision(log, r);
    assertEquals("allow", d.get("decision"), d::toString);
    assertTrue(Pattern.matches(Pattern.quote("matches signed " + model.toRealPath() + "; external data verified in "
        + model.getParent().toRealPath() + ": weights.bin; loading it from ") + PINS, (String) d.get("detail")),
        d::toString);
  }

  @Test
  void ortBytesWithFolderOption_weightsRewrittenAfterSigning_refusedBeforeOrtReadsThem() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = externalDataModel("weights.bin");
    trusted.signTree(model.getParent());
    Fixtures.write(model.resolveSibling("weights.bin"), TinyModels.externalBias(100f, 100f, 100f, 100f));
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run("ort-bytes-folder", model, trusted, log);

    String location = "<byte[] " + Fixtures.read(model).length + " bytes>";
    String detail = "external data weights.bin: weights.bin: signature does not verify with key " + trusted.keyId()
        + " (tried " + Expectations.ALGORITHMS + ")";
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + "SIGNATURE_INVALID): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    Map<String, Object> d = onlyDecision(log, r);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals(location, d.get("model"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }

  // ------------------------------------------------------------------ helpers

  /** {@code models/ext/model.onnx} naming {@code location} for its bias, and {@code models/ext/weights.bin} = 1s. */
  private Path externalDataModel(String location) {
    Path dir = tmp.resolve("models/ext");
    Fixtures.write(dir.resolve("weights.bin"), TinyModels.externalBias(1f, 1f, 1f, 1f));
    return Fixtures.write(dir.resolve("model.onnx"), TinyModels.onnxWithExternalBias(location));
  }

  private ForkedJvm.Result run(String mode, Path model, Fixtures.Signer trusted, Path log) throws Exception {
    return Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log,
            mode)).run();
  }

  private static Map<String, Object> onlyDecision(Path log, ForkedJvm.Result r) {
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    return decisions.get(0);
  }
}
