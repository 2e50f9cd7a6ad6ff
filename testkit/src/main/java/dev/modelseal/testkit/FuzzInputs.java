package dev.modelseal.testkit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The normal test run's share of fuzzing: a fuzz test's committed inputs (its Jazzer
 * {@code <Class>Inputs/<method>/} folder) and a few hundred mutations of them, from a fixed seed, each
 * bounded in time (Jazzer's own replay of the inputs has no per-input bound). The
 * long, coverage-guided run is Jazzer's ({@code JAZZER_FUZZ=1}, bench/fuzz.sh). Failures are
 * {@link AssertionError}s naming the input in base64.
 */
public final class FuzzInputs {
  /** Mutations per fuzz target in the normal test run. */
  public static final int TRIES = 300;
  /** The most one input may take in the normal run (the parsers take microseconds). */
  public static final long MAX_MILLIS_PER_INPUT = 1000;
  /** {@code @FuzzTest(maxExecutions)} of the long run. */
  public static final long LONG_RUN = 1_000_000;
  /** {@code @FuzzTest(maxDuration)}: beyond Jazzer's default 5 minutes, so that {@link #LONG_RUN} ends the run. */
  public static final String LONG_RUN_MAX_DURATION = "3h";

  private static final byte[][] TOKENS = {
    "{".getBytes(), "}".getBytes(), "[".getBytes(), "]".getBytes(), ",".getBytes(), ":".getBytes(),
    "\"".getBytes(), "\\".getBytes(), "\\u00".getBytes(), "1e999999999".getBytes(), "-0.0E+".getBytes(),
    "9".repeat(1200).getBytes(), "[".repeat(70).getBytes(), "null".getBytes(), "=".getBytes(),
    "-----BEGIN ".getBytes(), "-----END ".getBytes(), "\n".getBytes(), "\r\n".getBytes(), {0},
    {(byte) 0xC3}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0x30, (byte) 0x82},
  };

  /** A parser run on one input; it catches the parser's documented exceptions, and only those. */
  public interface Target {
    void run(byte[] input) throws Exception;
  }

  private FuzzInputs() {}

  /** The committed inputs of {@code method} of {@code test}, in name order. */
  public static List<byte[]> committed(Class<?> test, String method) throws IOException, URISyntaxException {
    URL dir = test.getResource(test.getSimpleName() + "Inputs/" + method);
    if (dir == null) {
      throw new AssertionError("no committed inputs for " + test.getSimpleName() + "#" + method);
    }
    List<byte[]> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI())).sorted()) {
      for (Path p : (Iterable<Path>) files::iterator) {
        inputs.add(Files.readAllBytes(p));
      }
    }
    return inputs;
  }

  /**
   * Runs {@code target} on each of {@code seeds} as it is, then on {@link #TRIES} mutations of them;
   * throws an AssertionError naming the input (base64) on any exception the target lets through or
   * on an input slower than {@link #MAX_MILLIS_PER_INPUT}.
   */
  public static void mutate(List<byte[]> seeds, long seed, int maxLength, Target target) {
    for (byte[] input : seeds) {
      runOne(input, target);
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < TRIES; i++) {
      runOne(mutation(seeds, random, maxLength), target);
    }
  }

  private static void runOne(byte[] input, Target target) {
    long start = System.nanoTime();
    try {
      target.run(input);
    } catch (Throwable t) {
      throw new AssertionError("input " + Base64.getEncoder().encodeToString(input) + " threw " + t, t);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (millis > MAX_MILLIS_PER_INPUT) {
      throw new AssertionError("input " + Base64.getEncoder().encodeToString(input) + " took " + millis + " ms");
    }
  }

  /** One to four random edits of a random seed: bytes flipped, set, inserted, deleted, repeated, cut. */
  public static byte[] mutation(List<byte[]> seeds, SplittableRandom random, int maxLength) {
    byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
    for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
      int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
      switch (random.nextInt(7)) {
        case 0 -> {
          if (at < b.length) {
            b[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (at < b.length) {
            b[at] = (byte) random.nextInt(256);
          }
        }
        case 2 -> b = insert(b, at, TOKENS[random.nextInt(TOKENS.length)]);
        case 3 -> b = cut(b, at, at + random.nextInt(1 + Math.min(64, b.length - at)));
        case 4 -> {
          int len = random.nextInt(1 + Math.min(64, b.length - at));
          byte[] part = java.util.Arrays.copyOfRange(b, at, at + len);
          b = insert(b, at, part);
        }
        case 5 -> b = java.util.Arrays.copyOf(b, at);
        default -> {
          byte[] other = seeds.get(random.nextInt(seeds.size()));
          int from = other.length == 0 ? 0 : random.nextInt(other.length);
          b = insert(b, at, java.util.Arrays.copyOfRange(other, from, Math.min(other.length, from + 128)));
        }
      }
    }
    return b.length > maxLength ? java.util.Arrays.copyOf(b, maxLength) : b;
  }

  private static byte[] insert(byte[] b, int at, byte[] part) {
    byte[] r = new byte[b.length + part.length];
    System.arraycopy(b, 0, r, 0, at);
    System.arraycopy(part, 0, r, at, part.length);
    System.arraycopy(b, at, r, at + part.length, b.length - at);
    return r;
  }

  private static byte[] cut(byte[] b, int from, int to) {
    byte[] r = new byte[b.length - (to - from)];
    System.arraycopy(b, 0, r, 0, from);
    System.arraycopy(b, to, r, from, b.length - to);
    return r;
  }

  /** Throws an AssertionError unless {@code message} is one line of at most {@code max} characters. */
  public static void assertOneLine(String message, int max) {
    if (message == null || message.isEmpty() || message.length() > max || message.indexOf('\n') >= 0
        || message.indexOf('\r') >= 0) {
      throw new AssertionError("not a one-line message of at most " + max + " characters: " + message);
    }
  }
}
