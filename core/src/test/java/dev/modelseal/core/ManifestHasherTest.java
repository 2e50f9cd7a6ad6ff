package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestHasherTest {
  @TempDir
  Path dir;

  private Path write(String name, int size) throws IOException {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + name.length());
    }
    return Files.write(dir.resolve(name), b);
  }

  private static ModelWalker.FileRef ref(Path p, long size) {
    return new ModelWalker.FileRef(p.getFileName().toString(), p, size);
  }

  @Test
  void hash_manyFilesOnTwoThreads_matchesSha256OfEachInOrder() throws Exception {
    List<ModelWalker.FileRef> refs = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Path p = write("f" + i, 100_000 * i + 7);
      refs.add(ref(p, Files.size(p)));
    }
    List<ModelManifest.Entry> entries =
        ManifestHasher.hash(refs, ModelHashing.files().threads(2).build(), ProgressListener.NONE, new AtomicBoolean());
    for (int i = 0; i < 9; i++) {
      assertEquals("f" + i, entries.get(i).name());
      assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(refs.get(i).path())),
          entries.get(i).digest());
    }
  }

  @Test
  void hash_fileGrewAfterTheWalk_throwsFileChanged() throws Exception {
    Path p = write("grown", 1000);
    IOException e = assertThrows(IOException.class, () -> ManifestHasher.hash(List.of(ref(p, 999)),
        ModelHashing.files().build(), ProgressListener.NONE, new AtomicBoolean()));
    assertEquals("file changed while hashing: grown is no longer 999 bytes", e.getMessage());
  }

  @Test
  void hash_fileShrankAfterTheWalk_throwsFileChanged() throws Exception {
    Path p = write("shrunk", 1000);
    IOException e = assertThrows(IOException.class, () -> ManifestHasher.hash(List.of(ref(p, 1001)),
        ModelHashing.files().build(), ProgressListener.NONE, new AtomicBoolean()));
    assertEquals("file changed while hashing: shrunk is no longer 1001 bytes", e.getMessage());
  }

  @Test
  void hash_twoFilesGone_reportsTheFirstInModelOrder() throws Exception {
    Path a = dir.resolve("a-gone");
    Path b = dir.resolve("b-gone");
    Path c = write("c", 10);
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ManifestHasher.hash(
        List.of(ref(a, 5), ref(b, 5), ref(c, 10)), ModelHashing.files().threads(2).build(), ProgressListener.NONE, new AtomicBoolean()));
    assertEquals(a.toString(), e.getFile());
  }

  @Test
  void hash_cancelledBeforeStart_throwsWithoutReadingOrReporting() throws Exception {
    Path p = write("m", 1000);
    AtomicInteger calls = new AtomicInteger();

    InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> ManifestHasher.hash(
        List.of(ref(p, 1000)), ModelHashing.files().build(), (done, total) -> calls.incrementAndGet(),
        new AtomicBoolean(true)));

    assertEquals("hashing cancelled", e.getMessage());
    assertEquals(0, calls.get());
  }

  @Test
  void hash_cancelledDuringAFile_stopsWithinOneBuffer() throws Exception {
    Path p = write("big", 40 << 20); // progress is reported every 8 MiB
    AtomicBoolean cancel = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    ProgressListener cancelAtFirstReport = (done, total) -> {
      calls.incrementAndGet();
      cancel.set(true);
    };

    InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> ManifestHasher.hash(
        List.of(ref(p, 40 << 20)), ModelHashing.files().threads(1).build(), cancelAtFirstReport, cancel));

    assertEquals("hashing cancelled", e.getMessage());
    assertEquals(1, calls.get()); // stopped before the 16 MiB report
  }

  @Test
  void hash_callerInterruptedWhileWaiting_throwsAndStopsTheWorkers() throws Exception {
    Path a = write("a", 64 << 20);
    Path b = write("b", 64 << 20); // 16 progress reports (every 8 MiB) if both are hashed to the end
    Thread caller = Thread.currentThread();
    AtomicBoolean cancel = new AtomicBoolean();
    AtomicInteger reports = new AtomicInteger();
    AtomicBoolean interrupted = new AtomicBoolean();
    ProgressListener interruptFromTheWorker = (done, total) -> {
      reports.incrementAndGet();
      if (Thread.currentThread() != caller && interrupted.compareAndSet(false, true)) {
        caller.interrupt();
        try {
          Thread.sleep(500); // keeps the worker busy until the caller waits for it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };

    IOException e = assertThrows(IOException.class, () -> ManifestHasher.hash(
        List.of(ref(a, 64 << 20), ref(b, 64 << 20)), ModelHashing.files().threads(2).build(),
        interruptFromTheWorker, cancel));
    boolean interruptKept = Thread.interrupted();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("modelseal-hash")) {
        t.join(10_000);
      }
    }

    assertEquals("interrupted while hashing the model", e.getMessage());
    assertTrue(interruptKept);
    assertTrue(cancel.get());
    assertTrue(reports.get() < 16, "the worker went on to the end: " + reports.get() + " reports");
  }
}
