package dev.modelseal.core;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Hashes the files of a model into manifest entries on a fixed pool of worker threads: one task per
 * file ({@code files}) or per shard ({@code shards}). Each task streams through a buffer of at most
 * {@link StreamingDigest#BUFFER_BYTES}, so memory is bounded by threads x buffer whatever the model size.
 */
final class ManifestHasher {
  private static final int PROGRESS_SHIFT = 23; // report every 8 MiB

  private record Task(ModelWalker.FileRef file, long start, long end) {}

  private ManifestHasher() {}

  /** Ends a task whose run was cancelled from outside; never recorded as a failure. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("hashing cancelled", null, false, false);
    }
  }

  /** The shared state of one hashing run: tasks handed out by index, results and failures by index. */
  private static final class Batch {
    final List<Task> tasks;
    final ModelHashing hashing;
    final ProgressListener progress;
    final AtomicBoolean cancel;
    final WrittenBytes written;
    final long total;
    final AtomicLong done = new AtomicLong();
    final AtomicInteger next = new AtomicInteger();
    final byte[][] digests;
    final Throwable[] failures;
    volatile boolean failed;

    Batch(List<Task> tasks, ModelHashing hashing, ProgressListener progress, AtomicBoolean cancel,
        WrittenBytes written, long total) {
      this.tasks = tasks;
      this.written = written;
      this.hashing = hashing;
      this.progress = progress;
      this.cancel = cancel;
      this.total = total;
      this.digests = new byte[tasks.size()][];
      this.failures = new Throwable[tasks.size()];
    }

    /** Hashes tasks until none is left or one has failed. */
    void work() {
      for (int i = next.getAndIncrement(); i < tasks.size() && !failed && !cancel.get(); i = next.getAndIncrement()) {
        try {
          digests[i] = run(tasks.get(i), this);
        } catch (Cancelled c) {
          return;
        } catch (Throwable t) {
          failures[i] = t;
          failed = true;
        }
      }
    }

    /** Throws the failure of the first failed task, in task order, as the sequential run would. */
    void rethrow() throws IOException {
      for (Throwable t : failures) {
        if (t instanceof IOException io) {
          throw io;
        }
        if (t instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        if (t instanceof RuntimeException r) {
          throw r;
        }
        if (t instanceof Error e) {
          throw e;
        }
      }
    }
  }

  private static final class Worker extends Thread {
    private final Batch batch;

    Worker(Batch batch) {
      super("modelseal-hash");
      setDaemon(true);
      this.batch = batch;
    }

    @Override
    public void run() {
      batch.work();
    }
  }

  static List<ModelManifest.Entry> hash(List<ModelWalker.FileRef> files, ModelHashing h, ProgressListener progress,
      AtomicBoolean cancel) throws IOException {
    return hash(files, h, progress, cancel, null);
  }

  /** As above; with {@code written} non-null, every read waits for the bytes it covers to be written. */
  static List<ModelManifest.Entry> hash(List<ModelWalker.FileRef> files, ModelHashing h, ProgressListener progress,
      AtomicBoolean cancel, WrittenBytes written) throws IOException {
    List<Task> tasks = new ArrayList<>();
    long total = 0;
    boolean shards = "shards".equals(h.method());
    for (ModelWalker.FileRef f : files) {
      total += f.size();
      if (!shards) {
        tasks.add(new Task(f, 0, -1));
      } else {
        for (long s = 0; s < f.size(); s += h.shardSize()) {
          tasks.add(new Task(f, s, Math.min(f.size(), s + h.shardSize())));
        }
      }
    }
    String algorithm = h.resourceAlgorithm();
    Batch batch = new Batch(tasks, h, progress, cancel, written, total);
    int workers = Math.min(h.threads(), tasks.size());
    if ("sha256".equals(h.hashAlgorithm())) {
      Sha256WarmUp.awaitBeforeHashing(total); // in a CLI process: compiled SHA-256 before the workers start
    }
    // Plain threads pulling task indexes, the calling thread among them: no executor, futures or
    // lambdas, whose first use costs a cold JVM (the CLI) tens of milliseconds before any hashing.
    Worker[] extra = new Worker[Math.max(0, workers - 1)];
    for (int i = 0; i < extra.length; i++) {
      extra[i] = new Worker(batch);
      extra[i].start();
    }
    batch.work();
    try {
      for (Worker w : extra) {
        w.join();
      }
    } catch (InterruptedException e) {
      cancel.set(true); // the workers stop within one buffer (an interrupt would not stop a file read)
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing the model", e);
    }
    if (cancel.get()) {
      throw new InterruptedIOException("hashing cancelled");
    }
    batch.rethrow();
    progress.progress(batch.done.get(), total);
    List<ModelManifest.Entry> entries = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      String name = shards ? t.file().name() + ":" + t.start() + ":" + t.end() : t.file().name();
      entries.add(new ModelManifest.Entry(name, algorithm, batch.digests[i]));
    }
    return entries;
  }

  private static byte[] run(Task t, Batch batch) throws IOException {
    Digest d = digest(batch.hashing.hashAlgorithm());
    long size = t.file().size();
    long want = t.end() < 0 ? size : t.end() - t.start();
    byte[] buf = new byte[(int) Math.min(StreamingDigest.BUFFER_BYTES, Math.max(1, want))];
    // FileInputStream, not FileChannel: one native read per buffer, no direct-buffer copy and far
    // less Java on the hot path, which a cold JVM (the CLI) runs interpreted for the first seconds.
    // The walk refused links; a link swapped in later can only feed bytes that must still match
    // the signed digests, and the read is bounded by the walked size.
    try (FileInputStream in = FileDigests.open(t.file().path())) {
      if (t.start() > 0) {
        in.getChannel().position(t.start());
      }
      long left = want;
      long pos = Math.max(0, t.start());
      while (left > 0) {
        int max = (int) Math.min(buf.length, left);
        if (batch.written != null) {
          long landed = awaitWritten(batch.written, t.file().name(), pos);
          if (landed <= pos) {
            break; // its writing ended short: reported below as a changed file
          }
          max = (int) Math.min(max, landed - pos);
        }
        int n = in.read(buf, 0, max);
        if (n < 0) {
          break;
        }
        if (batch.cancel.get()) {
          throw new Cancelled();
        }
        d.update(buf, 0, n);
        left -= n;
        pos += n;
        long before = batch.done.getAndAdd(n);
        if ((before >>> PROGRESS_SHIFT) != ((before + n) >>> PROGRESS_SHIFT)) {
          batch.progress.progress(before + n, batch.total);
        }
      }
      if (left > 0 || (t.end() < 0 && in.read() >= 0)) {
        throw new IOException("file changed while hashing: " + t.file().name() + " is no longer "
            + size + " bytes");
      }
    }
    return d.digest();
  }

  private static long awaitWritten(WrittenBytes written, String name, long pos) throws IOException {
    try {
      return written.awaitBeyond(name, pos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for " + name + " to be written");
    }
  }

  /** A streaming hash. */
  interface Digest {
    void update(byte[] b, int off, int len);

    byte[] digest();
  }

  static Digest digest(String algorithm) {
    if ("blake2b".equals(algorithm)) {
      Blake2bDigest b = new Blake2bDigest(512);
      return new Digest() {
        public void update(byte[] in, int off, int len) {
          b.update(in, off, len);
        }

        public byte[] digest() {
          byte[] out = new byte[b.getDigestSize()];
          b.doFinal(out, 0);
          return out;
        }
      };
    }
    MessageDigest md = ModelManifest.ManifestSha.sha256();
    return new Digest() {
      public void update(byte[] in, int off, int len) {
        md.update(in, off, len);
      }

      public byte[] digest() {
        return md.digest();
      }
    };
  }
}
