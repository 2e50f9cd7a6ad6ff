package dev.modelseal.it.apps;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code RewriteWhileLoading MODEL GOOD EVIL LOADS MODE LOCATION}: while a thread changes MODEL as fast as it can, by
 * turns: EVIL's bytes written over its inode, the inode truncated to half then GOOD's bytes written, GOOD's bytes
 * written over it, a new file with EVIL's bytes renamed over its name, a new file with GOOD's bytes renamed over it;
 * loads LOCATION (MODEL, or the directory holding it) LOADS times with LoadModel's MODE, printing
 * {@code prediction: [..]} or {@code rejected: <class> <message>} per load, then {@code REWRITES <n>}; MODEL is left
 * with GOOD's bytes.
 */
public final class RewriteWhileLoading {
  private RewriteWhileLoading() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    byte[] good = Files.readAllBytes(Path.of(args[1]));
    byte[] evil = Files.readAllBytes(Path.of(args[2]));
    int loads = Integer.parseInt(args[3]);
    String mode = args[4];
    Path location = Path.of(args[5]);
    long[] rewrites = {0};
    // Beside LOCATION, not in it: a directory being loaded must not show a stray file.
    Path next = location.toAbsolutePath().resolveSibling(".next-" + model.getFileName());
    Thread writer = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          switch ((int) (rewrites[0] % 5)) {
            case 0 -> overwrite(model, evil, false);
            case 1 -> overwrite(model, good, true); // truncated to half first, then the signed bytes
            case 2 -> overwrite(model, good, false);
            case 3 -> renameOver(next, model, evil);
            default -> renameOver(next, model, good);
          }
          rewrites[0]++;
        }
      } catch (Exception e) {
        if (!(e instanceof java.nio.channels.ClosedByInterruptException)) {
          System.out.println("WRITER " + e);
        }
      } finally {
        try {
          renameOver(next, model, good);
        } catch (Exception e) {
          System.out.println("WRITER " + e);
        }
      }
    }, "writer");
    writer.start();
    for (int i = 0; i < loads; i++) {
      System.out.println(FlipWhileLoading.LoadOutcome.of(mode, location));
    }
    writer.interrupt();
    writer.join();
    System.out.println("REWRITES " + rewrites[0]);
  }

  /** Writes {@code bytes} over {@code file}'s own inode, from offset 0 ({@code truncateFirst}: to half its length). */
  private static void overwrite(Path file, byte[] bytes, boolean truncateFirst) throws Exception {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (truncateFirst) {
        out.truncate(bytes.length / 2);
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      long at = 0;
      while (b.hasRemaining()) {
        at += out.write(b, at);
      }
    }
  }

  /** Puts {@code bytes} in a new file and renames it over {@code file} (another inode under the same name). */
  private static void renameOver(Path next, Path file, byte[] bytes) throws Exception {
    Files.write(next, bytes);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
