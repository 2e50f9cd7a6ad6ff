package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hashing a model while it is written ({@link WrittenBytes}), and the parallel hashing of one file's shards that
 * {@code verify-model} relies on: the digests are the sequential ones, and no byte is read before it is written.
 */
class WrittenBytesHashTest {
  private static final int SIZE = 3 * 1024 * 1024 + 12_345;
  private static final long SHARD = 512 * 1024;

  @TempDir Path dir;

  private static byte[] content() {
    byte[] b = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      b[i] = (byte) (i * 131 + (i >>> 13));
    }
    return b;
  }

  /** Writes {@code b} into the already full-sized {@code file} in 100 KiB steps, publishing each step. */
  private static final class Writer extends Thread implements WrittenBytes {
    private final Path file;
    private final byte[] b;
    private final int stopAt;
    private long done;
    private boolean ended;

    Writer(Path file, byte[] b, int stopAt) {
      this.file = file;
      this.b = b;
      this.stopAt = stopAt;
    }

    @Override
    public void run() {
      try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
        for (int pos = 0; pos < stopAt; pos += 100 * 1024) {
          int n = Math.min(100 * 1024, stopAt - pos);
          out.seek(pos);
          out.write(b, pos, n);
          publish(pos + n, false);
          Thread.sleep(1);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        publish(done, true);
      }
    }

    private synchronized void publish(long n, boolean end) {
      done = n;
      ended = end;
      notifyAll();
    }

    @Override
    public synchronized long awaitBeyond(String name, long offset) throws InterruptedException {
      while (done <= offset && !ended) {
        wait();
      }
      return done;
    }
  }

  private Path fullSizedEmptyFile() throws IOException {
    Path f = dir.resolve("weights.bin");
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(SIZE); // zeros until written: a read ahead of the writer would change the digests
    }
    return f;
  }

  @Test
  void compute_shardsWhileWritten_equalsTheSequentialDigests() throws Exception {
    byte[] b = content();
    Path f = fullSizedEmptyFile();
    Writer w = new Writer(f, b, SIZE);
    w.start();

    ModelManifest whileWritten = ModelManifest.compute(f, ModelHashing.shards(SHARD).threads(4).build(),
        ProgressListener.NONE, w);
    w.join();
    ModelManifest sequential = ModelManifest.compute(f, ModelHashing.shards(SHARD).threads(1).build(),
        ProgressListener.NONE);

    assertEquals(7, whileWritten.entries().size());
    assertEquals(sequential.entries(), whileWritten.entries());
    assertEquals(".:3145728:3158073", whileWritten.entries().get(6).name());
  }

  @Test
  void compute_filesMethodWhileWritten_equalsTheSha256OfTheFile() throws Exception {
    byte[] b = content();
    Path f = fullSizedEmptyFile();
    Writer w = new Writer(f, b, SIZE);
    w.start();

    ModelManifest m = ModelManifest.compute(f, ModelHashing.files().build(), ProgressListener.NONE, w);

    assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(b), m.entries().get(0).digest());
  }

  @Test
  void compute_writingEndsShort_throwsFileChanged() throws Exception {
    Path f = fullSizedEmptyFile();
    Writer w = new Writer(f, content(), SIZE - 1000);
    w.start();

    IOException e = assertThrows(IOException.class, () -> ModelManifest.compute(f,
        ModelHashing.shards(SHARD).threads(2).build(), ProgressListener.NONE, w));
    assertEquals("file changed while hashing: . is no longer " + SIZE + " bytes", e.getMessage());
  }

  /** verify-model's hashing: two shards of ONE file are hashed at the same time, on two threads. */
  @Test
  void hash_oneFileInShardsOnTwoThreads_hashesTwoShardsAtOnce() throws Exception {
    Path f = Files.write(dir.resolve("one.bin"), content());
    CountDownLatch both = new CountDownLatch(2);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    WrittenBytes gate = new WrittenBytes() {
      @Override
      public long awaitBeyond(String name, long offset) throws InterruptedException {
        if (offset == 0 || offset == SHARD) {
          threads.add(Thread.currentThread().getName());
          both.countDown();
          // each of the first two shards waits here until the other one has started: only two threads get past
          assertTrue(both.await(10, TimeUnit.SECONDS), "the second shard did not start while the first waited");
        }
        return SIZE;
      }
    };

    List<ModelManifest.Entry> entries = ManifestHasher.hash(
        List.of(new ModelWalker.FileRef(".", f, SIZE)), ModelHashing.shards(SHARD).threads(2).build(),
        ProgressListener.NONE, new AtomicBoolean(), gate);

    assertEquals(2, threads.size(), threads.toString());
    assertEquals(ModelManifest.compute(f, ModelHashing.shards(SHARD).threads(1).build(), ProgressListener.NONE)
        .entries(), entries);
  }
}
