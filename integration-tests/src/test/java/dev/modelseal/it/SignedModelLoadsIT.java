package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 1: a signed model loads and predicts through every runtime entry point, the decision log says allow
 * with the model's digest, and the probe agent sees the runtime receive the pinned private copy (a path under
 * the agent's pin folder) or the verified bytes, never the original file.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class SignedModelLoadsIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @FieldSource("dev.modelseal.it.ModelCase#MODES")
  void load_signedModel_predictsAndLogsAllow(String mode) throws Exception {
    ModelCase c = ModelCase.of(mode);
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = c.create(root);
    trusted.signTree(root);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log, mode)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    // A stream load is checked twice: DJL's OrtModel.load(InputStream), then the byte[] it hands to ORT.
    assertEquals(c == ModelCase.MODEL_LOAD_STREAM ? 2 : 1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals(c.location(model), d.get("model"), d::toString);
    for (Map<String, Object> each : decisions) {
      assertEquals("allow", each.get("decision"), each::toString);
      assertEquals(Fixtures.sha256(c.modelBytes()), each.get("digest"), each::toString);
      assertEquals(trusted.keyId(), each.get("keyId"), each::toString);
      assertEquals(null, each.get("reason"), each::toString);
    }
    List<String> received = Fixtures.linesStarting(r.stderr(), "PROBE runtime-received ");
    assertEquals(1, received.size(), r::toString);
    assertTrue(runtimeReceivedPattern(c).matcher(received.get(0)).matches(), () -> received.get(0) + "\n" + r);
  }

  /** What the runtime's own loading step must receive: the pinned copy or the verified bytes. */
  static Pattern runtimeReceivedPattern(ModelCase c) {
    String pins = Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/";
    String digest = Pattern.quote(Fixtures.sha256(c.modelBytes()));
    String ort = Pattern.quote("PROBE runtime-received ai.onnxruntime.OrtSession.<init> ");
    return Pattern.compile(switch (c) {
      case CRITERIA -> ort + pins + "onnx-dir/model\\.onnx";
      case MODEL_LOAD_PATH, ORT_PATH -> ort + pins + "add\\.onnx";
      case MODEL_LOAD_STREAM, ORT_BYTES -> ort + "byte\\[133\\] " + digest;
      case ORT_BUFFER -> ort + "ByteBuffer\\[133\\] " + digest;
      case PYTORCH_CRITERIA -> Pattern.quote("PROBE runtime-received ai.djl.pytorch.jni.JniUtils.loadModule ")
          + pins + "pt-dir/model\\.pt";
    });
  }
}
