package dev.modelseal.core;

/**
 * Told how far a long streaming operation (hashing a large file) has come. Called from the thread
 * that does the work, at most every few megabytes; implementations must be fast and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores progress. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * Reports progress.
   *
   * @param done bytes processed so far
   * @param total total bytes expected, or -1 when unknown
   */
  void progress(long done, long total);
}
