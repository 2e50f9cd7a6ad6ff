package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mounts this JVM's mount namespace sees, parsed from {@code /proc/self/mountinfo} (proc(5)): for each, the
 * device ({@code major:minor}), the mount point, whether the mount itself is read-only (per-mount options, as a
 * Kubernetes {@code readOnly} volume or a {@code mount -o remount,bind,ro} is), the file-system type and whether
 * the file system (super block) is read-only everywhere.
 *
 * <p>Failure: {@link #read()} throws {@link IOException} for a table it cannot read, larger than
 * {@link #MAX_BYTES}, or with a line it cannot parse; callers treat that as "does not qualify" (fail closed).
 */
final class MountTable {
  /** Largest mount table read (a container has tens of mounts, a busy host thousands). */
  static final int MAX_BYTES = 4 << 20;

  /**
   * One mount.
   *
   * @param device {@code major:minor} of its file system
   * @param mountPoint where it is mounted (octal escapes such as {@code \040} decoded)
   * @param readOnlyMount the per-mount {@code ro} option
   * @param fsType the file-system type ({@code ext4}, {@code nfs4}, {@code fuse.sshfs}, ...)
   * @param readOnlySuper the super block's {@code ro} option: read-only through every mount
   */
  record Mount(String device, String mountPoint, boolean readOnlyMount, String fsType, boolean readOnlySuper) {}

  private final List<Mount> mounts;

  MountTable(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  /** Reads this JVM's mount table. */
  static MountTable read() throws IOException {
    byte[] b;
    try (InputStream in = Files.newInputStream(Path.of("/proc/self/mountinfo"))) {
      b = in.readNBytes(MAX_BYTES + 1);
    }
    if (b.length > MAX_BYTES) {
      throw new IOException("/proc/self/mountinfo is larger than " + MAX_BYTES + " bytes");
    }
    return parse(new String(b, StandardCharsets.UTF_8));
  }

  /** Parses mountinfo text (proc(5) format). */
  static MountTable parse(String text) throws IOException {
    List<Mount> mounts = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      int dash = Arrays.asList(f).indexOf("-");
      if (f.length < 10 || dash < 6 || dash + 3 >= f.length) {
        throw new IOException("unparsable mountinfo line: " + line.substring(0, Math.min(200, line.length())));
      }
      mounts.add(new Mount(f[2], unescape(f[4]), hasOption(f[5], "ro"), f[dash + 1], hasOption(f[dash + 3], "ro")));
    }
    return new MountTable(mounts);
  }

  /**
   * The mount {@code real} (an absolute real path) lies on: the last mounted of those with the longest mount
   * point containing it (a later mount on the same point hides the earlier), or null.
   */
  Mount mountOf(Path real) {
    Mount best = null;
    int bestLength = -1;
    for (Mount m : mounts) {
      Path point = Path.of(m.mountPoint());
      if (real.startsWith(point) && point.getNameCount() >= bestLength) {
        best = m;
        bestLength = point.getNameCount();
      }
    }
    return best;
  }

  /** A mount of {@code device} that is writable here (neither it nor its file system read-only), or null. */
  Mount writableMountOf(String device) {
    for (Mount m : mounts) {
      if (m.device().equals(device) && !m.readOnlyMount() && !m.readOnlySuper()) {
        return m;
      }
    }
    return null;
  }

  /** The {@code major:minor} of a Linux {@code st_dev} (glibc's {@code gnu_dev_major}/{@code gnu_dev_minor}). */
  static String device(long stDev) {
    long major = ((stDev >>> 8) & 0xfffL) | ((stDev >>> 32) & ~0xfffL);
    long minor = (stDev & 0xffL) | ((stDev >>> 12) & ~0xffL);
    return major + ":" + minor;
  }

  private static boolean hasOption(String options, String option) {
    for (String o : options.split(",")) {
      if (o.equals(option)) {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
