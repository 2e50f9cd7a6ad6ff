package dev.modelseal.it.apps;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code RewriteWhileLoading MODEL GOOD EVIL LOADS MODE LOCATION}: while a thread rewrites MODEL in place (same
 * inode) as fast as it can, by turns with EVIL's bytes, truncated to half then with GOOD's bytes, and with GOOD's
 * bytes, loads LOCATION (MODEL, or the directory holding it) LOADS times with LoadModel's MODE, printing
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
    Thread writer = new Thread(() -> {
      try (FileChannel out = FileChannel.open(model, StandardOpenOption.WRITE)) {
        while (!Thread.currentThread().isInterrupted()) {
          switch ((int) (rewrites[0] % 3)) {
            case 0 -> overwrite(out, evil);
            case 1 -> {
              out.truncate(good.length / 2);
              overwrite(out, good);
            }
            default -> overwrite(out, good);
          }
          rewrites[0]++;
        }
        overwrite(out, good);
      } catch (Exception e) {
        System.out.println("WRITER " + e);
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

  private static void overwrite(FileChannel out, byte[] bytes) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long at = 0;
    while (b.hasRemaining()) {
      at += out.write(b, at);
    }
  }
}
