package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the probe's advice and ModelSeal's advice on the same method order, observed on
 * OrtEnvironment.createSession(String, ...), which both advise. The probe prints the argument it sees: the pinned
 * copy means ModelSeal's advice ran first (it is outermost), the original path means the probe's ran first.
 *
 * <p>The JVM runs non-retransformable transformers before retransformable ones, each group in registration
 * (command-line) order, and Byte Buddy advice added by a later transformation wraps the earlier one. ModelSeal
 * registers a retransformable transformer, so a plain (non-retransformable) probe is always innermost, whatever the
 * command-line order; a retransformable probe is innermost only when it comes first.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class ProbeOrderingIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "probe first={0} retransformable={1} -> ModelSeal outermost={2}")
  @CsvSource({"true, false, true", "false, false, true", "true, true, true", "false, true, false"})
  void createSession_twoAgents_adviceOrderFollowsTransformerKindAndOrder(boolean probeFirst,
      boolean retransformable, boolean modelSealOutermost) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = ModelCase.ORT_PATH.create(root);
    trusted.signTree(root);
    String modelSeal = Fixtures.agent(trusted.publicKeyFile, root, "enforce", tmp.resolve("log.jsonl"));
    String probe = ProbeJar.agentArg();

    ForkedJvm.Result r = Fixtures.loadModel(jdk, "ort-path", model)
        .jvmArgs("-Dprobe.retransform=" + retransformable)
        .jvmArgs(probeFirst ? probe : modelSeal, probeFirst ? modelSeal : probe).run();

    assertEquals(0, r.exitCode(), r::toString);
    List<String> entered = Fixtures.linesStarting(r.stderr(),
        "PROBE entered ai.onnxruntime.OrtEnvironment.createSession ");
    assertEquals(1, entered.size(), r::toString);
    String seen = entered.get(0).substring(entered.get(0).lastIndexOf(' ') + 1);
    if (modelSealOutermost) {
      assertTrue(Pattern.matches(Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/add\\.onnx",
          seen), r::toString);
    } else {
      assertEquals(model.toString(), seen, r::toString);
    }
    // Either way the runtime's own step gets the pinned copy.
    assertTrue(SignedModelLoadsIT.runtimeReceivedPattern(ModelCase.ORT_PATH)
        .matcher(Fixtures.linesStarting(r.stderr(), "PROBE runtime-received").get(0)).matches(), r::toString);
  }
}
