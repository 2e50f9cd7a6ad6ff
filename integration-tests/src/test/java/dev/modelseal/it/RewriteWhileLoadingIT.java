package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: a model changed while the agent verifies and pins it, over and over (written in place with the
 * attacker's bytes, truncated, written back; the attacker's file renamed over its name, the signed one renamed back),
 * in the modes a writable folder gets: {@code auto} (a 17 MiB ONNX model ONNX Runtime loads by path: memory, or a
 * copy when a truncate made it small) and {@code pin=copy}, by path and as a DJL directory. Whatever the timing, ONNX
 * Runtime only ever receives the signed model (the probe's digest of the buffer its session constructor gets, or the
 * path of a pinned copy, whose bytes the agent hashed), every load predicts the signed model's output or is refused,
 * and the attacker's output never appears.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class RewriteWhileLoadingIT {
  private static final int LOADS = 12;
  private static final int PAD = 17 << 20;
  private static final Set<String> REFUSALS = Set.of("SIGNATURE_INVALID", "PATH_REFUSED");

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} pin={1}")
  @CsvSource({"ort-path, auto", "criteria, auto", "ort-path, copy", "criteria, copy"})
  void load_modelRewrittenInPlaceDuringVerification_runtimeGetsOnlyTheSignedModel(String mode, String pin)
      throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    byte[] good = TinyModels.onnxWithPadding(PAD);
    byte[] evil = Fixtures.plusTwo(good);
    Path location = mode.equals("criteria")
        ? TinyModels.djlModelDir(root.resolve("big"), "model.onnx", good, Map.of("engine", "OnnxRuntime"))
        : Fixtures.write(root.resolve("big.onnx"), good);
    Path model = mode.equals("criteria") ? location.resolve("model.onnx") : location;
    trusted.signTree(root);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.RewriteWhileLoading", model.toString(),
        Fixtures.write(tmp.resolve("good.onnx"), good).toString(), Fixtures.write(tmp.resolve("evil.onnx"), evil)
            .toString(), Integer.toString(LOADS), mode, location.toString())
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent("key=" + trusted.publicKeyFile + ",models=" + root
            + ",audit-log=" + log + ",pin=" + pin)).run();

    assertEquals(0, r.exitCode(), r::toString);
    List<String> outcomes = r.stdout().lines().filter(l -> l.startsWith("prediction: ") || l.startsWith("rejected: "))
        .toList();
    assertEquals(LOADS, outcomes.size(), r::toString);
    for (String o : outcomes) {
      assertTrue(o.equals(Fixtures.PREDICTION) || REFUSALS.stream().anyMatch(reason -> o.startsWith(
          Fixtures.REJECTED + reason + "): ")), () -> o + "\n" + r);
    }
    String rewrites = Fixtures.linesStarting(r.stdout(), "REWRITES ").get(0);
    assertTrue(Long.parseLong(rewrites.substring("REWRITES ".length())) >= LOADS, r::toString);
    // A pinned copy (the agent hashed it), or, in auto, the verified bytes from memory; a load that found the file
    // truncated below the memory mode's least size was copied.
    String pinned = "PROBE runtime-received ai.onnxruntime.OrtSession.<init> " + Fixtures.CHILD_TMP + "/modelseal-pins-";
    String fromMemory = "PROBE runtime-received ai.onnxruntime.OrtSession.<init> ByteBuffer[" + good.length + "] "
        + Fixtures.sha256(good);
    List<String> received = Fixtures.linesStarting(r.stderr(), "PROBE runtime-received");
    for (String line : received) {
      assertTrue(line.startsWith(pinned) || pin.equals("auto") && line.equals(fromMemory), () -> line + "\n" + r);
    }
    assertEquals(outcomes.stream().filter(Fixtures.PREDICTION::equals).count(), received.size(),
        "only the loads that predicted reached ONNX Runtime\n" + r);
  }
}
