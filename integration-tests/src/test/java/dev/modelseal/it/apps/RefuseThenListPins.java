package dev.modelseal.it.apps;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code RefuseThenListPins MODEL STALE_ROOT}: asks ONNX Runtime three times for MODEL (printing each
 * {@code rejected: <message>}), waits up to 20 s for STALE_ROOT to be removed ({@code STALE-REMOVED} or
 * {@code STALE-PRESENT}), then prints {@code PIN-ROOT <entries>} for each pin root in {@code java.io.tmpdir}
 * other than STALE_ROOT: what this still running JVM keeps pinned.
 */
public final class RefuseThenListPins {
  private RefuseThenListPins() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Path stale = Path.of(args[1]);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (int i = 0; i < 3; i++) {
      try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
        System.out.println("loaded");
      } catch (RuntimeException e) {
        System.out.println("rejected: " + e.getMessage());
      }
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (Files.exists(stale) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    System.out.println(Files.exists(stale) ? "STALE-PRESENT" : "STALE-REMOVED");
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (Path root : list(tmp)) {
      String name = root.getFileName().toString();
      if (name.startsWith("modelseal-pins-") && !root.equals(stale)) {
        System.out.println("PIN-ROOT " + list(root).stream().map(p -> p.getFileName().toString()).toList());
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
