package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The pin roots, one per JVM: {@code modelseal-pins-<pid>-<random>}, owner-only, holding a lock file
 * {@code .lock} that the JVM keeps locked ({@link FileChannel#tryLock()}) while it lives. The lock is the
 * proof of life; the pid in the name is for people. A root whose lock anyone can take belongs to a JVM
 * that is gone (killed before its exit hook could delete it) and is removed by the next agent that starts
 * beside it ({@link #removeStale}).
 */
final class PinRoots {
  static final String PREFIX = "modelseal-pins-";
  static final String LOCK = ".lock";
  /** The lock file's name until it is locked: the cleanup never opens it. */
  private static final String NEW_LOCK = ".lock-new";

  private PinRoots() {}

  /** A root this JVM created, and the lock it holds on it until it exits. */
  static final class Root {
    final Path dir;
    // Kept reachable: the lock lives as long as its channel is open.
    private final FileChannel lockChannel;

    Root(Path dir, FileChannel lockChannel) {
      this.dir = dir;
      this.lockChannel = lockChannel;
    }

    /** Deletes the root and releases its lock: at exit. */
    void delete() {
      deleteTree(dir);
      try {
        lockChannel.close();
      } catch (IOException e) {
        // the JVM is exiting: the lock goes with it
      }
    }
  }

  /**
   * Creates this JVM's root under {@code parent} and locks it. On a file system without locks the root
   * gets no {@code .lock}, so no later start ever judges it stale; the exit hook still deletes it.
   */
  static Root create(Path parent) throws IOException {
    Path dir = Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toRealPath();
    // Locked under another name, then renamed: a .lock is never seen unlocked while its JVM lives.
    Path fresh = dir.resolve(NEW_LOCK);
    FileChannel channel = FileChannel.open(fresh, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    boolean locked = false;
    try {
      locked = channel.tryLock() != null;
    } catch (IOException e) {
      // a file system without locks: the root works, but no later start can tell it is stale
    }
    if (locked) {
      Files.move(fresh, dir.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
    } else {
      channel.close();
      Files.delete(fresh);
    }
    return new Root(dir, channel);
  }

  /**
   * Removes the roots under {@code parent} left by JVMs that are gone: directories (not links) named
   * {@code modelseal-pins-<pid>-<number>}, owned by the owner of {@code own}, with a {@code .lock} that
   * nobody holds. Links inside them are deleted, never followed. Anything else is left alone, as is
   * whatever cannot be deleted.
   *
   * @return the number of roots removed
   */
  static int removeStale(Path parent, Root own) {
    int removed = 0;
    try {
      // Names as strings, a Path only for a name with the prefix: a shared temp folder can hold thousands of
      // entries (every JVM's native-library folders), and a glob filter would build and match a Path for each.
      String[] names = parent.toFile().list();
      if (names == null) {
        return 0; // not a listable folder: stale roots stay for the next start
      }
      UserPrincipal owner = Files.getOwner(own.dir, LinkOption.NOFOLLOW_LINKS);
      String ownPid = Long.toString(ProcessHandle.current().pid());
      String ownName = own.dir.getFileName().toString();
      for (String name : names) {
        String pid = pidOf(name);
        if (pid == null || pid.equals(ownPid) || name.equals(ownName)) {
          continue;
        }
        try {
          if (removeIfStale(parent.resolve(name), owner)) {
            removed++;
          }
        } catch (IOException | InvalidPathException e) {
          // not a root we can judge (no lock file, gone meanwhile, not ours): left alone
        }
      }
    } catch (IOException | UncheckedIOException | SecurityException e) {
      // best effort: stale roots stay for the next start
    }
    return removed;
  }

  /** The pid of a name {@code modelseal-pins-<pid>-<number>}, or null for any other name. */
  static String pidOf(String name) {
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    String rest = name.substring(PREFIX.length());
    int dash = rest.indexOf('-');
    if (dash <= 0 || dash == rest.length() - 1 || !digits(rest, 0, dash) || !digits(rest, dash + 1, rest.length())) {
      return null;
    }
    return rest.substring(0, dash);
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return to - from <= 20;
  }

  private static boolean removeIfStale(Path root, UserPrincipal owner) throws IOException {
    PosixFileAttributes a = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory() || !owner.equals(a.owner())) {
      return false;
    }
    Path lock = root.resolve(LOCK);
    if (!Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock held;
      try {
        held = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return false; // held by this JVM
      }
      if (held == null) {
        return false; // held by a live JVM
      }
      deleteTree(root);
      return true;
    }
  }

  /** Deletes {@code dir} and everything in it, without following links; what cannot be deleted stays. */
  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<Path>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) {
          delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort: the folder is owner-only; what is left is removed at exit or by the next start
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort, as above
    }
  }
}
