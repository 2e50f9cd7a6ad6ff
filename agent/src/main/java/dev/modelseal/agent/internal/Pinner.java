package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the private copies that runtimes load instead of the originals ("pin=copy"). The copy is
 * written while the original is hashed, from the same buffers, so the bytes that were verified are
 * exactly the bytes in the copy. Copies live under an owner-only ({@code 0700}) directory, are
 * read-only ({@code 0400}) once written, and are deleted when the JVM exits.
 */
final class Pinner {
  private static final int CHUNK = 1 << 20;
  private static final int IN_FLIGHT = 4;

  private final Path root;
  private final AtomicLong counter = new AtomicLong();

  private Pinner(Path root) {
    this.root = root;
  }

  /** Creates the pin root ({@code dir} or a fresh folder under the system temp directory). */
  static Pinner create(Path dir) throws IOException {
    Path parent = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(parent);
    Path root = Files.createTempDirectory(parent, "modelseal-pins-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Pinner p = new Pinner(root.toRealPath());
    Thread cleanup = new Thread(p::deleteAll, "modelseal-pin-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    return p;
  }

  /** Returns true if the (absolute, normalized) path lies inside a pinned copy this agent made. */
  boolean isPinned(Path absolute) {
    return absolute.startsWith(root) && !absolute.equals(root);
  }

  /** Creates a new empty owner-only folder for one pinned model. */
  Path newPinFolder() throws IOException {
    return Files.createDirectory(root.resolve(Long.toString(counter.incrementAndGet())),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * Copies {@code source} to {@code target} (which must not exist) while computing the digests,
   * then makes the copy read-only. Symbolic links are never followed.
   *
   * @return JCA digest name to digest of exactly the bytes written
   */
  Map<String, byte[]> copyAndHash(Path source, Path target, Set<String> algorithms) throws IOException {
    MessageDigest[] mds = digests(algorithms);
    Files.createDirectories(target.getParent());
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileChannel out = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      Writer writer = new Writer(out);
      Thread t = new Thread(writer, "modelseal-pin-writer");
      t.setDaemon(true);
      t.start();
      boolean ended = false;
      try {
        while (true) {
          ByteBuffer buf = writer.free.take();
          buf.clear();
          int n = in.read(buf);
          if (n < 0) {
            ended = true;
            writer.full.put(writer.end);
            break;
          }
          buf.flip();
          byte[] a = buf.array();
          for (MessageDigest md : mds) {
            md.update(a, 0, buf.limit());
          }
          writer.full.put(buf);
        }
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while pinning " + source);
      } finally {
        if (!ended) {
          t.interrupt();
        }
      }
      if (writer.failure != null) {
        throw writer.failure;
      }
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
    Map<String, byte[]> result = new LinkedHashMap<>();
    int i = 0;
    for (String a : algorithms) {
      result.put(a, mds[i++].digest());
    }
    return result;
  }

  private static MessageDigest[] digests(Set<String> algorithms) {
    MessageDigest[] mds = new MessageDigest[algorithms.size()];
    int i = 0;
    for (String a : algorithms) {
      try {
        mds[i++] = MessageDigest.getInstance(a);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(a + " is missing from this JVM", e);
      }
    }
    return mds;
  }

  /** Writes full buffers in order on its own thread and hands them back. */
  private static final class Writer implements Runnable {
    final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    final ByteBuffer end = ByteBuffer.allocate(0);
    private final FileChannel out;
    volatile IOException failure;

    Writer(FileChannel out) {
      this.out = out;
      for (int i = 0; i < IN_FLIGHT; i++) {
        free.add(ByteBuffer.allocate(CHUNK));
      }
    }

    @Override
    public void run() {
      try {
        while (true) {
          ByteBuffer b = full.take();
          if (b == end) {
            return;
          }
          if (failure == null) {
            try {
              while (b.hasRemaining()) {
                out.write(b);
              }
            } catch (IOException e) {
              failure = e;
            }
          }
          free.put(b);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void deleteAll() {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit: the folder is owner-only and under the temp directory
    }
  }
}
