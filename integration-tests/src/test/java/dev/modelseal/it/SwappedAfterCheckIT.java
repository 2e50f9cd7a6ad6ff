package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static dev.modelseal.it.Fixtures.PREDICTION_PLUS_TWO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Scenario 2, time-of-check/time-of-use: the original model is rewritten (with a valid y = x + 2 model) after
 * ModelSeal's check and before the runtime reads it. The race is made deterministic by the probe agent, which
 * does the rewrite inside a method the runtime calls between the two: the OrtSession constructor for ort-path,
 * DJL's OrtModel.load (after Repository.getResourceDirectory, which ModelSeal pins) for criteria.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class SwappedAfterCheckIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} swapped in {1}")
  @CsvSource({"ort-path, ai.onnxruntime.OrtSession.<init>", "criteria, ai.djl.onnxruntime.engine.OrtModel.load"})
  void load_modelSwappedAfterCheck_runtimeReadsPinnedSignedCopy(String mode, String swapAt) throws Exception {
    Fixture f = new Fixture(mode);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = f.child(swapAt)
        .jvmArgs(Fixtures.agent(f.trusted.publicKeyFile, f.root, "enforce", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + f.file), Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertArrayEquals(Fixtures.onnxPlusTwo(), Fixtures.read(f.file), "the original really was rewritten");
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    assertEquals("allow", decisions.get(0).get("decision"));
    assertEquals(Fixtures.sha256(TinyModels.onnx()), decisions.get(0).get("digest"));
  }

  /** Control: without ModelSeal the same swap reaches the runtime, so the swap point is before the runtime's read. */
  @ParameterizedTest(name = "{0} swapped in {1}")
  @CsvSource({"ort-path, ai.onnxruntime.OrtSession.<init>", "criteria, ai.djl.onnxruntime.engine.OrtModel.load"})
  void load_modelSwappedWithoutAgent_runtimeReadsSwappedModel(String mode, String swapAt) throws Exception {
    Fixture f = new Fixture(mode);

    ForkedJvm.Result r = f.child(swapAt).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + f.file), Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertEquals(PREDICTION_PLUS_TWO + Fixtures.NL, r.stdout(), r::toString);
  }

  private final class Fixture {
    final String mode;
    final Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    final Path root = tmp.resolve("models");
    final Path model;
    final Path file;
    final Path replacement;

    Fixture(String mode) {
      this.mode = mode;
      ModelCase c = ModelCase.of(mode);
      this.model = c.create(root);
      this.file = c.modelFile(model);
      trusted.signTree(root);
      this.replacement = Fixtures.write(tmp.resolve("plus-two.onnx"), Fixtures.onnxPlusTwo());
    }

    ForkedJvm child(String swapAt) {
      return Fixtures.loadModel(jdk, mode, model)
          .jvmArgs("-Dprobe.swap.at=" + swapAt, "-Dprobe.swap.target=" + file, "-Dprobe.swap.from=" + replacement,
              ProbeJar.agentArg());
    }
  }
}
