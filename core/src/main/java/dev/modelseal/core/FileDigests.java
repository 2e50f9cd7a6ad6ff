package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Hashes a file in one streaming pass with several JCA digests at once (constant memory), for
 * callers that hash before or while they set up verification and then call
 * {@link BlobVerifier#verifyDigests}.
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
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return Map.copyOf(StreamingDigest.of(in, algorithms, 0, size, progress).digests);
    }
  }
}
