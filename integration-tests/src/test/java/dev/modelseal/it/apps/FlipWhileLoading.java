package dev.modelseal.it.apps;

import dev.modelseal.examples.ExampleSupport;
import dev.modelseal.examples.LoadModel;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * {@code FlipWhileLoading LINK TARGET_A TARGET_B LOADS MODE MODEL}: while a thread flips the symbolic link LINK
 * between TARGET_A and TARGET_B (atomically: a new link renamed over it) as fast as it can, loads MODEL (a path
 * through LINK) LOADS times with LoadModel's MODE, printing {@code prediction: [..]} or
 * {@code rejected: <class> <message>} per load, then {@code FLIPS <n>}.
 */
public final class FlipWhileLoading {
  private FlipWhileLoading() {}

  public static void main(String[] args) throws Exception {
    Path link = Path.of(args[0]);
    Path[] targets = {Path.of(args[1]), Path.of(args[2])};
    int loads = Integer.parseInt(args[3]);
    String mode = args[4];
    Path model = Path.of(args[5]);
    Path next = link.resolveSibling(link.getFileName() + ".next");
    long[] flips = {0};
    Thread flipper = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Files.deleteIfExists(next);
          Files.createSymbolicLink(next, targets[(int) (flips[0] % 2)]);
          Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          flips[0]++;
        }
      } catch (Exception e) {
        System.out.println("FLIPPER " + e);
      }
    }, "flipper");
    flipper.start();
    for (int i = 0; i < loads; i++) {
      System.out.println(LoadOutcome.of(mode, model));
    }
    flipper.interrupt();
    flipper.join();
    System.out.println("FLIPS " + flips[0]);
  }

  /** One load's outcome line, as LoadModel prints it (prediction on stdout, refusal on stderr). */
  static final class LoadOutcome {
    private LoadOutcome() {}

    static String of(String mode, Path model) {
      try {
        return "prediction: " + Arrays.toString(LoadModel.predict(mode, model, TinyModels.INPUT.clone()));
      } catch (Exception | LinkageError e) {
        return "rejected: " + ExampleSupport.describe(e);
      }
    }
  }
}
