package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The XGBoost and LightGBM fixtures and the assertions their scenarios share. The models are trained once per test
 * JVM by the examples' {@code TinyTreeModels} in a child JVM without any agent (so the runtimes' natives never load
 * here), into {@code target/tree-models}; each scenario forks the examples' {@code LoadTreeModel}.
 */
final class TreeModels {
  /** What every signed model predicts for its four training rows. */
  static final String TRAINED = "prediction: [1.0, 2.0, 3.0, 4.0]";

  private static Path dir;

  private TreeModels() {}

  /** The bytes of one generated file ({@code xgb.ubj}, {@code lgbm-tampered.txt}, ...). */
  static synchronized byte[] bytes(String name) {
    if (dir == null) {
      dir = train(Fixtures.BUILD_DIR.resolve("tree-models"));
    }
    return Fixtures.read(dir.resolve(name));
  }

  private static Path train(Path out) {
    try {
      if (Files.exists(out)) {
        try (Stream<Path> old = Files.walk(out)) {
          for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      ForkedJvm.Result r = Fixtures.child("17", "dev.modelseal.examples.TinyTreeModels", out.toString()).run();
      assertEquals(0, r.exitCode(), r::toString);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code LoadTreeModel MODE MODEL} on {@code jdk} with the given JVM arguments (none: no agent). */
  static ForkedJvm.Result load(String jdk, String mode, Path model, String... jvmArgs) throws Exception {
    return Fixtures.child(jdk, "dev.modelseal.examples.LoadTreeModel", mode, model.toString()).jvmArgs(jvmArgs)
        .run();
  }

  /** As {@link #load}, with the probe and the agent trusting {@code key} for {@code root}, in {@code mode}. */
  static ForkedJvm.Result loadGuarded(String jdk, String mode, Path model, Path key, Path root, String agentMode,
      Path log) throws Exception {
    return load(jdk, mode, model, ProbeJar.agentArg(), Fixtures.agent(key, root, agentMode, log, mode));
  }

  /** Prints {@code prediction}, one {@code allow} decision by {@code hook} with {@code keyId}; returns probe lines. */
  static List<String> assertAllowed(ForkedJvm.Result r, Path log, String prediction, String hook, String keyId) {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(prediction + Fixtures.NL, r.stdout(), r::toString);
    Map<String, Object> d = onlyDecision(r, log, hook, "allow");
    assertEquals(keyId, d.get("keyId"), d::toString);
    return Fixtures.linesStarting(r.stderr(), "PROBE runtime-received ");
  }

  /**
   * Exit 3, nothing predicted, the exact {@code rejected:} line, one {@code deny} decision by {@code hook} with
   * that reason, location and detail, and the runtime's guarded method never received a model (probe).
   */
  static void assertRefused(ForkedJvm.Result r, Path log, String hook, String reason, String location,
      String detail) {
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of("PROBE installed"), Fixtures.linesStarting(r.stderr(), "PROBE installed"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + reason + "): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    Map<String, Object> d = onlyDecision(r, log, hook, "deny");
    assertEquals(reason, d.get("reason"), d::toString);
    assertEquals(location, d.get("model"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }

  /** Audit mode: the model loaded and predicted, and one {@code audit-deny} decision by {@code hook}. */
  static void assertAuditLoaded(ForkedJvm.Result r, Path log, String hook, String reason) {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(TRAINED + Fixtures.NL, r.stdout(), r::toString);
    Map<String, Object> d = onlyDecision(r, log, hook, "audit-deny");
    assertEquals(reason, d.get("reason"), d::toString);
  }

  /** The decision log holds exactly one decision, by {@code hook}, with {@code decision}; returns it. */
  private static Map<String, Object> onlyDecision(ForkedJvm.Result r, Path log, String hook, String decision) {
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals(hook, d.get("runtime"), d::toString);
    assertEquals(decision, d.get("decision"), d::toString);
    return d;
  }

  /** The detail of a signature that does not verify with the trusted key. */
  static String doesNotVerify(String shown, Fixtures.Signer trusted) {
    return shown + ": signature does not verify with key " + trusted.keyId() + " (tried " + Expectations.ALGORITHMS
        + ")";
  }
}
