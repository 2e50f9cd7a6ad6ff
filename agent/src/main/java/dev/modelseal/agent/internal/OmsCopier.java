package dev.modelseal.agent.internal;

import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.VerificationException;
import dev.modelseal.core.WrittenBytes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pins the files an OpenSSF model signature lists and hashes the copies while they are made: one thread copies the
 * files into the pin folder with the kernel ({@code transferTo}), in {@value #CHUNK}-byte chunks, and publishes how
 * far each has got ({@link WrittenBytes}); meanwhile core's hashing ({@link ModelManifest#compute(Path, ModelHashing,
 * ProgressListener, WrittenBytes)}) reads the copies on its worker pool (one worker per processor, one 64 KiB
 * buffer each), every read waiting until the bytes it covers are in the copy. So a file signed as shards
 * ({@code sign-model --shard-size}) has its shards hashed on all cores as they land, and what is hashed is, byte for
 * byte, the copy the runtime gets: each byte is read from the copy after it was written there, by this agent alone,
 * in its owner-only folder, and never written again; the copies are made read-only ({@code 0400}) at the end.
 *
 * <p>Each copy is created at its final size (a sparse file) before hashing starts, because the hashing walk reads
 * the sizes; a source that ends before the size its walk saw fails the hashing ({@code file changed while
 * hashing}), and one that grew is copied up to that size only. Memory is constant: the kernel copies, and the
 * hashing holds one buffer per worker.
 */
final class OmsCopier extends Thread implements WrittenBytes {
  /** Bytes copied per {@code transferTo}: each makes that much available to the hashing workers. */
  static final long CHUNK = 8L << 20;

  /** One file to pin: its model-relative name ({@code "."} for a single-file model), original, copy and size. */
  record Item(String name, Path source, Path target, long size) {}

  private static final Comparator<Item> BY_NAME = new Comparator<>() {
    @Override
    public int compare(Item a, Item b) {
      return a.name().compareTo(b.name()); // about the hashing's order, so the first tasks land first
    }
  };

  private final List<Item> items;
  private final Map<String, Integer> index = new HashMap<>();
  private final long[] written;
  private final boolean[] ended;
  private volatile boolean stop;
  private volatile IOException failure;

  private OmsCopier(List<Item> items) {
    super("modelseal-pin-copier");
    setDaemon(true);
    this.items = items;
    this.written = new long[items.size()];
    this.ended = new boolean[items.size()];
    for (int i = 0; i < items.size(); i++) {
      index.put(items.get(i).name(), i);
    }
  }

  /**
   * Copies {@code items} into their targets (which must not exist) while hashing {@code model} (the pinned file, or
   * the pinned directory that holds every target) with {@code hashing}; returns the manifest of the copies.
   *
   * @throws IOException if a file cannot be copied or read, or changed while it was copied
   * @throws VerificationException as {@link ModelManifest#compute(Path, ModelHashing, ProgressListener)}
   */
  static ModelManifest pinAndHash(List<Item> items, Path model, ModelHashing hashing)
      throws IOException, VerificationException {
    List<Item> sorted = new ArrayList<>(items);
    sorted.sort(BY_NAME);
    for (Item i : sorted) {
      createAtFullSize(i.target(), i.size());
    }
    OmsCopier copier = new OmsCopier(sorted);
    copier.start();
    boolean done = false;
    try {
      ModelManifest m = ModelManifest.compute(model, hashing, ProgressListener.NONE, copier);
      copier.finish();
      done = true;
      return m;
    } catch (IOException | VerificationException | RuntimeException e) {
      copier.stop = true;
      copier.finish();
      throw e;
    } finally {
      if (done) {
        for (Item i : sorted) {
          Files.setPosixFilePermissions(i.target(), PosixFilePermissions.fromString("r--------"));
        }
      }
    }
  }

  /** Waits for the copy to end and throws its failure, if any (the cause of a failed hashing, then). */
  private void finish() throws IOException {
    boolean interrupted = false;
    while (true) {
      try {
        join();
        break;
      } catch (InterruptedException e) {
        stop = true;
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pinning the model");
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void createAtFullSize(Path target, long size) throws IOException {
    Files.createDirectories(target.getParent());
    try (FileChannel out = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      if (size > 0) {
        out.write(ByteBuffer.allocate(1), size - 1); // sparse up to here; the copy overwrites every byte
      }
    }
  }

  @Override
  public void run() {
    int i = 0;
    try {
      for (; i < items.size() && !stop; i++) {
        copy(i);
      }
    } catch (IOException e) {
      failure = e;
    } finally {
      synchronized (this) {
        for (int j = 0; j < ended.length; j++) {
          ended[j] = true;
        }
        notifyAll();
      }
    }
  }

  private void copy(int i) throws IOException {
    Item item = items.get(i);
    try (FileChannel in = RegularFiles.openForReading(item.source());
        FileChannel out = FileChannel.open(item.target(), StandardOpenOption.WRITE)) {
      long pos = 0;
      while (pos < item.size() && !stop) {
        long n = in.transferTo(pos, Math.min(CHUNK, item.size() - pos), out);
        if (n <= 0) {
          break; // the original is shorter than its walk said: the hashing fails on it
        }
        pos += n;
        publish(i, pos, false);
      }
      publish(i, pos, true);
    }
  }

  private synchronized void publish(int i, long pos, boolean end) {
    written[i] = pos;
    ended[i] = end;
    notifyAll();
  }

  @Override
  public synchronized long awaitBeyond(String name, long offset) throws InterruptedException {
    Integer i = index.get(name);
    if (i == null) {
      return 0; // not a file this copier writes: nothing of it is written (the hashing fails on it)
    }
    while (written[i] <= offset && !ended[i]) {
      wait();
    }
    return written[i];
  }
}
