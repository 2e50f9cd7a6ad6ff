package dev.modelseal.agent.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the private copies that runtimes load instead of the originals ("pin=copy"). The copy is
 * written while the original is hashed, from the same buffers, so the bytes that were verified are
 * exactly the bytes in the copy. Copies live under an owner-only ({@code 0700}) root of this JVM
 * ({@link PinRoots}), are read-only ({@code 0400}) once written, and are deleted when the JVM exits; the
 * folder of a refused load is deleted at once ({@link #discard}), and roots of JVMs that are gone are
 * removed when the pin folder is prepared. Originals are opened with {@link RegularFiles}: never a
 * FIFO or device, and never blocking the loading thread.
 */
final class Pinner {
  private static final long COPY_CHUNK = 16L << 20;
  private static final int HASH_BUFFER = 64 * 1024;
  /** Files up to this size are copied and hashed on the calling thread ({@link #copySmall}). */
  static final int SMALL_FILE = 256 * 1024;

  private final Path parent;
  private final UsableSpace space;
  private final AtomicLong counter = new AtomicLong();
  private volatile Path root;
  private volatile PinRoots.Root pinRoot;

  private Pinner(Path parent, UsableSpace space) {
    this.parent = parent;
    this.space = space;
  }

  /**
   * Prepares pinning under {@code dir} (or the system temp directory). The owner-only pin folder is
   * created on first use, not here: creating a temp folder seeds a {@code SecureRandom}, which
   * starts the JCA providers, a cost start-up should not pay.
   */
  static Pinner create(Path dir) throws IOException {
    return create(dir, UsableSpace.fileStore());
  }

  /** {@link #create(Path)}, with the free space of copies measured by {@code space}. */
  static Pinner create(Path dir, UsableSpace space) throws IOException {
    Path parent = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(parent);
    if (!Files.isWritable(parent)) {
      throw new IOException("pin directory " + parent + " is not writable");
    }
    return new Pinner(parent.toRealPath(), space);
  }

  /**
   * Creates the pin folder now (from a background thread), so the first model load does not wait for
   * it, then removes the roots that JVMs now gone left beside it.
   */
  void prepare() throws IOException {
    root();
    PinRoots.removeStale(parent, pinRoot);
  }

  private Path root() throws IOException {
    Path r = root;
    if (r == null) {
      synchronized (this) {
        r = root;
        if (r == null) {
          PinRoots.Root created = PinRoots.create(parent);
          Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
            @Override
            public void run() {
              created.delete();
            }
          }, "modelseal-pin-cleanup"));
          pinRoot = created;
          r = created.dir;
          root = r;
        }
      }
    }
    return r;
  }

  /** The pin directory (the {@code pin-dir} setting, or the system temp directory), as a real path. */
  Path pinDirectory() {
    return parent;
  }

  /** The pin root of this JVM, created if need be. */
  Path pinRoot() throws IOException {
    return root();
  }

  /**
   * Refuses a copy of {@code source} that does not fit in the pin root's file system, before anything is written.
   *
   * @throws NoRoomForCopy naming the size, the free space and the pin directory
   */
  void requireRoom(Path source, String shownName) throws IOException {
    requireRoom(Files.readAttributes(source, java.nio.file.attribute.BasicFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS).size(), shownName);
  }

  /** As {@link #requireRoom(Path, String)}, for {@code size} bytes to be copied (the files of a directory together). */
  void requireRoom(long size, String shownName) throws IOException {
    long free = space.bytes(root());
    if (size > free) {
      throw new NoRoomForCopy(shownName, size, free, parent);
    }
  }

  /** Returns true if the (absolute, normalized) path lies inside a pinned copy this agent made. */
  boolean isPinned(Path absolute) {
    Path r = root;
    return r != null && absolute.startsWith(r) && !absolute.equals(r);
  }

  /**
   * Returns true if {@code absolute} is an in-place pin this agent made ({@link InPlacePins}): a symbolic link in its
   * pin root to one of this JVM's {@code /proc/<pid>/fd/N}. Only the agent writes in its owner-only pin root.
   */
  boolean isInPlacePin(Path absolute) {
    try {
      return isPinned(absolute) && Files.isSymbolicLink(absolute) && Files.readSymbolicLink(absolute).toString()
          .startsWith("/proc/" + ProcessHandle.current().pid() + "/fd/");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Creates a new empty owner-only folder for one pinned model. */
  Path newPinFolder() throws IOException {
    return Files.createDirectory(root().resolve(Long.toString(counter.incrementAndGet())),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * Deletes the pin folder of a refused load and everything in it (links are deleted, not followed).
   * Only a folder {@link #newPinFolder} made is touched; what cannot be deleted goes at exit.
   */
  void discard(Path folder) {
    Path r = root;
    if (r != null && folder.getParent() != null && folder.getParent().equals(r)) {
      PinRoots.deleteTree(folder);
    }
  }

  /** Deletes the pin folder that holds {@code pinned} (a path a verification returned), as {@link #discard}. */
  void discardPinOf(Path pinned) {
    Path r = root;
    for (Path p = pinned; r != null && p != null; p = p.getParent()) {
      if (r.equals(p.getParent())) {
        discard(p);
        return;
      }
    }
  }

  /**
   * Copies {@code source} to {@code target} (which must not exist) and computes the digests of the
   * copy: the kernel copies in large chunks on a helper thread while this thread hashes the chunks
   * already copied. Hashing the private copy, not the original, is what makes the verified bytes and
   * the loaded bytes the same, whatever happens to the original meanwhile. Symbolic links are never
   * followed. The copy is made read-only.
   *
   * @return JCA digest name to digest of exactly the bytes in the copy
   */
  Map<String, byte[]> copyAndHash(Path source, Path target, Set<String> algorithms) throws IOException {
    requireRoom(source, source.getFileName().toString());
    MessageDigest[] mds = digests(algorithms);
    Files.createDirectories(target.getParent());
    long size = Files.readAttributes(source, java.nio.file.attribute.BasicFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS).size();
    if (size <= SMALL_FILE) {
      return copySmall(source, size, target, mds, algorithms);
    }
    try (FileChannel in = RegularFiles.openForReading(source);
        FileChannel out = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // FileInputStream, not a channel stream: one native read per buffer and little Java on
        // the hot path, which matters while the JVM is still cold. The target is this agent's own
        // new file in its owner-only folder.
        InputStream copy = new FileInputStream(target.toFile())) {
      Copier copier = new Copier(in, out);
      Thread t = new Thread(copier, "modelseal-pin-copier");
      t.setDaemon(true);
      t.start();
      byte[] buf = new byte[HASH_BUFFER];
      long hashed = 0;
      try {
        while (true) {
          long available = copier.awaitBeyond(hashed);
          if (available <= hashed) {
            break;
          }
          while (hashed < available) {
            int n = copy.read(buf, 0, (int) Math.min(buf.length, available - hashed));
            if (n <= 0) {
              throw new IOException("pinned copy of " + source + " ended early");
            }
            for (MessageDigest md : mds) {
              md.update(buf, 0, n);
            }
            hashed += n;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while pinning " + source);
      } finally {
        copier.stop = true;
      }
      if (copier.failure != null) {
        throw copier.failure;
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

  /**
   * Copies {@code source} to {@code target} (which must not exist) with the kernel, without
   * following links, and makes the copy read-only. The caller hashes the copy afterwards.
   */
  void copy(Path source, Path target) throws IOException {
    requireRoom(source, source.getFileName().toString());
    Files.createDirectories(target.getParent());
    try (FileChannel in = RegularFiles.openForReading(source);
        FileChannel out = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      long pos = 0;
      long n;
      while ((n = in.transferTo(pos, COPY_CHUNK, out)) > 0) {
        pos += n;
      }
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
  }

  /**
   * Makes a file this agent placed in a pin folder (a clone) read-only and hashes it: what is verified is what the
   * runtime will read.
   */
  /**
   * {@link #copyAndHash} for a small file, on this thread: read once into memory (a file that grows by more than
   * 64 KiB while it is read is refused), written to the new copy, and those same bytes hashed. A helper
   * thread and a second read cost more than the copy of a few kilobytes.
   */
  private Map<String, byte[]> copySmall(Path source, long size, Path target, MessageDigest[] mds,
      Set<String> algorithms) throws IOException {
    byte[] bytes = new byte[(int) Math.min(2L * SMALL_FILE, size + 64 * 1024) + 1];
    int n;
    try (FileChannel in = RegularFiles.openForReading(source)) {
      ByteBuffer into = ByteBuffer.wrap(bytes);
      while (into.hasRemaining() && in.read(into) >= 0) {
        // until the end of the file, or one byte past what a small file may have grown to
      }
      n = into.position();
    }
    if (n == bytes.length) {
      throw new IOException(source + " grew while it was pinned");
    }
    try (FileChannel out = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer from = ByteBuffer.wrap(bytes, 0, n);
      while (from.hasRemaining()) {
        out.write(from);
      }
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
    Map<String, byte[]> result = new LinkedHashMap<>();
    int i = 0;
    for (String a : algorithms) {
      mds[i].update(bytes, 0, n);
      result.put(a, mds[i++].digest());
    }
    return result;
  }

  Map<String, byte[]> hashPinned(Path pinned, Set<String> algorithms) throws IOException {
    Files.setPosixFilePermissions(pinned, PosixFilePermissions.fromString("r--------"));
    MessageDigest[] mds = digests(algorithms);
    try (InputStream in = java.nio.channels.Channels.newInputStream(RegularFiles.openForReading(pinned))) {
      byte[] buf = new byte[HASH_BUFFER * 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (MessageDigest md : mds) {
          md.update(buf, 0, n);
        }
      }
    }
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

  /** Copies the file in kernel-side chunks and publishes how far it has got. */
  private static final class Copier implements Runnable {
    private final FileChannel in;
    private final FileChannel out;
    private long copied;
    private boolean done;
    volatile boolean stop;
    volatile IOException failure;

    Copier(FileChannel in, FileChannel out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public void run() {
      long pos = 0;
      try {
        while (!stop) {
          long n = in.transferTo(pos, COPY_CHUNK, out);
          if (n <= 0) {
            break;
          }
          pos += n;
          publish(pos, false);
        }
      } catch (IOException e) {
        failure = e;
      } finally {
        publish(pos, true);
      }
    }

    private synchronized void publish(long pos, boolean finished) {
      copied = pos;
      done = finished;
      notifyAll();
    }

    /** Waits until more than {@code hashed} bytes are copied or the copy ended; returns the copied count. */
    synchronized long awaitBeyond(long hashed) throws InterruptedException {
      while (copied <= hashed && !done) {
        wait();
      }
      return copied;
    }
  }
}
