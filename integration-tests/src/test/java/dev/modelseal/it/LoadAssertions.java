package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Assertions shared by the scenarios that fork {@code LoadModel} with the probe and the agent. */
final class LoadAssertions {
  private LoadAssertions() {}

  /**
   * Runs LoadModel with the probe and the agent (trusting only {@code trusted}, decision log in {@code tmp}) and
   * asserts the refusal: exit 3, the exact rejected line, one deny decision with that reason and detail, and the
   * runtime never received a model.
   */
  static void assertRefused(String jdk, Path tmp, String mode, Path model, Path root, Fixtures.Signer trusted,
      String reason, String detail) throws Exception {
    Path log = tmp.resolve("decisions.jsonl");
    assertRefused(jdk, mode, model, Fixtures.agent(trusted.publicKeyFile, root, "enforce", log), log, reason,
        detail);
  }

  /** As above, with the agent's whole {@code -javaagent} argument, whose decision log is {@code log}. */
  static void assertRefused(String jdk, String mode, Path model, String agentArg, Path log, String reason,
      String detail) throws Exception {
    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model).jvmArgs(ProbeJar.agentArg(), agentArg).run();

    String location = model.toAbsolutePath().toString();
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of("PROBE installed"), Fixtures.linesStarting(r.stderr(), "PROBE installed"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE error"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + reason + "): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals(reason, d.get("reason"), d::toString);
    assertEquals(location, d.get("model"), d::toString);
    assertEquals(null, d.get("digest"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }
}
