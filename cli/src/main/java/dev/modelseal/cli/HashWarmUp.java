package dev.modelseal.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Gets the SHA-256 code path compiled on the idle core while the main thread reads flags, keys and
 * signatures, so the real hashing of a large model starts at full speed instead of in the
 * interpreter. Many small updates (not a few large ones) are what get the whole call chain,
 * {@code MessageDigest.update} down to the SHA-NI intrinsic, compiled by C2 within about 60 ms;
 * large updates leave it interpreted or at C1 for the first few hundred MiB. Hashes
 * {@link #UPDATES} x {@link #UPDATE_BYTES} (2.5 MiB) of zeros. A JVM-start optimisation only: no
 * result depends on it.
 */
final class HashWarmUp extends Thread {
  static final int UPDATES = 20_000;
  static final int UPDATE_BYTES = 128;

  private HashWarmUp() {
    super("modelseal-warm-up");
    setDaemon(true);
  }

  /** Starts the warm-up on a daemon thread. */
  static void begin() {
    new HashWarmUp().start();
  }

  @Override
  public void run() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      return; // the real work reports it
    }
    byte[] zeros = new byte[UPDATE_BYTES];
    for (int i = 0; i < UPDATES; i++) {
      md.update(zeros, 0, UPDATE_BYTES);
    }
  }
}
