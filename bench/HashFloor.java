import java.io.FileInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor for a JVM in bench/model.sh: SHA-256 of each file, on THREADS plain threads, 64 KiB
 * FileInputStream reads, nothing else (no key, no signature, no manifest). What any JVM program
 * needs for the same bytes, JVM start included. Like modelseal, it first gets SHA-256 compiled on a
 * warm-up thread (20 000 updates of 128 bytes) and its workers wait for that, at most 100 ms: hashing
 * before C2 has compiled the chain runs at interpreter speed and takes the cores from the compiler.
 *
 * <p>Usage: java HashFloor THREADS FILE...
 */
public final class HashFloor extends Thread {
  private final String[] files;
  private final AtomicInteger next;
  private final Thread warmUp;

  private HashFloor(String[] files, AtomicInteger next, Thread warmUp) {
    this.files = files;
    this.next = next;
    this.warmUp = warmUp;
  }

  /** Classes, not lambdas: a cold JVM's first lambda pays the invokedynamic bootstrap. */
  private static final class WarmUp extends Thread {
    @Override
    public void run() {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[128];
        for (int i = 0; i < 20_000; i++) {
          md.update(zeros, 0, zeros.length);
        }
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Thread warmUp = new WarmUp();
    warmUp.setDaemon(true);
    warmUp.start();
    AtomicInteger next = new AtomicInteger(1);
    Thread[] workers = new Thread[Integer.parseInt(args[0])];
    for (int t = 0; t < workers.length; t++) {
      workers[t] = new HashFloor(args, next, warmUp);
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
  }

  @Override
  public void run() {
    try {
      warmUp.join(100);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[64 * 1024];
    for (int i = next.getAndIncrement(); i < files.length; i = next.getAndIncrement()) {
      try (FileInputStream in = new FileInputStream(files[i])) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
        md.digest();
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException(files[i] + ": " + e.getMessage(), e);
      }
    }
  }
}
