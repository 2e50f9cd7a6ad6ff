package dev.modelseal.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code LexicalPinPath MODEL PIN_DIR ATTACKER_MODEL}: loads MODEL with ONNX Runtime by path (the agent pins it
 * under {@code PIN_DIR/modelseal-pins-<pid>-<n>/}) and prints {@code PINNED <copy>}; then, as an attacker who
 * knows that copy's name, makes {@code PIN_DIR/in/lnk -> PIN_DIR/evil/a/b}, puts ATTACKER_MODEL's bytes at
 * {@code PIN_DIR/evil/<root>/<n>/<name>} and loads {@code PIN_DIR/in/lnk/../../<root>/<n>/<name>}, which
 * normalises to the pinned copy but which the kernel resolves to the attacker's file. One outcome line per load.
 */
public final class LexicalPinPath {
  private LexicalPinPath() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Path pinDir = Path.of(args[1]);
    byte[] attacker = Files.readAllBytes(Path.of(args[2]));
    System.out.println(FlipWhileLoading.LoadOutcome.of("ort-path", model));
    Path pinned = pinnedCopy(pinDir, model.getFileName().toString());
    System.out.println("PINNED " + pinned);
    Path rel = pinDir.relativize(pinned); // <root>/<n>/<name>
    Path evil = Files.createDirectories(pinDir.resolve("evil/a/b")).getParent().getParent();
    Files.createDirectories(evil.resolve(rel).getParent());
    Files.write(evil.resolve(rel), attacker);
    Files.createSymbolicLink(Files.createDirectories(pinDir.resolve("in")).resolve("lnk"), pinDir.resolve("evil/a/b"));
    Path lexical = Path.of(pinDir + "/in/lnk/../../" + rel);
    System.out.println(FlipWhileLoading.LoadOutcome.of("ort-path", lexical));
  }

  private static Path pinnedCopy(Path pinDir, String name) throws Exception {
    String prefix = "modelseal-pins-" + ProcessHandle.current().pid() + "-";
    try (Stream<Path> s = Files.walk(pinDir)) {
      List<Path> copies = s.filter(p -> p.getFileName().toString().equals(name)
          && pinDir.relativize(p).toString().startsWith(prefix)).toList();
      if (copies.size() != 1) {
        throw new IllegalStateException("expected one pinned copy, found " + copies);
      }
      return copies.get(0);
    }
  }
}
