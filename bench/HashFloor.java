import java.io.FileInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor for a JVM in bench/model.sh: SHA-256 of each file, on THREADS plain threads, 64 KiB
 * FileInputStream reads, nothing else (no key, no signature, no manifest). What any JVM program
 * needs for the same bytes, JVM start included.
 *
 * <p>Usage: java HashFloor THREADS FILE...
 */
public final class HashFloor extends Thread {
  private final String[] files;
  private final AtomicInteger next;

  private HashFloor(String[] files, AtomicInteger next) {
    this.files = files;
    this.next = next;
  }

  public static void main(String[] args) throws Exception {
    AtomicInteger next = new AtomicInteger(1);
    Thread[] workers = new Thread[Integer.parseInt(args[0])];
    for (int t = 0; t < workers.length; t++) {
      workers[t] = new HashFloor(args, next); // a class, not a lambda: the first lambda costs a cold JVM ~10 ms
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
  }

  @Override
  public void run() {
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
