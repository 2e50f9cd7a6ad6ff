package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes a copy-on-write clone ({@code pin=clone}) of a model file: the clone shares the original's blocks, and a
 * later write to the original is copied away from it, so hashing the clone verifies exactly what the runtime will
 * read, for the cost of one read and almost no disk. JDK 17 cannot issue {@code ioctl(FICLONE)}, and its
 * {@code transferTo}/{@code Files.copy} never clone (later JDKs may, falling back to a full copy without saying
 * so), so {@link #REFLINK} runs {@code cp --reflink=always}, which clones or fails.
 *
 * <p>Failure: {@link IOException} naming what failed (cp's own message); never a silent full copy. Works only on
 * the same file system, and only where it supports clones (XFS with reflink, btrfs, bcachefs, ZFS 2.2 block
 * cloning, ...): not on ext4 or tmpfs.
 */
interface Cloner {
  /** Clones {@code source} (a regular file) to {@code target} (which must not exist). */
  void cloneFile(Path source, Path target) throws IOException;

  /** {@code cp --reflink=always --no-dereference -- source target}, at most {@value ReflinkCp#TIMEOUT_SECONDS} s. */
  Cloner REFLINK = new ReflinkCp();

  /** {@link Cloner#REFLINK}. */
  final class ReflinkCp implements Cloner {
    static final int TIMEOUT_SECONDS = 60;

    @Override
    public void cloneFile(Path source, Path target) throws IOException {
      Process p = new ProcessBuilder("cp", "--reflink=always", "--no-dereference", "--", source.toString(),
          target.toString()).redirectErrorStream(true).start();
      try (InputStream out = p.getInputStream()) {
        byte[] said = out.readNBytes(4096);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("cp --reflink=always did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
          throw new IOException("cp --reflink=always failed (exit " + p.exitValue() + "): "
              + new String(said, StandardCharsets.UTF_8).trim().replace('\n', ' '));
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while cloning " + source);
      }
    }
  }
}
