package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening model files never blocks the loading thread on a FIFO: a FIFO in place of the model, one swapped in
 * after the path was checked (the open step called directly), and one whose writer releases the open.
 */
class RegularFilesTest {
  private static final Duration NEVER_HANGS = Duration.ofSeconds(10);

  @TempDir Path tmp;

  static Path mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor());
    return p;
  }

  /** True while a helper thread is still inside an open (its pool keeps it, idle, after the open completes). */
  private static boolean openerBlocked() {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().equals("modelseal-open") && e.getKey().isAlive()) {
        for (StackTraceElement frame : e.getValue()) {
          if (frame.getClassName().equals("java.nio.channels.FileChannel") && frame.getMethodName().equals("open")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void openForReading_fifo_refusedAsNotRegular() throws Exception {
    Path fifo = mkfifo(tmp.resolve("model.onnx"));

    FileSystemException e = assertTimeoutPreemptively(NEVER_HANGS,
        () -> assertThrows(FileSystemException.class, () -> RegularFiles.openForReading(fifo)));

    assertEquals(fifo + ": not a regular file", e.getMessage());
  }

  @Test
  void openChecked_fifoSwappedInWithoutWriter_refusedAfterTheBoundAndOpenerReleased() throws Exception {
    Path fifo = mkfifo(tmp.resolve("model.onnx"));

    FileSystemException e = assertTimeoutPreemptively(NEVER_HANGS,
        () -> assertThrows(FileSystemException.class, () -> RegularFiles.openChecked(fifo, 200)));

    assertEquals(fifo + ": not a regular file (its open did not complete within 200 ms: a FIFO or device)",
        e.getMessage());
    long deadline = System.nanoTime() + NEVER_HANGS.toNanos();
    while (openerBlocked() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(!openerBlocked(), "the opener thread is still blocked on the FIFO");
  }

  @Test
  void openChecked_fifoSwappedInWhoseWriterReleasesTheOpen_refusedOnTheOpenedHandle() throws Exception {
    Path fifo = mkfifo(tmp.resolve("model.onnx"));
    CountDownLatch done = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try (FileChannel w = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
        done.await(); // open and silent: a read would block forever
      } catch (Exception ignored) {
        // the test is over
      }
    });
    writer.start();
    try {
      FileSystemException e = assertTimeoutPreemptively(NEVER_HANGS,
          () -> assertThrows(FileSystemException.class, () -> RegularFiles.openChecked(fifo, 5_000)));

      assertEquals(fifo + ": not a regular file (the opened file has no position: a FIFO or socket)", e.getMessage());
    } finally {
      done.countDown();
      writer.join();
    }
  }

  @Test
  void openForReading_regularFile_readsItsBytes() throws Exception {
    Path file = Files.write(tmp.resolve("model.onnx"), new byte[] {1, 2, 3});

    try (FileChannel c = RegularFiles.openForReading(file)) {
      ByteBuffer b = ByteBuffer.allocate(8);
      c.read(b);
      assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(b.array(), b.position()));
    }
  }

  @Test
  void openForReading_symbolicLinkToRegularFile_refusedAsNotRegular() throws Exception {
    Path file = Files.write(tmp.resolve("real.onnx"), new byte[] {1});
    Path link = Files.createSymbolicLink(tmp.resolve("model.onnx"), file);

    FileSystemException e = assertThrows(FileSystemException.class, () -> RegularFiles.openForReading(link));

    assertEquals(link + ": not a regular file", e.getMessage());
  }
}
