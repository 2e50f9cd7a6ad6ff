package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18's memory mode for path loads, through the packaged agent: a large ONNX model (17 MiB) on writable storage,
 * loaded by path ({@code createSession(path)}, or a DJL directory through {@code Criteria}), is not copied: ONNX
 * Runtime gets the bytes the agent read once and verified, which the probe shows (its buffer constructor receives a
 * {@code ByteBuffer} with the signed model's digest). A model that fails its signature (a flipped bit, a wrong key,
 * another model's signature) or that is swapped between its directory's check and its session is refused before
 * ONNX Runtime receives anything; a swap after the read does not reach it.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class OrtMemoryLoadIT {
  private static final int PAD = 17 << 20;
  private static final byte[] MODEL = TinyModels.onnxWithPadding(PAD);

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Fixtures.Signer trusted;
  private Path root;
  private Path log;

  /** The model for {@code mode}: {@code ort-path} a file, {@code criteria} a DJL directory; signed by the trusted key. */
  private Path model(String mode) {
    trusted = new Fixtures.Signer(tmp, "trusted");
    root = tmp.resolve("models");
    log = tmp.resolve("decisions.jsonl");
    Path model = mode.equals("criteria")
        ? TinyModels.djlModelDir(root.resolve("big"), "model.onnx", MODEL, Map.of("engine", "OnnxRuntime"))
        : Fixtures.write(root.resolve("big.onnx"), MODEL);
    trusted.signTree(root);
    return model;
  }

  private static Path file(String mode, Path model) {
    return mode.equals("criteria") ? model.resolve("model.onnx") : model;
  }

  private ForkedJvm load(String mode, Path model, String... jvmArgs) {
    return Fixtures.loadModel(jdk, mode, model).jvmArgs(jvmArgs)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log));
  }

  private static List<String> received(ForkedJvm.Result r) {
    return Fixtures.linesStarting(r.stderr(), "PROBE runtime-received");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ort-path", "criteria"})
  void load_largeSignedModel_onnxRuntimeGetsTheVerifiedBytesFromMemory(String mode) throws Exception {
    Path model = model(mode);

    ForkedJvm.Result r = load(mode, model).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of("PROBE runtime-received ai.onnxruntime.OrtSession.<init> ByteBuffer[" + MODEL.length + "] "
        + Fixtures.sha256(MODEL)), received(r), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    Map<String, Object> session = decisions.get(decisions.size() - 1);
    assertEquals("allow", session.get("decision"), session::toString);
    assertEquals("memory", session.get("pin"), session::toString);
    assertEquals(Fixtures.sha256(MODEL), session.get("digest"), session::toString);
    assertEquals("verified " + file(mode, model).toRealPath() + "; loading it from memory (" + MODEL.length
        + " bytes read once, nothing written)", session.get("detail"), session::toString);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"ort-path, flipped", "criteria, flipped", "ort-path, wrong-key", "criteria, wrong-key",
      "ort-path, other-models-signature", "criteria, other-models-signature"})
  void load_largeModelFailingItsSignature_refusedBeforeOnnxRuntimeReceivesIt(String mode, String how)
      throws Exception {
    Path model = model(mode);
    Path file = file(mode, model);
    if (how.equals("wrong-key")) {
      new Fixtures.Signer(tmp, "other").sig(file);
    } else if (how.equals("flipped")) {
      byte[] tampered = MODEL.clone();
      tampered[tampered.length - 1] ^= 1; // a padding byte: the model still loads without the agent
      Fixtures.write(file, tampered);
    } else if (how.equals("other-models-signature")) {
      Path other = Fixtures.write(tmp.resolve("other.onnx"), TinyModels.onnxWithPadding(PAD + 1));
      Fixtures.write(Fixtures.sidecar(file, ".sig"), trusted.signature(other).base64());
    }

    ForkedJvm.Result r = load(mode, model).run();

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(), received(r), r::toString);
    String detail = file.getFileName() + ": signature does not verify with key " + trusted.keyId()
        + " (tried [ECDSA_P256_SHA256])";
    String location = mode.equals("criteria") ? file.toRealPath().toString() : model.toAbsolutePath().toString();
    assertEquals(List.of(Fixtures.REJECTED + "SIGNATURE_INVALID): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    Map<String, Object> d = decisions.get(decisions.size() - 1);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals("SIGNATURE_INVALID", d.get("reason"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }

  @org.junit.jupiter.api.Test
  void load_largeModelOverTheJvmsDirectMemory_refusedTooLargeBeforeOnnxRuntimeReceivesIt() throws Exception {
    Path model = model("ort-path");

    ForkedJvm.Result r = load("ort-path", model, "-XX:MaxDirectMemorySize=16m").run();

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(), received(r), r::toString);
    List<String> rejected = Fixtures.linesStarting(r.stderr(), "rejected: ");
    String before = Fixtures.REJECTED + "TOO_LARGE): " + model.toAbsolutePath() + ": big.onnx: " + MODEL.length
        + " bytes do not fit in this JVM's direct memory (";
    assertEquals(1, rejected.size(), r::toString);
    org.junit.jupiter.api.Assertions.assertTrue(rejected.get(0).startsWith(before)
        && rejected.get(0).endsWith("); lower max-in-memory, or set pin=copy"), r::toString);
  }

  @org.junit.jupiter.api.Test
  void load_largeModelSwappedAfterItsDirectorysCheck_refusedBeforeOnnxRuntimeReceivesIt() throws Exception {
    Path model = model("criteria");
    Path replacement = Fixtures.write(tmp.resolve("plus-two.onnx"), Fixtures.onnxPlusTwo());

    ForkedJvm.Result r = load("criteria", model, "-Dprobe.swap.at=ai.djl.onnxruntime.engine.OrtModel.load",
        "-Dprobe.swap.target=" + file("criteria", model), "-Dprobe.swap.from=" + replacement).run();

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + file("criteria", model)), Fixtures.linesStarting(r.stderr(),
        "PROBE swapped"), r::toString);
    assertEquals(List.of(), received(r), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals("SIGNATURE_INVALID", decisions.get(decisions.size() - 1).get("reason"), decisions::toString);
  }

  @org.junit.jupiter.api.Test
  void load_largeModelSwappedAfterTheAgentReadIt_onnxRuntimeGetsTheVerifiedBytes() throws Exception {
    Path model = model("ort-path");
    Path replacement = Fixtures.write(tmp.resolve("plus-two.onnx"), Fixtures.onnxPlusTwo());

    ForkedJvm.Result r = load("ort-path", model, "-Dprobe.swap.at=ai.onnxruntime.OrtSession.<init>",
        "-Dprobe.swap.target=" + model, "-Dprobe.swap.from=" + replacement).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + model), Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of("PROBE runtime-received ai.onnxruntime.OrtSession.<init> ByteBuffer[" + MODEL.length + "] "
        + Fixtures.sha256(MODEL)), received(r), r::toString);
  }
}
