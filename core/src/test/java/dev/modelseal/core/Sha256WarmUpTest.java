package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait that model hashing does for the warm-up: never when none was started, bounded while one
 * runs. Each test uses its own instance with stand-in work, never the process-wide warm-up.
 */
class Sha256WarmUpTest {
  /** Work that runs until released. */
  private static final class Blocked implements Runnable {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void run() {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void await_neverStarted_returnsTrue() {
    assertTrue(new Sha256WarmUp(new Blocked()).await(60_000));
  }

  /** {@code await(maxMillis)} while the warm-up's work is blocked; the work is released afterwards. */
  private static boolean awaitWhileRunning(long maxMillis) {
    Blocked work = new Blocked();
    Sha256WarmUp w = new Sha256WarmUp(work);
    w.start();
    try {
      return w.await(maxMillis);
    } finally {
      work.release.countDown();
    }
  }

  @Test
  @Timeout(10) // an unbounded wait would hang: fail instead
  void await_workStillRunning_returnsFalseAfterTheBound() {
    assertFalse(awaitWhileRunning(20));
  }

  @Test
  @Timeout(10) // join(0) would wait for ever: fail, not hang
  void await_zeroBoundWhileRunning_returnsFalseWithoutWaiting() {
    assertFalse(awaitWhileRunning(0));
  }

  @Test
  void await_workEnded_returnsTrue() {
    Blocked work = new Blocked();
    Sha256WarmUp w = new Sha256WarmUp(work);
    w.start();
    work.release.countDown();
    assertTrue(w.await(60_000));
  }

  @Test
  void start_calledTwice_runsTheWorkOnce() {
    AtomicInteger runs = new AtomicInteger();
    Sha256WarmUp w = new Sha256WarmUp(new Runnable() {
      @Override
      public void run() {
        runs.incrementAndGet();
      }
    });
    w.start();
    w.start();
    assertTrue(w.await(60_000));
    assertEquals(1, runs.get());
  }

  @Test
  void await_callerInterrupted_returnsFalseAndKeepsTheInterrupt() {
    Blocked work = new Blocked();
    Sha256WarmUp w = new Sha256WarmUp(work);
    w.start();
    Thread.currentThread().interrupt();
    try {
      assertFalse(w.await(60_000));
      assertTrue(Thread.interrupted()); // also clears it for the next test
    } finally {
      work.release.countDown();
    }
  }
}
