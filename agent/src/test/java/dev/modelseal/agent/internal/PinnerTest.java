package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pin roots: named and locked per JVM, stale ones removed at start, refused loads' folders removed at once. */
class PinnerTest {
  /** A pid no live process has here (above the kernel's pid_max limit of 2^22). */
  private static final String GONE_PID = "4194399";

  @TempDir Path tmp;

  private Path parent() throws Exception {
    return Files.createDirectories(tmp.resolve("pins")).toRealPath();
  }

  /** A root as a JVM now gone left it: a locked-by-nobody .lock and a pinned model. */
  private static Path staleRoot(Path parent, String name) throws Exception {
    Path root = Files.createDirectory(parent.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createFile(root.resolve(PinRoots.LOCK));
    Path model = Files.write(Files.createDirectories(root.resolve("1")).resolve("model.onnx"), new byte[] {1, 2});
    Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("r--------"));
    return root;
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void prepare_staleRootOfGoneJvm_removed() throws Exception {
    Path parent = parent();
    Path stale = staleRoot(parent, "modelseal-pins-" + GONE_PID + "-123");

    Pinner.create(parent).prepare();

    assertFalse(Files.exists(stale));
  }

  @Test
  void prepare_staleRootWithLinkOutside_linkDeletedTargetKept() throws Exception {
    Path parent = parent();
    Path stale = staleRoot(parent, "modelseal-pins-" + GONE_PID + "-124");
    Path outside = Files.write(tmp.resolve("precious.txt"), new byte[] {9});
    Files.createSymbolicLink(stale.resolve("1/link"), outside);
    Files.createSymbolicLink(stale.resolve("dirlink"), tmp);

    Pinner.create(parent).prepare();

    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(outside));
  }

  @Test
  void prepare_rootWhoseLockIsHeld_kept() throws Exception {
    Path parent = parent();
    Path live = staleRoot(parent, "modelseal-pins-" + GONE_PID + "-125");
    try (FileChannel c = FileChannel.open(live.resolve(PinRoots.LOCK), StandardOpenOption.WRITE);
        FileLock lock = c.lock()) {
      Pinner.create(parent).prepare();
    }

    assertTrue(Files.exists(live.resolve("1/model.onnx")));
  }

  @Test
  void prepare_rootWithoutLockFile_kept() throws Exception {
    Path parent = parent();
    Path root = staleRoot(parent, "modelseal-pins-" + GONE_PID + "-126");
    Files.delete(root.resolve(PinRoots.LOCK));

    Pinner.create(parent).prepare();

    assertTrue(Files.exists(root.resolve("1/model.onnx")));
  }

  @Test
  void prepare_namesAndTypesNotOurs_leftAlone() throws Exception {
    Path parent = parent();
    staleRoot(parent, "modelseal-pins-abc");
    staleRoot(parent, "modelseal-pins-12-34x");
    staleRoot(parent, "other-" + GONE_PID + "-1");
    Path target = staleRoot(tmp, "elsewhere");
    Files.createSymbolicLink(parent.resolve("modelseal-pins-" + GONE_PID + "-127"), target);
    Files.write(parent.resolve("modelseal-pins-" + GONE_PID + "-128"), new byte[] {1});

    Pinner p = Pinner.create(parent);
    p.prepare();

    assertTrue(Files.exists(target.resolve("1/model.onnx")));
    List<String> left = names(parent);
    assertEquals(6, left.size(), left::toString);
    assertTrue(left.containsAll(List.of("modelseal-pins-abc", "modelseal-pins-12-34x", "other-" + GONE_PID + "-1",
        "modelseal-pins-" + GONE_PID + "-127", "modelseal-pins-" + GONE_PID + "-128")), left::toString);
  }

  @Test
  void removeStale_parentNotAFolder_removesNothing() throws Exception {
    PinRoots.Root own = PinRoots.create(parent());
    Path file = Files.write(tmp.resolve("plain-file"), new byte[] {1});

    assertEquals(0, PinRoots.removeStale(file, own));
    assertEquals(0, PinRoots.removeStale(tmp.resolve("missing"), own));
    own.delete();
  }

  @Test
  void newPinFolder_firstUse_rootNamedByThisProcessAndLocked() throws Exception {
    Path parent = parent();

    Path folder = Pinner.create(parent).newPinFolder();

    Path root = folder.getParent();
    assertEquals(parent, root.getParent());
    assertEquals(Long.toString(ProcessHandle.current().pid()), PinRoots.pidOf(root.getFileName().toString()));
    assertEquals(List.of(PinRoots.LOCK, "1"), names(root));
    try (FileChannel c = FileChannel.open(root.resolve(PinRoots.LOCK), StandardOpenOption.WRITE)) {
      assertThrows(java.nio.channels.OverlappingFileLockException.class, c::tryLock);
    }
  }

  @Test
  void discard_pinFolderOfRefusedLoad_deletedRootKept() throws Exception {
    Pinner p = Pinner.create(parent());
    Path folder = p.newPinFolder();
    Path copy = Files.write(folder.resolve("model.onnx"), new byte[] {1});
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--------"));

    p.discard(folder);

    assertFalse(Files.exists(folder));
    assertEquals(List.of(PinRoots.LOCK), names(folder.getParent()));
  }

  @Test
  void discard_folderNotMadeByThePinner_untouched() throws Exception {
    Pinner p = Pinner.create(parent());
    p.newPinFolder();
    Path other = Files.createDirectories(tmp.resolve("models/1"));

    p.discard(other);

    assertTrue(Files.exists(other));
  }

  @Test
  void copyAndHash_fifoInPlaceOfModel_refusedWithoutBlocking() throws Exception {
    Pinner p = Pinner.create(parent());
    Path fifo = RegularFilesTest.mkfifo(tmp.resolve("model.onnx"));
    Path target = p.newPinFolder().resolve("model.onnx");

    FileSystemException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
        FileSystemException.class, () -> p.copyAndHash(fifo, target, Set.of("SHA-256"))));

    assertEquals(fifo + ": not a regular file", e.getMessage());
  }

  @Test
  void copy_fifoInPlaceOfModel_refusedWithoutBlocking() throws Exception {
    Pinner p = Pinner.create(parent());
    Path fifo = RegularFilesTest.mkfifo(tmp.resolve("model.onnx"));
    Path target = p.newPinFolder().resolve("model.onnx");

    FileSystemException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
        FileSystemException.class, () -> p.copy(fifo, target)));

    assertEquals(fifo + ": not a regular file", e.getMessage());
  }

  private void assertCopiedAndHashed(int size) throws Exception {
    byte[] bytes = new byte[size];
    new java.util.Random(size).nextBytes(bytes);
    Path source = Files.write(tmp.resolve("model.onnx"), bytes);
    Pinner p = Pinner.create(parent());
    Path target = p.newPinFolder().resolve("model.onnx");

    java.util.Map<String, byte[]> digests = p.copyAndHash(source, target, Set.of("SHA-256"));

    org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, Files.readAllBytes(target));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        java.security.MessageDigest.getInstance("SHA-256").digest(bytes), digests.get("SHA-256"));
    assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  @Test
  void copyAndHash_smallFile_copyHoldsTheBytesItsDigestNames() throws Exception {
    assertCopiedAndHashed(Pinner.SMALL_FILE);
  }

  @Test
  void copyAndHash_fileOverTheSmallSize_copyHoldsTheBytesItsDigestNames() throws Exception {
    assertCopiedAndHashed(Pinner.SMALL_FILE + 1);
  }

  @Test
  void copyAndHash_emptyFile_emptyCopyAndTheEmptyDigest() throws Exception {
    assertCopiedAndHashed(0);
  }
}
