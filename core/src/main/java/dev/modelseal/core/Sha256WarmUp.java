package dev.modelseal.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A start-up optimisation for short-lived processes such as the {@code modelseal} command: gets the
 * JDK's SHA-256 compiled before a model is hashed. {@link #begin} starts a daemon thread that hashes
 * {@value #UPDATES} x {@value #UPDATE_BYTES} zero bytes; many small updates are what get the whole
 * {@code MessageDigest.update} chain, down to the SHA-NI/AVX2 intrinsic, compiled by C2 within tens of
 * milliseconds. Until then a JVM runs SHA-256 interpreted, far slower than compiled.
 *
 * <p>Hashing of 4 MiB or more waits for that thread, at most {@value #MAX_WAIT_MILLIS} ms, before it
 * starts: interpreted hashing would do almost nothing useful while taking the cores from the
 * compiler it waits for. A process that never calls {@link #begin} never waits. No result depends on any of
 * this; a failure of the warm-up (no SHA-256 provider) ends it quietly, and the real hashing reports it.
 */
public final class Sha256WarmUp {
  private static final int UPDATES = 20_000;
  private static final int UPDATE_BYTES = 128;
  static final long MAX_WAIT_MILLIS = 100;
  /**
   * From this size on, hashing waits; smaller inputs are hashed at once, since the wait (tens of ms)
   * could cost more than slow hashing of a few MiB.
   */
  static final long WAIT_FROM_BYTES = 4L << 20;

  private static final Sha256WarmUp PROCESS = new Sha256WarmUp(new HashZeros());

  private final Runnable work;
  private volatile Thread thread;

  Sha256WarmUp(Runnable work) {
    this.work = work;
  }

  /** Starts the warm-up for this process on a daemon thread; calls after the first do nothing. */
  public static void begin() {
    PROCESS.start();
  }

  /**
   * Before SHA-256 hashing of {@code bytes}: waits for this process's warm-up if {@link #begin}
   * started one and the input is at least {@link #WAIT_FROM_BYTES}, at most {@value #MAX_WAIT_MILLIS} ms.
   */
  static void awaitBeforeHashing(long bytes) {
    if (bytes >= WAIT_FROM_BYTES) {
      PROCESS.await(MAX_WAIT_MILLIS);
    }
  }

  synchronized void start() {
    if (thread == null) {
      Thread t = new Thread(work, "modelseal-warm-up");
      t.setDaemon(true);
      t.start();
      thread = t;
    }
  }

  /**
   * Returns true once the warm-up has ended, at once if it was never started; false if it is still
   * running after {@code maxMillis} or the caller was interrupted (whose status is kept).
   */
  boolean await(long maxMillis) {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    try {
      if (maxMillis > 0) { // join(0) would wait for ever
        t.join(maxMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return !t.isAlive();
  }

  /** Classes, not lambdas: a JVM's first lambda pays the invokedynamic bootstrap, here before hashing starts. */
  private static final class HashZeros implements Runnable {
    @Override
    public void run() {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[UPDATE_BYTES];
        for (int i = 0; i < UPDATES; i++) {
          md.update(zeros, 0, UPDATE_BYTES);
        }
      } catch (NoSuchAlgorithmException | RuntimeException e) {
        // ends the warm-up quietly (no stack trace on a CLI's stderr); the real hashing reports it
      }
    }
  }
}
