package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Opens model files for reading without ever blocking the loading thread on a FIFO or a device, and
 * checks on the opened handle that it is a regular file. Java cannot pass {@code O_NONBLOCK}, and
 * opening a FIFO for reading blocks until a writer opens it; a file checked to be regular may be
 * swapped for a FIFO before it is opened. So:
 *
 * <ol>
 *   <li>the path must be a regular file ({@code lstat}, links not followed);
 *   <li>a helper thread (one of a pool, so that each open does not start a thread of its own) opens it while
 *       the loading thread waits at most {@link #OPEN_TIMEOUT_MILLIS};
 *       opening a regular file takes microseconds. If the open has not completed by then the file is
 *       refused, and if the path is a FIFO it is opened read-write once (which never blocks on Linux
 *       and writes nothing) so that the helper's open completes and the helper closes it;
 *   <li>on the opened handle, the position must be readable: {@code lseek} fails on a FIFO or socket,
 *       so a FIFO whose writer released the open is refused there, before any read could block.
 * </ol>
 *
 * <p>Device nodes pass the last check, but placing one needs privileges ({@code mknod}); links are
 * never followed, and hard links cannot cross into {@code /dev}.
 */
final class RegularFiles {
  /** How long the loading thread waits for an open to complete. */
  static final long OPEN_TIMEOUT_MILLIS = 5_000;

  /** {@code st_mode} file-type bits, and the FIFO type. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;

  private RegularFiles() {}

  /** Opens {@code file}, which must be a regular file (links not followed), for reading. */
  static FileChannel openForReading(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      throw notRegular(file, "not a regular file");
    }
    return openChecked(file, OPEN_TIMEOUT_MILLIS);
  }

  /**
   * Opens {@code file} for reading on a helper thread, waiting at most {@code timeoutMillis}, and checks
   * the handle (steps 2 and 3 above). The caller has checked the path; this step assumes nothing about it.
   */
  static FileChannel openChecked(Path file, long timeoutMillis) throws IOException {
    Opener opener = new Opener(file);
    Openers.POOL.execute(opener);
    FileChannel channel = opener.await(timeoutMillis);
    if (channel == null) {
      releaseFifo(file);
      throw notRegular(file, "not a regular file (its open did not complete within " + timeoutMillis
          + " ms: a FIFO or device)");
    }
    try {
      channel.position();
    } catch (IOException e) {
      channel.close();
      throw notRegular(file, "not a regular file (the opened file has no position: a FIFO or socket)");
    }
    return channel;
  }

  private static FileSystemException notRegular(Path file, String why) {
    return new FileSystemException(file.toString(), null, why);
  }

  /** Completes a pending read-only open of a FIFO by opening it read-write once. */
  private static void releaseFifo(Path file) {
    try {
      Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (mode instanceof Integer m && (m & S_IFMT) == S_IFIFO) {
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS).close();
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
      // best effort: the helper thread stays blocked until the FIFO gets a writer; the load is refused either way
    }
  }

  /**
   * The helper threads, made on first use: daemons named {@code modelseal-open}, one more whenever all are busy (a
   * FIFO's open holds its thread until it is released), each ending after a minute idle.
   */
  private static final class Openers {
    static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<Runnable>(), new ThreadFactory() {
          @Override
          public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "modelseal-open");
            t.setDaemon(true);
            return t;
          }
        });
  }

  /** Opens one file; hands the channel over, or closes it if the caller has given up waiting. */
  private static final class Opener implements Runnable {
    private final Path file;
    private FileChannel channel;
    private IOException failure;
    private boolean done;
    private boolean abandoned;

    Opener(Path file) {
      this.file = file;
    }

    @Override
    public void run() {
      FileChannel c = null;
      IOException f = null;
      boolean inside = SealedReads.enterOwnRead(); // the agent's own read: not a sealed read to check
      try {
        c = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        f = e;
      } catch (RuntimeException e) {
        f = new IOException(e);
      } finally {
        SealedReads.exitOwnRead(inside);
      }
      boolean closeIt;
      synchronized (this) {
        channel = c;
        failure = f;
        done = true;
        closeIt = abandoned;
        notifyAll();
      }
      if (closeIt && c != null) {
        try {
          c.close();
        } catch (IOException e) {
          // nobody is waiting for it
        }
      }
    }

    /** The opened channel, or null (and the open abandoned) if it did not complete in time. */
    synchronized FileChannel await(long timeoutMillis) throws IOException {
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      boolean interrupted = false;
      try {
        while (!done) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            abandoned = true;
            return null;
          }
          try {
            wait(Math.max(1, left / 1_000_000L));
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (failure != null) {
        throw failure;
      }
      return channel;
    }
  }
}
