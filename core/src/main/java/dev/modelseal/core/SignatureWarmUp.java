package dev.modelseal.core;

import java.security.PublicKey;

/**
 * Runs one signature check of {@link BlobVerifier}'s key on zeros, on a daemon thread, so that the
 * provider's one-time set-up overlaps with hashing a large blob. The result is unused. A thread, not
 * a lambda: a cold JVM pays tens of ms for its first lambda bootstrap.
 */
final class SignatureWarmUp extends Thread {
  private final SigningAlgorithm algorithm;
  private final PublicKey key;
  private final byte[] signature;

  SignatureWarmUp(SigningAlgorithm algorithm, PublicKey key, byte[] signature) {
    super("modelseal-verify-warmup");
    setDaemon(true);
    this.algorithm = algorithm;
    this.key = key;
    this.signature = signature;
  }

  @Override
  public void run() {
    byte[] zero = new byte[(algorithm.digestAlgorithm().equals("SHA-256") ? 32
        : algorithm.digestAlgorithm().equals("SHA-384") ? 48 : 64)];
    SignatureSchemes.verify(algorithm, key, zero, zero.length, signature);
  }
}
