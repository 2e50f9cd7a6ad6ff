package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Real mounts for the in-place pinning tests (root only): the check that mounts are permitted here, tmpfs and bind
 * mounts made by a test and lazily unmounted after it (newest first), the commands that make them, and a java home
 * that runs the JVM in its own mount namespace.
 */
final class ReadOnlyMounts {
  private final List<Path> mounted = new ArrayList<>();

  /** Skips the test, saying why, unless this build runs as root and may mount a tmpfs (probed under {@code tmp}). */
  static void assumePermitted(Path tmp) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "mounts need root; this build runs as "
        + System.getProperty("user.name"));
    Path probe = Files.createDirectories(tmp.resolve("mount-probe"));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "modelseal-it", probe.toString()) == 0,
        "mount -t tmpfs is not permitted here (a container without CAP_SYS_ADMIN?)");
    run("umount", probe.toString());
  }

  /** Mounts a fresh tmpfs with {@code options} on {@code dir}, unmounted by {@link #unmountAll}. */
  void tmpfs(Path dir, String options) throws Exception {
    mustRun("mount", "-t", "tmpfs", "-o", options, "modelseal-it", dir.toString());
    mounted.add(dir);
  }

  /** Records a mount the test made itself on {@code dir} (a bind mount), unmounted by {@link #unmountAll}. */
  void track(Path dir) {
    mounted.add(dir);
  }

  /** Lazily unmounts every mount made or recorded here, newest first. */
  void unmountAll() throws Exception {
    for (int i = mounted.size() - 1; i >= 0; i--) {
      run("umount", "-l", mounted.get(i).toString());
    }
  }

  /**
   * A java home under {@code tmp} whose {@code bin/java} runs JDK {@code jdk}'s in a new mount namespace without
   * {@code hidden}'s mount.
   */
  static Path namespaceJavaHome(Path tmp, String jdk, Path hidden) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("ns-java/bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nexec unshare --mount --propagation private sh -c"
        + " 'umount \"$0\" && exec \"$@\"' '" + hidden + "' '" + Fixtures.javaHome(jdk).resolve("bin/java") + "' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin.getParent();
  }

  /** Runs {@code command}, failing the test unless it exits 0. */
  static void mustRun(String... command) throws Exception {
    assertEquals(0, run(command), String.join(" ", command));
  }

  /** Runs {@code command} and returns its exit code; its output goes to stderr when it fails. */
  static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      System.err.println(String.join(" ", command) + ": " + out);
    }
    return rc;
  }
}
