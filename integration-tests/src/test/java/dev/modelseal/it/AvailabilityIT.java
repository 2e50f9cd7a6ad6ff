package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service stays up under hostile files: refused loads leave no pinned copy, the pin root of a killed JVM is
 * removed by the next start, and an endless model stream is refused at {@code max-in-memory} (whose default
 * follows the heap) instead of exhausting a small heap.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class AvailabilityIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void refusedLoads_tamperedModelThreeTimes_noPinnedCopyLeftAndStaleRootOfKilledJvmRemoved() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = Fixtures.write(tmp.resolve("models/model.onnx"), TinyModels.onnx());
    trusted.sig(model);
    Fixtures.write(model, Fixtures.onnxTampered());
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    // What a JVM killed with SIGKILL leaves: its root, a .lock nobody holds, a pinned copy.
    Path stale = Files.createDirectories(childTmp.resolve("modelseal-pins-" + gone.pid() + "-42"));
    Files.createFile(stale.resolve(".lock"));
    Fixtures.write(stale.resolve("1/model.onnx"), TinyModels.onnx());
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.RefuseThenListPins", model.toString(),
            stale.toString())
        .jvmArgs("-Djava.io.tmpdir=" + childTmp, Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"),
            "enforce", log))
        .run();

    assertEquals(0, r.exitCode(), r::toString);
    List<String> lines = r.stdout().lines().toList();
    assertEquals(5, lines.size(), r::toString);
    for (int i = 0; i < 3; i++) {
      assertTrue(lines.get(i).startsWith("rejected: model rejected (SIGNATURE_INVALID): "), r::toString);
    }
    // While the JVM still runs: its own root holds only its lock; the killed JVM's root is gone.
    assertEquals(List.of("STALE-REMOVED", "PIN-ROOT [.lock]"), lines.subList(3, 5), r::toString);
    assertFalse(Files.exists(stale));
    assertEquals(List.of(), names(childTmp).stream().filter(n -> n.startsWith("modelseal-pins-")).toList(),
        "the exit hook deletes the JVM's own root");
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(3, decisions.size(), () -> decisions + "\n" + r);
  }

  @Test
  void streamLoad_endlessStreamUnderSmallHeap_refusedTooLargeAtAQuarterOfTheHeap() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.EndlessStreamLoad")
        .jvmArgs("-Xmx256m", Fixtures.agent(trusted.publicKeyFile, Files.createDirectories(tmp.resolve("models")),
            "enforce", log))
        .run();

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.stdout().matches("rejected: model rejected \\(TOO_LARGE\\): <stream>: stream of more than [0-9]+"
        + " bytes is over the in-memory limit\\R"), r::toString);
    long limit = Long.parseLong(r.stdout().replaceAll("(?s).*more than ([0-9]+) bytes.*", "$1"));
    assertTrue(limit > 32L << 20 && limit <= 64L << 20, r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    assertEquals("TOO_LARGE", decisions.get(0).get("reason"), decisions::toString);
  }
}
