package dev.modelseal.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** java.nio.file.Files without checked exceptions, for fixtures. */
final class Files2 {
  private Files2() {}

  static boolean isDirectory(Path p) {
    return Files.isDirectory(p);
  }

  static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
