package dev.modelseal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Hashes the files of a model into manifest entries on a fixed pool of worker threads: one task per
 * file ({@code files}) or per shard ({@code shards}). Each task streams through a buffer of at most
 * {@link #BUFFER_BYTES}, so memory is bounded by threads x buffer whatever the model size.
 */
final class ManifestHasher {
  static final int BUFFER_BYTES = 64 * 1024;
  private static final int PROGRESS_SHIFT = 23; // report every 8 MiB

  private record Task(ModelWalker.FileRef file, long start, long end) {}

  private ManifestHasher() {}

  static List<ModelManifest.Entry> hash(List<ModelWalker.FileRef> files, ModelHashing h, ProgressListener progress)
      throws IOException {
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
    AtomicLong done = new AtomicLong();
    long finalTotal = total;
    byte[][] digests = new byte[tasks.size()][];
    int workers = Math.min(h.threads(), tasks.size());
    if (workers <= 1) {
      for (int i = 0; i < tasks.size(); i++) {
        digests[i] = run(tasks.get(i), h, done, finalTotal, progress);
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
        Thread t = new Thread(r, "modelseal-hash");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<byte[]>> futures = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
          futures.add(pool.submit(() -> run(t, h, done, finalTotal, progress)));
        }
        for (int i = 0; i < futures.size(); i++) {
          digests[i] = futures.get(i).get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while hashing the model", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
          throw io;
        }
        if (c instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        if (c instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException("hashing failed: " + c, c);
      } finally {
        pool.shutdownNow();
      }
    }
    progress.progress(done.get(), total);
    List<ModelManifest.Entry> entries = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      String name = shards ? t.file().name() + ":" + t.start() + ":" + t.end() : t.file().name();
      entries.add(new ModelManifest.Entry(name, algorithm, digests[i]));
    }
    return entries;
  }

  private static byte[] run(Task t, ModelHashing h, AtomicLong done, long total, ProgressListener progress)
      throws IOException {
    Digest d = digest(h.hashAlgorithm());
    OpenOption[] opts = t.file().viaLink() || ".".equals(t.file().name())
        ? new OpenOption[] {StandardOpenOption.READ}
        : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    long want = t.end() < 0 ? Long.MAX_VALUE : t.end() - t.start();
    int cap = (int) Math.min(BUFFER_BYTES, Math.max(1, Math.min(want, t.file().size())));
    ByteBuffer buf = ByteBuffer.allocate(cap);
    try (FileChannel ch = FileChannel.open(t.file().path(), opts)) {
      long pos = t.start();
      long left = want;
      while (left > 0) {
        buf.clear();
        if (left < buf.capacity()) {
          buf.limit((int) left);
        }
        int n = ch.read(buf, pos);
        if (n < 0) {
          break;
        }
        d.update(buf.array(), 0, n);
        pos += n;
        left -= n;
        long before = done.getAndAdd(n);
        if ((before >>> PROGRESS_SHIFT) != ((before + n) >>> PROGRESS_SHIFT)) {
          progress.progress(before + n, total);
        }
      }
      if (t.end() >= 0 && left > 0) {
        throw new IOException("file changed while hashing: " + t.file().name() + " is shorter than "
            + t.end() + " bytes");
      }
    }
    return d.digest();
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
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
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
