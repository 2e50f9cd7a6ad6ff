package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Progress of long verifications in the decision log: a model location of at least {@link #THRESHOLD} bytes (a file,
 * or the regular files of a directory together) gets a {@code verify-start} event line before it is verified, with
 * the hook, the model as the caller named it and its size, and a {@code verify-end} line after its decision line, with
 * the duration and the bytes verified per second. A multi-GB model takes seconds to pin and hash; these lines say
 * what the JVM is waiting for while it does, and how fast it went. Smaller models get no extra line.
 *
 * <p>The pin mode field is written once the verification knows one ({@link #start}'s {@code pinMode}; none yet: the
 * field is left out).
 */
final class VerifyProgress {
  /** The least size, in bytes, of a model whose verification is logged as it starts and ends: 256 MiB. */
  static final long THRESHOLD = 256L << 20;

  /** A clock in nanoseconds. */
  interface Nanos {
    long now();
  }

  /** {@link System#nanoTime()}. */
  static final Nanos SYSTEM = new Nanos() {
    @Override
    public long now() {
      return System.nanoTime();
    }
  };

  /** A verification that was logged as started. */
  static final class Started {
    final String hook;
    final String model;
    final long bytes;
    final String pinMode;
    final long start;

    Started(String hook, String model, long bytes, String pinMode, long start) {
      this.hook = hook;
      this.model = model;
      this.bytes = bytes;
      this.pinMode = pinMode;
      this.start = start;
    }
  }

  private final DecisionLog log;
  private final long threshold;
  private final Nanos clock;

  VerifyProgress(DecisionLog log, long threshold, Nanos clock) {
    this.log = log;
    this.threshold = threshold;
    this.clock = clock;
  }

  /**
   * Logs {@code verify-start} if {@code real} (a resolved path) holds at least the threshold; returns what
   * {@link #end} needs, or null (a smaller or unreadable location: nothing is logged).
   *
   * @param model the location as the decision line names it
   * @param pinMode how the model will be pinned, or null when not known
   */
  Started start(String hook, String model, Path real, String pinMode) {
    long bytes = bytes(real);
    if (bytes < threshold) {
      return null;
    }
    Started s = new Started(hook, model, bytes, pinMode, clock.now());
    log.verifyEvent("verify-start", hook, model, bytes, pinMode, -1);
    return s;
  }

  /** Logs {@code verify-end} for a verification {@link #start} logged; does nothing for null. */
  void end(Started s) {
    if (s != null) {
      log.verifyEvent("verify-end", s.hook, s.model, s.bytes, s.pinMode, clock.now() - s.start);
    }
  }

  /** The size of a regular file, or of the regular files under a directory (links not followed); 0 if unreadable. */
  private long bytes(Path real) {
    try {
      BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isRegularFile()) {
        return a.size();
      }
      return a.isDirectory() ? directoryBytes(real, new int[1]) : 0;
    } catch (IOException | RuntimeException e) {
      return 0; // the verification itself reports what is wrong with it
    }
  }

  /** Sums the sizes of at most {@link LocationVerifier#MAX_ENTRIES} entries (the verification refuses more). */
  private long directoryBytes(Path dir, int[] seen) throws IOException {
    long sum = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (++seen[0] > LocationVerifier.MAX_ENTRIES) {
          break;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        sum += a.isRegularFile() ? a.size() : a.isDirectory() ? directoryBytes(p, seen) : 0;
      }
    }
    return sum;
  }
}
