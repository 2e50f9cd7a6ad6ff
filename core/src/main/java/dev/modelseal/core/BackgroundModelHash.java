package dev.modelseal.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hashes a model on its own thread while {@link ModelVerifier#verify} checks the signature on the
 * caller's thread. Nothing it computes is trusted before that check has passed; a refused signature
 * cancels it, which stops the hashing within one buffer.
 */
final class BackgroundModelHash extends Thread {
  private final Path model;
  private final ModelHashing hashing;
  private final ProgressListener progress;
  private final AtomicBoolean cancel = new AtomicBoolean();
  private Object outcome; // a ModelManifest or a Throwable; read after join()

  private BackgroundModelHash(Path model, ModelHashing hashing, ProgressListener progress) {
    super("modelseal-model-hash");
    setDaemon(true);
    this.model = model;
    this.hashing = hashing;
    this.progress = progress;
  }

  /** Starts hashing {@code model} with {@code hashing}. */
  static BackgroundModelHash start(Path model, ModelHashing hashing, ProgressListener progress) {
    BackgroundModelHash h = new BackgroundModelHash(model, hashing, progress);
    h.start();
    return h;
  }

  @Override
  public void run() {
    try {
      outcome = ModelManifest.compute(model, hashing, progress, cancel);
    } catch (Throwable t) {
      outcome = t;
    }
  }

  /** Stops the hashing and waits for the thread to end; the caller's interrupt status is kept. */
  void cancelAndJoin() {
    cancel.set(true);
    boolean interrupted = false;
    while (true) {
      try {
        join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for the manifest.
   *
   * @throws IOException if the model could not be read, or the caller was interrupted (which cancels
   *     the hashing and keeps the interrupt status)
   * @throws VerificationException as {@link ModelManifest#compute}, e.g. {@code PATH_REFUSED}
   */
  ModelManifest await() throws IOException, VerificationException {
    try {
      join();
    } catch (InterruptedException e) {
      cancel.set(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing " + model);
    }
    if (outcome instanceof IOException e) {
      throw e;
    }
    if (outcome instanceof VerificationException e) {
      throw e;
    }
    if (!(outcome instanceof ModelManifest actual)) {
      throw new IllegalStateException("hashing " + model + " failed", (Throwable) outcome);
    }
    return actual;
  }
}
