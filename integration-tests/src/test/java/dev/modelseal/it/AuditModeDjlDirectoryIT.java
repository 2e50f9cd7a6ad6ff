package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Audit mode with a DJL model directory: the decision log should say what enforce mode would have refused, once
 * per load. It must never report a signature sidecar ({@code X.sig}, {@code X.sigstore.json}) as an unsigned model.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class AuditModeDjlDirectoryIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void load_tamperedDjlDirectoryInAuditMode_sidecarsNeverLoggedAsUnsignedModels() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = Refusal.TAMPERED.prepare(ModelCase.CRITERIA, root, trusted, trusted);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, "criteria", model)
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "audit", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertFalse(decisions.isEmpty(), r::toString);
    assertEquals("audit-deny", decisions.get(0).get("decision"), decisions::toString);
    List<Map<String, Object>> sidecars = decisions.stream()
        .filter(d -> String.valueOf(d.get("model")).endsWith(".sig")
            || String.valueOf(d.get("model")).endsWith(".sigstore.json"))
        .toList();
    assertEquals(List.of(), sidecars, () -> "all decisions:\n" + String.join("\n",
        decisions.stream().map(d -> d.get("runtime") + " " + d.get("model") + " " + d.get("reason") + " "
            + d.get("detail")).toList()));
  }
}
