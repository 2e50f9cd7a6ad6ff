package dev.modelseal.it.probe;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Called from the probe's inlined advice, inside the model runtimes. Prints one marker line per call to stderr:
 * {@code PROBE <kind> <where> <model>}, and, when {@code -Dprobe.swap.at=<where>} matches, overwrites the file
 * {@code -Dprobe.swap.target} with the bytes of {@code -Dprobe.swap.from} (once) and prints {@code PROBE swapped}:
 * truncated and rewritten in place, or, with {@code -Dprobe.swap.rename=true}, a new file renamed over it. With
 * {@code -Dprobe.swap.await=<file>} it swaps nothing itself: it creates {@code <file>.ready} and waits (30 s at most)
 * for {@code <file>}, made by whoever did the swap.
 */
public final class Probe {
  /** Marker of the runtime's own loading step: the runtime is about to read this model. */
  public static final String RUNTIME_RECEIVED = "PROBE runtime-received ";

  private static boolean swapped;

  private Probe() {}

  public static void runtimeReceived(String where, Object model) {
    mark("runtime-received", where, model);
  }

  /** A model given as text: shown as {@code text[<chars>] sha256:<hex of its UTF-8>}, never in full. */
  public static void runtimeReceivedText(String where, String text) {
    mark("runtime-received", where, text == null ? "null"
        : "text[" + text.length() + "] " + sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public static void entered(String where, Object model) {
    mark("entered", where, model);
  }

  private static synchronized void mark(String kind, String where, Object model) {
    System.err.println("PROBE " + kind + " " + where + " " + describe(model));
    System.err.flush();
    String at = System.getProperty("probe.swap.at");
    if (!swapped && where.equals(at)) {
      swapped = true;
      Path target = Path.of(System.getProperty("probe.swap.target"));
      try {
        swap(target);
      } catch (Exception e) {
        throw new IllegalStateException("probe could not swap " + target, e);
      }
      System.err.println("PROBE swapped " + target);
      System.err.flush();
    }
  }

  private static void swap(Path target) throws Exception {
    String await = System.getProperty("probe.swap.await");
    if (await != null) {
      // the swap is someone else's (another mount namespace): say so, and wait until it is done
      Files.createFile(Path.of(await + ".ready"));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.exists(Path.of(await)) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return;
    }
    byte[] replacement = Files.readAllBytes(Path.of(System.getProperty("probe.swap.from")));
    if (Boolean.getBoolean("probe.swap.rename")) {
      // a new file renamed over the name: the original inode stays as it was
      Path fresh = target.resolveSibling(target.getFileName() + ".swap");
      Files.write(fresh, replacement);
      Files.move(fresh, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } else {
      Files.write(target, replacement); // truncated and rewritten in place: the same inode
    }
  }

  static String describe(Object model) {
    if (model instanceof byte[] b) {
      return "byte[" + b.length + "] " + sha256(b);
    }
    if (model instanceof ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      byte[] b = new byte[view.remaining()];
      view.get(b);
      return "ByteBuffer[" + b.length + "] " + sha256(b);
    }
    return String.valueOf(model);
  }

  private static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
