package dev.modelseal.core;

/**
 * How far the files of a model that is still being written (a copy in progress) have got, so that
 * {@link ModelManifest#compute(java.nio.file.Path, ModelHashing, ProgressListener, WrittenBytes)} can hash
 * them while they are written and read only bytes already written: each read of a file waits until the
 * bytes it covers are there. The files must already have their final sizes when hashing starts (the
 * walk reads the sizes), so a writer creates them at full size first.
 */
public interface WrittenBytes {
  /**
   * Blocks until more than {@code offset} bytes of the file named {@code name} (model-relative POSIX
   * path, {@code "."} for a single-file model) are written, or its writing has ended.
   *
   * @return how many bytes of it are written (at most {@code offset} if its writing ended there: the
   *     hashing then fails, since the file is shorter than it was)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  long awaitBeyond(String name, long offset) throws InterruptedException;
}
