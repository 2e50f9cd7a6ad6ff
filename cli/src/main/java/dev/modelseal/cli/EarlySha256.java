package dev.modelseal.cli;

import dev.modelseal.core.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Hashes a blob with SHA-256 on a helper thread while the command reads its key and signature. */
final class EarlySha256 {
  static final String ALGORITHM = "SHA-256";

  private final Thread thread;
  private final ProgressBar bar;
  private volatile Map<String, byte[]> digests;
  private volatile IOException failure;

  private EarlySha256(Path blob, ProgressBar bar) {
    this.bar = bar;
    this.thread = new Hasher(blob);
    thread.setDaemon(true);
  }

  /** A class, not a lambda: a JVM's first lambda pays the invokedynamic bootstrap, here before hashing starts. */
  private final class Hasher extends Thread {
    private final Path blob;

    Hasher(Path blob) {
      super("modelseal-sha256");
      this.blob = blob;
    }

    @Override
    public void run() {
      try {
        digests = FileDigests.compute(blob, Set.of(ALGORITHM), bar);
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  static EarlySha256 start(Path blob, CliIo io) {
    long size;
    try {
      size = Files.size(blob);
    } catch (IOException e) {
      size = -1;
    }
    EarlySha256 e = new EarlySha256(blob, ProgressBar.open(io, "verifying " + blob.getFileName(), size));
    e.thread.start();
    return e;
  }

  /** Waits for the digest. */
  Map<String, byte[]> await(String display) throws CliException {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while reading " + display);
    } finally {
      bar.close();
    }
    if (failure != null) {
      throw Inputs.readError(display, failure);
    }
    return digests;
  }

  /** Stops caring about the result: the key needs another digest. */
  void cancel() {
    thread.interrupt();
    bar.close();
  }
}
