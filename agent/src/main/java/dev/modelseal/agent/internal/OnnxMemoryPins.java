package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ONNX models that ONNX Runtime gets from memory instead of from a pinned copy ({@code pin=auto}, {@link PinMode}).
 * A {@code .onnx} file of at least {@link #MIN_SIZE} bytes that fits {@code max-in-memory}, which is to be loaded by
 * an ONNX Runtime session (its path given to {@code createSession}, or its directory to DJL) and would otherwise be
 * copied (its storage does not qualify for in place, its file system cannot clone), is not copied: an empty
 * placeholder takes its name in the pin folder, and its signature waits here. When the session asks for the
 * placeholder, the original is read once into a direct buffer while it is hashed ({@link #read}), the signature
 * checked against those digests, and the session created from that buffer: what was verified is what is loaded,
 * and nothing is written. A placeholder asked for by anything else is first made a verified copy ({@link Gate}):
 * a reader that bypasses the hooks finds an empty file, never unverified bytes.
 */
final class OnnxMemoryPins {
  /** The least size of a file loaded from memory: below it a copy costs little and serves every reader. */
  static final long MIN_SIZE = 16L << 20;
  /** The most a direct buffer holds (ONNX protobuf files stop at 2 GiB anyway). */
  static final long MAX_SIZE = Integer.MAX_VALUE - 8;
  private static final int CHUNK = 8 << 20;
  private static final int HASH_CHUNK = 256 << 10;

  /**
   * A file waiting for its session: the original, the signature that speaks for it, the digests that signature
   * needs, and the decision line's {@code pinNote} (why not in place).
   */
  record Deferred(Path source, Sidecars.Found signature, Set<String> algorithms, String pinNote) {}

  /** The model's bytes as read, and their digests (JCA name to digest). */
  record Read(ByteBuffer bytes, Map<String, byte[]> digests) {}

  private final long maxInMemory;
  private final Map<Path, Deferred> waiting = new ConcurrentHashMap<>();

  OnnxMemoryPins(long maxInMemory) {
    this.maxInMemory = maxInMemory;
  }

  /** True if {@code source} (a regular file of {@code size} bytes) may wait for its session instead of a copy. */
  boolean eligible(Path source, long size) {
    return size >= MIN_SIZE && fits(source, size);
  }

  /** True if {@code source} is an ONNX file ({@code .onnx}) of {@code size} bytes that one buffer can hold. */
  boolean fits(Path source, long size) {
    String name = source.getFileName() == null ? "" : source.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".onnx") && size <= Math.min(maxInMemory, MAX_SIZE);
  }

  /** Creates the empty, owner-only placeholder at {@code target} and records what it waits for. */
  void defer(Path target, Deferred d) throws IOException {
    Files.createDirectories(target.getParent());
    Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")));
    waiting.put(target, d);
  }

  /** What the placeholder at {@code pinned} (a real path) waits for, or null if it is no placeholder. */
  Deferred at(Path pinned) {
    return pinned == null ? null : waiting.get(pinned);
  }

  /** The placeholders at or under {@code pinned} (a pinned file or directory, a real path). */
  Map<Path, Deferred> under(Path pinned) {
    Map<Path, Deferred> found = new LinkedHashMap<>();
    for (Map.Entry<Path, Deferred> e : waiting.entrySet()) {
      if (e.getKey().startsWith(pinned)) {
        found.put(e.getKey(), e.getValue());
      }
    }
    return found;
  }

  /** The placeholder at {@code pinned} became a verified copy, or its folder was discarded. */
  void done(Path pinned) {
    waiting.remove(pinned);
  }

  /**
   * Reads {@code d}'s original once into a new direct buffer, hashing it on the way. The size is the one the file has
   * now, bounded as when it was deferred: a file that grew over the limit is refused, one that shrinks while it is
   * read ends early (refused); whatever is read is what gets verified and loaded.
   */
  Read read(Deferred d, String shownName) throws Rejection, IOException {
    try (FileChannel in = RegularFiles.openForReading(d.source())) {
      long size = in.size();
      if (size > Math.min(maxInMemory, MAX_SIZE)) {
        throw new Rejection(RejectReason.TOO_LARGE, shownName + ": " + size + " bytes, over the in-memory limit of "
            + Math.min(maxInMemory, MAX_SIZE) + " (it grew since its directory was verified)");
      }
      ByteBuffer bytes;
      try {
        bytes = ByteBuffer.allocateDirect((int) size);
      } catch (OutOfMemoryError e) {
        throw new Rejection(RejectReason.TOO_LARGE, shownName + ": " + size + " bytes do not fit in this JVM's direct"
            + " memory (" + e.getMessage() + "); lower max-in-memory, or set pin=copy");
      }
      MessageDigest[] mds = digests(d.algorithms());
      // The file is read straight into the buffer; each chunk is hashed through a small heap array, so SHA-256
      // runs on the byte[] path the agent's start-up warmed up (the direct-buffer path would start cold).
      byte[] hashing = new byte[HASH_CHUNK];
      while (bytes.hasRemaining()) {
        ByteBuffer chunk = bytes.slice();
        chunk.limit(Math.min(chunk.remaining(), CHUNK));
        int n = readFully(in, chunk);
        if (n <= 0) {
          throw new Rejection(RejectReason.PATH_REFUSED, shownName + ": changed while it was read (ended after "
              + bytes.position() + " of " + size + " bytes)");
        }
        chunk.flip();
        while (chunk.hasRemaining()) {
          int m = Math.min(hashing.length, chunk.remaining());
          chunk.get(hashing, 0, m);
          for (MessageDigest md : mds) {
            md.update(hashing, 0, m);
          }
        }
        bytes.position(bytes.position() + n);
      }
      Map<String, byte[]> out = new LinkedHashMap<>();
      int i = 0;
      for (String a : d.algorithms()) {
        out.put(a, mds[i++].digest());
      }
      return new Read(bytes.flip(), out);
    }
  }

  /** Writes verified bytes over their placeholder (owner-only, read-only after), for a reader that needs a file. */
  static void writeCopy(Path placeholder, ByteBuffer verified) throws IOException {
    Files.setPosixFilePermissions(placeholder, PosixFilePermissions.fromString("rw-------"));
    try (FileChannel out = FileChannel.open(placeholder, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer view = verified.duplicate();
      while (view.hasRemaining()) {
        out.write(view);
      }
    }
    Files.setPosixFilePermissions(placeholder, PosixFilePermissions.fromString("r--------"));
  }

  private static int readFully(FileChannel in, ByteBuffer chunk) throws IOException {
    int total = 0;
    while (chunk.hasRemaining()) {
      int n = in.read(chunk);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total == 0 && chunk.capacity() > 0 ? -1 : total;
  }

  private static MessageDigest[] digests(Set<String> algorithms) throws IOException {
    MessageDigest[] mds = new MessageDigest[algorithms.size()];
    int i = 0;
    try {
      for (String a : algorithms) {
        mds[i++] = MessageDigest.getInstance(a);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
    return mds;
  }
}
