package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.OrtAdapters;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX Runtime LoRA adapters ({@code OrtLoraAdapter.create(String | byte[] | ByteBuffer)}) are verified like
 * models: a signed adapter reaches ORT as the pinned copy or a verified private copy and changes the signed
 * model's output as it should; an unsigned one is refused before ORT reads it (probe agent), with a decision-log
 * line. The model has its bias {@code B} as an overridable input; the adapter's parameter {@code B} = 100 turns
 * {@code x + 1} into {@code x + 100}.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class OrtLoraAdapterIT {
  private static final String ADAPTED = "prediction: [101.0, 102.0, 103.0, 104.0]";
  private static final String RECEIVED = "PROBE runtime-received ai.onnxruntime.OrtLoraAdapter.create ";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ort-lora-path", "ort-lora-bytes", "ort-lora-buffer"})
  void create_signedAdapter_appliesTheVerifiedAdapter(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path adapter = adapterBesideModel();
    trusted.signTree(adapter.getParent());
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run(mode, adapter, trusted, log);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(ADAPTED + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(2, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(1);
    assertEquals("ai.onnxruntime.OrtLoraAdapter.create", d.get("runtime"), d::toString);
    assertEquals("allow", d.get("decision"), d::toString);
    assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
    List<String> received = Fixtures.linesStarting(r.stderr(), RECEIVED);
    assertEquals(1, received.size(), r::toString);
    byte[] bytes = OrtAdapters.loraAdapter("B", new float[] {100f, 100f, 100f, 100f});
    String expected = switch (mode) {
      case "ort-lora-path" -> Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/"
          + "bias\\.onnx_adapter";
      case "ort-lora-bytes" -> Pattern.quote("byte[" + bytes.length + "] " + Fixtures.sha256(bytes));
      default -> Pattern.quote("ByteBuffer[" + bytes.length + "] " + Fixtures.sha256(bytes));
    };
    assertTrue(Pattern.matches(Pattern.quote(RECEIVED) + expected, received.get(0)), () -> received + "\n" + r);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ort-lora-path", "ort-lora-bytes", "ort-lora-buffer"})
  void create_unsignedAdapter_refusedBeforeOrtReadsIt(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path adapter = adapterBesideModel();
    trusted.sig(adapter.resolveSibling("model.onnx"));
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = run(mode, adapter, trusted, log);

    int n = Fixtures.read(adapter).length;
    String location = switch (mode) {
      case "ort-lora-path" -> adapter.toString();
      case "ort-lora-bytes" -> "<byte[] " + n + " bytes>";
      default -> "<ByteBuffer " + n + " bytes>";
    };
    String detail = mode.equals("ort-lora-path")
        ? "bias.onnx_adapter: not signed (no bias.onnx_adapter.sigstore.json or bias.onnx_adapter.sig)"
        : "no signed model of " + n + " bytes under [" + tmp.resolve("models") + "] matches " + location + Expectations.ALLOW_IN_MEMORY;
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + "UNSIGNED): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), RECEIVED), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(2, decisions.size(), () -> decisions + "\n" + r);
    assertEquals("allow", decisions.get(0).get("decision"), decisions::toString);
    Map<String, Object> d = decisions.get(1);
    assertEquals("ai.onnxruntime.OrtLoraAdapter.create", d.get("runtime"), d::toString);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals("UNSIGNED", d.get("reason"), d::toString);
    assertEquals(location, d.get("model"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }

  /** {@code models/lora/model.onnx} (bias overridable) and {@code models/lora/bias.onnx_adapter} (B = 100), unsigned. */
  private Path adapterBesideModel() {
    Path dir = tmp.resolve("models/lora");
    Fixtures.write(dir.resolve("model.onnx"), TinyModels.onnxWithOverridableBias());
    return Fixtures.write(dir.resolve("bias.onnx_adapter"),
        OrtAdapters.loraAdapter("B", new float[] {100f, 100f, 100f, 100f}));
  }

  private ForkedJvm.Result run(String mode, Path adapter, Fixtures.Signer trusted, Path log) throws Exception {
    return Fixtures.loadModel(jdk, mode, adapter)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log, mode))
        .run();
  }
}
