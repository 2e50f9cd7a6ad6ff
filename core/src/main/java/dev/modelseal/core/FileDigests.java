package dev.modelseal.core;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Hashes a file in one streaming pass with several JCA digests at once (constant memory), for
 * callers that hash before or while they set up verification and then call
 * {@link BlobVerifier#verifyDigests}. A thread interrupted while hashing ends with an
 * {@link java.io.InterruptedIOException}.
 */
public final class FileDigests {
  private FileDigests() {}

  /**
   * Returns JCA digest name to digest of the file's bytes.
   *
   * @throws IOException if the file cannot be read or is a directory
   */
  public static Map<String, byte[]> compute(Path file, Set<String> algorithms, ProgressListener progress)
      throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a file");
    }
    long size = Files.size(file);
    if (algorithms.contains("SHA-256")) {
      Sha256WarmUp.awaitBeforeHashing(size); // in a CLI process: compiled SHA-256 before the hashing starts
    }
    // A plain FileInputStream for regular files: one native read per buffer, where a channel
    // stream runs Java code per read that a cold JVM interprets until it is compiled. A link keeps
    // the channel path and its refusal. Reads stop when the calling thread is interrupted.
    try (InputStream in = Files.isSymbolicLink(file) ? Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)
        : new InterruptibleInput(open(file))) {
      return Map.copyOf(StreamingDigest.of(in, algorithms, 0, size, progress).digests);
    }
  }

  /**
   * Opens a file with {@link FileInputStream} (cheaper than a channel on a cold JVM), failing with the
   * same NIO exceptions as {@link Files#newInputStream}: {@link NoSuchFileException} and
   * {@link AccessDeniedException} instead of {@link FileNotFoundException}.
   */
  static FileInputStream open(Path file) throws IOException {
    try {
      return new FileInputStream(file.toFile());
    } catch (FileNotFoundException e) {
      if (Files.notExists(file)) {
        throw new NoSuchFileException(file.toString());
      }
      if (Files.exists(file) && !Files.isReadable(file)) {
        throw new AccessDeniedException(file.toString());
      }
      throw e;
    }
  }

  /** Ends a read with an {@link InterruptedIOException} once the reading thread is interrupted. */
  private static final class InterruptibleInput extends FilterInputStream {
    InterruptibleInput(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted while hashing");
      }
      return super.read(b, off, len);
    }
  }
}
