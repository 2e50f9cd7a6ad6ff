package dev.modelseal.cli;

import dev.modelseal.core.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr for hashing large files or models, redrawn in place with
 * {@code \r} at most ten times a second and ended with a newline. It is shown only when stderr is a
 * terminal and the input is at least {@link #THRESHOLD_BYTES}; otherwise it prints nothing at all.
 */
final class ProgressBar implements ProgressListener, AutoCloseable {
  /** Files smaller than this (64 MiB) hash in well under a second and get no bar. */
  static final long THRESHOLD_BYTES = 64L << 20;
  static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final String label;
  private final LongSupplier clock;
  private final boolean enabled;
  private final long minTotal;
  private long lastDraw;
  private int lastLength;
  private boolean drawn;

  ProgressBar(PrintStream err, String label, boolean enabled, LongSupplier clock) {
    this(err, label, enabled, clock, 1);
  }

  private ProgressBar(PrintStream err, String label, boolean enabled, LongSupplier clock, long minTotal) {
    this.err = err;
    this.label = label;
    this.enabled = enabled;
    this.clock = clock;
    this.minTotal = Math.max(1, minTotal);
  }

  /** A bar for {@code size} bytes, enabled only for a terminal and a large enough size. */
  static ProgressBar open(CliIo io, String label, long size) {
    return new ProgressBar(io.err, label, io.stderrIsTerminal && size >= THRESHOLD_BYTES, new SystemClock());
  }

  /**
   * A bar for a model whose size is learnt from the hashing itself (the total in each report), so
   * the model is not walked twice: drawn only for a terminal and a total of at least
   * {@link #THRESHOLD_BYTES}.
   */
  static ProgressBar forModel(CliIo io, String label) {
    return new ProgressBar(io.err, label, io.stderrIsTerminal, new SystemClock(), THRESHOLD_BYTES);
  }

  /** Same as {@link #forModel(CliIo, String)} with a given clock, for tests. */
  static ProgressBar forModel(PrintStream err, String label, LongSupplier clock) {
    return new ProgressBar(err, label, true, clock, THRESHOLD_BYTES);
  }

  @Override
  public void progress(long done, long total) {
    if (!enabled || total < minTotal) { // minTotal >= 1: an unknown (-1) or zero total draws nothing
      return;
    }
    long now = clock.getAsLong();
    if (drawn && done < total && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    int filled = (int) Math.min(WIDTH, done * WIDTH / total);
    String line = String.format(Locale.ROOT, "%s [%s%s] %3d%% %s / %s", label, "=".repeat(filled),
        " ".repeat(WIDTH - filled), Math.min(100, done * 100 / total), human(done), human(total));
    int pad = Math.max(0, lastLength - line.length());
    lastLength = line.length();
    err.print("\r" + line + " ".repeat(pad));
    err.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  @Override
  public void close() {
    if (drawn) {
      err.print("\n");
      err.flush();
      drawn = false;
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** System.nanoTime as a class, not a method reference: keeps lambda set-up off the CLI's start. */
  private static final class SystemClock implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }
}
