package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds, under a model root, the regular files of a given length that have a signature sidecar
 * or a {@code model.sig} beside them: the candidates an in-memory model (stream, byte array, buffer) may be a copy of. Symbolic links
 * are not followed; the walk is bounded in depth and in entries.
 */
final class SignedFileSearch {
  static final int MAX_DEPTH = 16;
  static final int MAX_ENTRIES = 100_000;

  private SignedFileSearch() {}

  static void collect(Path root, long length, List<Path> out) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    int[] seen = {0};
    Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (++seen[0] > MAX_ENTRIES) {
          return FileVisitResult.TERMINATE;
        }
        if (attrs.isRegularFile() && attrs.size() == length && !Sidecars.isSidecar(file)
            && !file.getFileName().toString().equals(FolderSignature.NAME)
            && (Files.exists(file.resolveSibling(file.getFileName() + Sidecars.BUNDLE_SUFFIX))
                || Files.exists(file.resolveSibling(file.getFileName() + Sidecars.SIG_SUFFIX))
                || FolderSignature.existsIn(file.getParent()))) {
          out.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
