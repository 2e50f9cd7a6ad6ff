package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Pins a model file in place ({@code pin=in-place}): opens it ({@link RegularFiles}), checks on the opened file
 * (its {@code /proc/self/fd/N}, whose device and inode must be the path's) that its storage qualifies
 * ({@link InPlaceQualifier}), hashes that open file (or takes its digests from the {@link VerifiedResultCache}), and
 * puts a symbolic link named like the original in the pin folder, pointing at {@code /proc/<pid>/fd/N}: the
 * runtime reaches the very file that was hashed, while names still resolve (split shards, ONNX external data
 * beside it). The descriptor stays open for the JVM's life (a refused load releases it, {@link Pinned#release}).
 *
 * <p>Failure: anything that goes wrong while deciding (no descriptor number, a mount table it cannot read, a file
 * replaced between open and check) is reported as "not in place" with the reason, so the caller copies instead: an
 * error never yields an unchecked in-place pin. A file that changes while it is hashed fails with
 * {@link IOException}. With {@code forced}, a file that does not qualify is pinned in place anyway and labelled
 * {@link PinMode#IN_PLACE_FORCED}; the cache is never used for it.
 */
final class InPlacePins {
  /** Reads the mount table (injectable for tests). */
  interface Mounts {
    MountTable read() throws IOException;
  }

  /**
   * The outcome: {@code digests} null means "not pinned in place", {@code note} saying why; else the digests of the
   * open file, the decision line's pin label and what to add to its detail.
   */
  record Pinned(Map<String, byte[]> digests, String label, String note, FileChannel channel) {
    /** Closes the kept descriptor of a load that was refused after pinning. */
    void release() {
      releaseDescriptor(channel);
    }
  }

  private static final int HASH_BUFFER = 1 << 20;
  private static final String STAT = "unix:dev,ino,uid,mode,size,lastModifiedTime,ctime";
  /** Descriptors of in-place pins: open until the JVM exits. */
  private static final List<FileChannel> KEPT = Collections.synchronizedList(new ArrayList<>());
  /** Descriptor number to channel, for every file opened here and not yet released (kept or being hashed). */
  private static final Map<Integer, FileChannel> HELD = new java.util.concurrent.ConcurrentHashMap<>();

  private final Set<Integer> trustedOwners;
  private final boolean forced;
  private final VerifiedResultCache cache;
  private final Mounts mounts;
  private final int euid;

  InPlacePins(Set<Integer> trustedOwners, boolean forced, VerifiedResultCache cache, Mounts mounts, int euid) {
    this.trustedOwners = Set.copyOf(trustedOwners);
    this.forced = forced;
    this.cache = cache;
    this.mounts = mounts;
    this.euid = euid;
  }

  /** True for {@code pin=in-place}: a file that does not qualify is pinned in place anyway. */
  boolean forced() {
    return forced;
  }

  /** The verified-result cache, null when it is off ({@code verified-cache=false}). */
  VerifiedResultCache cache() {
    return cache;
  }

  /** Tries to pin {@code source} in place as {@code target} (a link in a pin folder; must not exist). */
  Pinned pin(Path source, Path target, Set<String> algorithms) throws IOException {
    Opened d = open(source);
    if (!d.qualifies() && (!forced || !d.decided())) {
      d.close();
      return notInPlace(d.why()); // fail closed: a copy, never an unchecked in-place pin
    }
    FileChannel ch = d.channel;
    boolean kept = false;
    try {
      VerifiedResultCache.Key key = d.key();
      boolean useCache = d.qualifies() && cache != null;
      Map<String, byte[]> digests = useCache ? cache.lookup(key, algorithms) : null;
      boolean hit = digests != null;
      if (!hit) {
        digests = hash(ch, algorithms);
        d.requireUnchanged(source);
        if (useCache) {
          cache.record(key, d.checkedAt, digests);
        }
      }
      Files.createDirectories(target.getParent());
      d.linkAndKeep(target);
      kept = true;
      String label = d.qualifies() ? PinMode.IN_PLACE.label : PinMode.IN_PLACE_FORCED;
      String note = "pinned in place (" + (d.qualifies() ? "" : "forced by pin=in-place although ") + d.why()
          + ")" + (hit ? "; verified-result cache hit (not hashed)" : "");
      return new Pinned(digests, label, note, ch);
    } finally {
      if (!kept) {
        d.close(); // and no longer held: its number may be reused by any other file
      }
    }
  }

  /**
   * A file opened for in-place pinning and what was decided on the opened file ({@code /proc/self/fd/N}): its
   * descriptor number, its attributes when opened, when the check ran, and whether its storage qualifies. When
   * deciding failed, {@code failure} says why and the descriptor is closed ({@link #open}).
   */
  static final class Opened {
    private final FileChannel channel;
    private final int fd;
    private final Path fdPath;
    private final Map<String, Object> opened;
    private final long checkedAt;
    private final InPlaceQualifier.Qualification q;
    private final String failure;

    private Opened(FileChannel channel, int fd, Path fdPath, Map<String, Object> opened, long checkedAt,
        InPlaceQualifier.Qualification q, String failure) {
      this.channel = channel;
      this.fd = fd;
      this.fdPath = fdPath;
      this.opened = opened;
      this.checkedAt = checkedAt;
      this.q = q;
      this.failure = failure;
    }

    /** False when deciding failed: such a file must not be pinned in place, even by force. */
    boolean decided() {
      return failure == null;
    }

    /** True when the opened file's storage qualifies for in-place pinning. */
    boolean qualifies() {
      return failure == null && q.qualifies();
    }

    /** Why it qualifies, or why not (or why deciding failed). */
    String why() {
      return failure != null ? failure : q.why();
    }

    /** The path that reopens the opened inode, {@code /proc/self/fd/N}. */
    Path fdPath() {
      return fdPath;
    }

    /** The opened file's size when it was opened. */
    long size() {
      return (Long) opened.get("size");
    }

    /** The opened file's identity when it was opened (the verified-result cache's key). */
    VerifiedResultCache.Key key() {
      return keyOf(opened);
    }

    /** When it was decided, in nanoseconds since the epoch (the racily-clean rule's reference). */
    long checkedAt() {
      return checkedAt;
    }

    /** Fails if the opened file changed since it was opened (re-{@code stat} after hashing). */
    void requireUnchanged(Path source) throws IOException {
      if (!keyOf(Files.readAttributes(fdPath, STAT)).equals(key())) {
        throw new IOException(source + " changed while it was verified in place");
      }
    }

    /** Creates {@code link} pointing at {@code /proc/<pid>/fd/N} and keeps the descriptor open for the JVM's life. */
    void linkAndKeep(Path link) throws IOException {
      Files.createSymbolicLink(link, Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd));
      KEPT.add(channel);
    }

    /** Releases the descriptor (kept or not). */
    void close() {
      releaseDescriptor(channel);
    }
  }

  /**
   * Opens {@code source} ({@link RegularFiles}) and decides on the opened file whether its storage qualifies. An
   * error while deciding is not thrown: the result says it ({@link Opened#decided()} false, descriptor closed), so
   * callers fail closed. Throws only if the file cannot be opened.
   */
  Opened open(Path source) throws IOException {
    FileChannel ch = RegularFiles.openForReading(source);
    try {
      Opened o = decide(ch, source);
      HELD.put(o.fd, ch);
      return o;
    } catch (IOException | RuntimeException e) {
      ch.close();
      return new Opened(null, -1, null, null, 0, null, "deciding failed: " + e);
    }
  }

  private Opened decide(FileChannel ch, Path source) throws IOException {
    int fd = FdNumbers.of(ch);
    if (fd < 0) {
      throw new IOException("the descriptor number of an open file is not readable on this JVM");
    }
    Path fdPath = Path.of("/proc/self/fd/" + fd);
    Map<String, Object> opened = Files.readAttributes(fdPath, STAT);
    Map<String, Object> named = Files.readAttributes(source, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    if (!opened.get("dev").equals(named.get("dev")) || !opened.get("ino").equals(named.get("ino"))) {
      throw new IOException("it was replaced while it was opened");
    }
    long checkedAt = epochNanos(Instant.now());
    MountTable table = mounts.read();
    MountTable.Mount mount = table.mountOf(source);
    if (mount != null && !mount.device().equals(MountTable.device((Long) opened.get("dev")))) {
      mount = null; // the path's mount is not the opened file's device: do not guess
    }
    return new Opened(ch, fd, fdPath, opened, checkedAt, InPlaceQualifier.decide(mount, table, euid, trustedOwners,
        (Integer) opened.get("uid"), (Integer) opened.get("mode")), null);
  }

  /**
   * True if {@code path} is, as a string, {@code /proc/self/fd/N} or {@code /proc/<this pid>/fd/N} for a descriptor
   * this class opened and holds: a read of it reads a file the agent opened to hash or hashed (sealed reads let the
   * agent's own hashing of such a path through, {@link SealedReads}).
   */
  static boolean isHeldDescriptorPath(String path) {
    String own = "/proc/" + ProcessHandle.current().pid() + "/fd/";
    String n = path.startsWith("/proc/self/fd/") ? path.substring(14)
        : path.startsWith(own) ? path.substring(own.length()) : "";
    if (n.isEmpty() || n.length() > 9) {
      return false;
    }
    for (int i = 0; i < n.length(); i++) {
      if (n.charAt(i) < '0' || n.charAt(i) > '9') {
        return false;
      }
    }
    return HELD.containsKey(Integer.parseInt(n));
  }

  /** Closes a descriptor, kept or not (no-op for null). */
  private static void releaseDescriptor(FileChannel channel) {
    if (channel != null) {
      KEPT.remove(channel);
      HELD.values().remove(channel);
      try {
        channel.close();
      } catch (IOException e) {
        // nothing reads it
      }
    }
  }

  private static Pinned notInPlace(String why) {
    return new Pinned(null, null, why, null);
  }

  private static VerifiedResultCache.Key keyOf(Map<String, Object> a) {
    return new VerifiedResultCache.Key((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS),
        (Integer) a.get("uid"), (Integer) a.get("mode"));
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static Map<String, byte[]> hash(FileChannel ch, Set<String> algorithms) throws IOException {
    MessageDigest[] mds = new MessageDigest[algorithms.size()];
    int i = 0;
    for (String a : algorithms) {
      try {
        mds[i++] = MessageDigest.getInstance(a);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(a + " is missing from this JVM", e);
      }
    }
    byte[] buf = new byte[HASH_BUFFER];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long pos = 0;
    int n;
    while ((n = ch.read(bb.clear(), pos)) > 0) {
      for (MessageDigest md : mds) {
        md.update(buf, 0, n);
      }
      pos += n;
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    i = 0;
    for (String a : algorithms) {
      out.put(a, mds[i++].digest());
    }
    return out;
  }

  /** This JVM's effective uid, from {@code /proc/self/status}; -1 if unknown. */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown: only the storage rules can qualify a file
    }
    return -1;
  }
}
