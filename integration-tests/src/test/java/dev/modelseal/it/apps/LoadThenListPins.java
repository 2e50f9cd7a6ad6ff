package dev.modelseal.it.apps;

import dev.modelseal.examples.LoadModel;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code LoadThenListPins MODEL PIN_DIR}: loads MODEL with ONNX Runtime's {@code createSession(path)} and prints
 * {@code prediction: [..]} (or {@code rejected: <message>}), then, while this JVM still holds its pins, one line
 * {@code PIN <path relative to PIN_DIR> <link|file|dir>} per entry under PIN_DIR: what pinning wrote there.
 */
public final class LoadThenListPins {
  private LoadThenListPins() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Path pinDir = Path.of(args[1]);
    try {
      System.out.println("prediction: " + Arrays.toString(LoadModel.predict("ort-path", model, TinyModels.INPUT.clone())));
    } catch (Exception e) {
      System.out.println("rejected: " + e.getMessage());
    }
    List<Path> entries;
    try (Stream<Path> s = Files.walk(pinDir)) {
      entries = s.filter(p -> !p.equals(pinDir)).sorted().toList();
    }
    for (Path p : entries) {
      String kind = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file";
      System.out.println("PIN " + pinDir.relativize(p) + " " + kind);
    }
  }
}
