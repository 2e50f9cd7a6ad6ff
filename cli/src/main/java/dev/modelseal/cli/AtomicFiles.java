package dev.modelseal.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes output files so that nothing is ever half-written: the content goes to a temporary file in
 * the target's directory, is flushed to disk and given its final permissions, and only then is
 * renamed (or, when overwriting is not allowed, hard-linked) onto the target.
 */
final class AtomicFiles {
  /** {@code rw-------}, for private keys. */
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  /** {@code rw-r--r--}, for public keys, signatures and bundles. */
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /** Writes {@code data} to {@code target} in one step, replacing an existing file. */
  static void write(Path target, String display, byte[] data, Set<PosixFilePermission> perms)
      throws CliException {
    try (Pending p = prepare(target, display, data, perms)) {
      p.commit(true);
    }
  }

  /** Writes {@code data} to a hidden temporary file next to {@code target}; see {@link Pending#commit}. */
  static Pending prepare(Path target, String display, byte[] data, Set<PosixFilePermission> perms)
      throws CliException {
    if (Files.isDirectory(target)) {
      throw new CliException("cannot write " + display + ": is a directory");
    }
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
      temp = posix
          ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
              PosixFilePermissions.asFileAttribute(PRIVATE))
          : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (posix) {
        Files.setPosixFilePermissions(temp, perms);
      }
      return new Pending(target, display, temp);
    } catch (IOException e) {
      deleteQuietly(temp);
      String why = Files.isDirectory(dir) ? Inputs.reason(e) : "no such directory";
      throw new CliException("cannot write " + display + ": " + why, e);
    }
  }

  static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // best effort: a leftover hidden temp file is harmless
      }
    }
  }

  /** A fully written temporary file waiting to become {@code target}; closing discards it. */
  static final class Pending implements AutoCloseable {
    private final Path target;
    private final String display;
    private final Path temp;
    private boolean committed;

    private Pending(Path target, String display, Path temp) {
      this.target = target;
      this.display = display;
      this.temp = temp;
    }

    /**
     * Makes the file visible under its final name.
     *
     * @param overwrite replace an existing file; if false, an existing file is an error and is
     *     left untouched (checked atomically where the file system supports hard links)
     */
    void commit(boolean overwrite) throws CliException {
      try {
        if (overwrite) {
          try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } else {
          try {
            Files.createLink(target, temp);
            Files.delete(temp);
          } catch (FileAlreadyExistsException e) {
            throw exists();
          } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              throw exists();
            }
            Files.move(temp, target);
          }
        }
        committed = true;
      } catch (IOException e) {
        throw new CliException("cannot write " + display + ": " + Inputs.reason(e), e);
      }
    }

    private CliException exists() {
      return new CliException(display + " already exists (use --force to overwrite)");
    }

    /** Removes the committed file again (used to undo half of a key pair). */
    void rollback() {
      if (committed) {
        deleteQuietly(target);
      }
    }

    @Override
    public void close() {
      if (!committed) {
        deleteQuietly(temp);
      }
    }
  }
}
