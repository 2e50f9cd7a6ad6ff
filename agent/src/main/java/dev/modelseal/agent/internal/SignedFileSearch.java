package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds, under a model root, the signed files whose bytes are exactly an in-memory model's (stream,
 * byte array, buffer): the files whose signature may speak for it. A file qualifies only with a
 * signature sidecar or a {@code model.sig} beside it, the same length, and the same bytes, compared
 * block by block and abandoned at the first difference, so that files which merely share the length
 * cost one block read, not a signature check. Symbolic links are not followed; the walk is bounded in
 * depth, in entries and in matching files, and reports when a bound cut it short.
 */
final class SignedFileSearch {
  static final int MAX_DEPTH = 16;
  static final int MAX_ENTRIES = 100_000;
  /** More identical signed copies than this are not examined. */
  static final int MAX_MATCHES = 64;
  private static final int BLOCK = 64 * 1024;

  private SignedFileSearch() {}

  /**
   * Adds to {@code out} the signed files under {@code root} with exactly {@code content}'s bytes.
   *
   * @return a description of the bound that cut the search short, or null if it was complete
   */
  static String collect(Path root, byte[] content, List<Path> out) throws IOException {
    return collect(root, content, out, MAX_ENTRIES);
  }

  /** {@link #collect(Path, byte[], List)} with another bound on the entries visited. */
  static String collect(Path root, byte[] content, List<Path> out, int maxEntries) throws IOException {
    if (!Files.isDirectory(root)) {
      return null;
    }
    String[] cut = {null};
    int[] seen = {0};
    Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (++seen[0] > maxEntries) {
          cut[0] = "the search under " + root + " stopped at " + maxEntries + " entries";
          return FileVisitResult.TERMINATE;
        }
        if (attrs.isRegularFile() && attrs.size() == content.length && isSigned(file) && sameBytes(file, content)) {
          out.add(file);
          if (out.size() >= MAX_MATCHES) {
            cut[0] = "the search under " + root + " stopped at " + MAX_MATCHES + " identical signed files";
            return FileVisitResult.TERMINATE;
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    return cut[0];
  }

  private static boolean isSigned(Path file) {
    return !Sidecars.isSidecar(file) && !file.getFileName().toString().equals(FolderSignature.NAME)
        && (Files.exists(file.resolveSibling(file.getFileName() + Sidecars.BUNDLE_SUFFIX), LinkOption.NOFOLLOW_LINKS)
            || Files.exists(file.resolveSibling(file.getFileName() + Sidecars.SIG_SUFFIX), LinkOption.NOFOLLOW_LINKS)
            || FolderSignature.existsIn(file.getParent()));
  }

  /** True if the file holds exactly {@code content}; false at the first differing block or on any error. */
  private static boolean sameBytes(Path file, byte[] content) {
    try (InputStream in = java.nio.channels.Channels.newInputStream(RegularFiles.openForReading(file))) {
      byte[] block = new byte[(int) Math.min(BLOCK, Math.max(1, content.length))];
      int at = 0;
      while (at < content.length) {
        int n = in.readNBytes(block, 0, Math.min(block.length, content.length - at));
        if (n <= 0 || !Arrays.equals(block, 0, n, content, at, at + n)) {
          return false;
        }
        at += n;
      }
      return in.read() < 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
