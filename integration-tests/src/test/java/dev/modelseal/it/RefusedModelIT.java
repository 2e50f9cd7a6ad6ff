package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
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
 * Scenario 2: unacceptable models are refused with the right reason, and the runtime never receives the bytes:
 * the probe agent, which marks the runtime's own loading step, prints nothing.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class RefusedModelIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "TAMPERED, criteria", "TAMPERED, model-load-path", "TAMPERED, model-load-stream", "TAMPERED, ort-path",
      "TAMPERED, ort-bytes", "TAMPERED, ort-buffer", "TAMPERED, pytorch-criteria",
      "WRONG_KEY_SIG, ort-path", "WRONG_KEY_SIG, ort-bytes", "WRONG_KEY_SIG, criteria",
      "WRONG_KEY_BUNDLE, ort-path", "WRONG_KEY_BUNDLE, ort-bytes", "WRONG_KEY_BUNDLE, criteria",
      "UNSIGNED, ort-path", "UNSIGNED, ort-bytes", "UNSIGNED, criteria",
      "MALFORMED_NOT_BASE64, ort-path", "MALFORMED_NOT_BASE64, ort-bytes", "MALFORMED_NOT_BASE64, criteria",
      "MALFORMED_BUNDLE, ort-path", "MALFORMED_BUNDLE, ort-bytes", "MALFORMED_BUNDLE, criteria",
      "TRUNCATED_DER, ort-path", "TRUNCATED_DER, ort-bytes", "TRUNCATED_DER, criteria",
      "OTHER_MODELS_SIGNATURE, ort-path", "OTHER_MODELS_SIGNATURE, ort-bytes", "OTHER_MODELS_SIGNATURE, criteria",
      "UNSIGNED_EXTRA_JAR, criteria", "UNSIGNED_EXTRA_JAR, pytorch-criteria"})
  void load_unacceptableModel_refusedBeforeRuntimeReadsIt(Refusal refusal, String mode) throws Exception {
    ModelCase c = ModelCase.of(mode);
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path root = tmp.resolve("models");
    Path model = refusal.prepare(c, root, trusted, other);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log, mode)).run();

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of("PROBE installed"), Fixtures.linesStarting(r.stderr(), "PROBE installed"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE error"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    String expected = Expectations.rejectedLine(refusal, c, model, root, trusted, other);
    assertEquals(List.of(expected), Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals(refusal.reason, d.get("reason"), d::toString);
    assertEquals(c.location(model), d.get("model"), d::toString);
    assertEquals(null, d.get("digest"), d::toString);
    assertTrue(expected.endsWith(": " + d.get("detail")), () -> d + "\n" + expected);
  }
}
