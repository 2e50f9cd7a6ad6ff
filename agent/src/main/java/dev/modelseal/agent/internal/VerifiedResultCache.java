package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Digests of in-place model files, kept across restarts so that a restart on an unchanged model costs a
 * {@code stat}, not a hash: a cosign-signed file's JCA digests ({@link InPlacePins}), and the manifest digests (one
 * per shard) of each file an OpenSSF model signature lists ({@link OmsInPlace}). Consulted only for files that
 * qualify for in-place pinning ({@link InPlaceQualifier}): never for copies, and never for storage that does not
 * qualify. The signature is still checked against the cached digests on every load; the cache only stands for
 * "these bytes hash to this".
 *
 * <p>An entry is keyed by the opened file's identity: device, inode, size, modification and status-change time (in
 * nanoseconds), owner and mode (fs-verity digests are not available on JDK 17, see {@link InPlaceQualifier}). Any
 * change to the file changes its ctime, which no system call sets back, so a write whose mtime was restored still
 * misses. Git's racily-clean rule: an entry whose file changed within {@link #granularityNanos} of the moment it
 * was checked is not trusted (a later write in the same timestamp tick would leave the key unchanged); the file is
 * hashed again and the entry rewritten.
 *
 * <p>Storage: one text file, {@code 0600}, in a {@code 0700} directory {@value #DIR} under the pin directory,
 * replaced atomically on each update. Untrusted input: a directory or file that is a link, not owned by this JVM's
 * user or writable (file: readable) by others is ignored (and the directory never written); a file over
 * {@link #MAX_BYTES} bytes, over {@link #MAX_ENTRIES} entries or with any line it cannot parse is ignored whole.
 * Failures to read or write are never errors: the file is hashed as if there were no cache.
 */
final class VerifiedResultCache {
  static final String DIR = "modelseal-verified-cache";
  static final String FILE = "verified-results";
  static final int MAX_BYTES = 1 << 20;
  static final int MAX_ENTRIES = 4096;
  private static final String VERSION = "v1";
  /**
   * The digest names an entry may hold: JCA names (a cosign-signed file's digests) and {@code oms:} followed by an
   * OpenSSF model signature's resource algorithm (a listed file's manifest digests, one per shard, concatenated;
   * {@link OmsInPlace}).
   */
  private static final String ALGORITHM_NAMES = "SHA-(256|384|512)|oms:(sha256|blake2b)(-sharded-[1-9][0-9]{0,18})?";

  /** An opened file's identity. */
  record Key(long dev, long ino, long size, long mtimeNanos, long ctimeNanos, int uid, int mode) {
    String text() {
      return dev + " " + ino + " " + size + " " + mtimeNanos + " " + ctimeNanos + " " + uid + " " + mode;
    }
  }

  private final Path dir;
  private final int euid;
  private final long granularityNanos;

  /**
   * @param pinDir the pin directory the cache directory lives in
   * @param euid this JVM's effective uid (owner of the cache); -1 disables the cache
   * @param granularityNanos the file system's timestamp granularity, for the racily-clean rule
   */
  VerifiedResultCache(Path pinDir, int euid, long granularityNanos) {
    this.dir = pinDir.resolve(DIR);
    this.euid = euid;
    this.granularityNanos = granularityNanos;
  }

  /** The cache file. */
  Path file() {
    return dir.resolve(FILE);
  }

  /**
   * The digests recorded for {@code key}, if they cover {@code algorithms} and the entry is not racily clean;
   * else null.
   */
  Map<String, byte[]> lookup(Key key, Set<String> algorithms) {
    return snapshot().lookup(key, algorithms);
  }

  /** The cache as it is now, read once for many lookups (empty when the cache is off, missing, foreign or malformed). */
  Snapshot snapshot() {
    return new Snapshot(read());
  }

  /** The entries read once ({@link #snapshot}); lookups as {@link VerifiedResultCache#lookup}. */
  final class Snapshot {
    private final Map<String, String[]> entries;

    private Snapshot(Map<String, String[]> entries) {
      this.entries = entries;
    }

    /** As {@link VerifiedResultCache#lookup}. */
    Map<String, byte[]> lookup(Key key, Set<String> algorithms) {
      String[] e = entries.get(key.dev() + " " + key.ino());
      if (e == null || !e[0].equals(key.text()) || racilyClean(key, Long.parseLong(e[1]))) {
        return null;
      }
      Map<String, byte[]> digests = digestsOf(e[2]);
      return digests.keySet().containsAll(algorithms) ? digests : null;
    }
  }

  /** One result to record: the digests of the file that had {@code key} when it was checked at {@code checkedAtNanos}. */
  record Result(Key key, long checkedAtNanos, Map<String, byte[]> digests) {}

  /** Records the digests of the file that had {@code key} when it was checked at {@code checkedAtNanos} (epoch). */
  void record(Key key, long checkedAtNanos, Map<String, byte[]> digests) {
    record(List.of(new Result(key, checkedAtNanos, digests)));
  }

  /**
   * Records {@code results} with one rewrite of the cache file. An entry already there for the same identity that is
   * not racily clean keeps the digests of other algorithms (a file verified both as a cosign file and as part of an
   * OpenSSF model); any other entry of that inode is replaced. Oldest entries are dropped to stay within
   * {@link #MAX_ENTRIES} and {@link #MAX_BYTES}; a result whose line alone exceeds {@link #MAX_BYTES} is not recorded.
   */
  void record(List<Result> results) {
    try {
      if (euid < 0 || results.isEmpty() || !ownDirectory()) {
        return;
      }
      Map<String, String[]> entries = read();
      for (Result r : results) {
        String id = r.key().dev() + " " + r.key().ino();
        String[] old = entries.remove(id);
        Map<String, byte[]> digests = new TreeMap<>();
        long checkedAt = r.checkedAtNanos();
        if (old != null && old[0].equals(r.key().text()) && !racilyClean(r.key(), Long.parseLong(old[1]))) {
          digests.putAll(digestsOf(old[2]));
          checkedAt = Math.min(checkedAt, Long.parseLong(old[1]));
        }
        digests.putAll(r.digests());
        StringBuilder d = new StringBuilder();
        for (Map.Entry<String, byte[]> x : digests.entrySet()) {
          d.append(d.length() == 0 ? "" : ",").append(x.getKey()).append('=').append(HexFormat.of().formatHex(x.getValue()));
        }
        String[] entry = {r.key().text(), Long.toString(checkedAt), d.toString()};
        if (line(entry).length() <= MAX_BYTES) {
          entries.put(id, entry);
        }
      }
      List<String> lines = new ArrayList<>();
      long bytes = 0;
      List<String[]> newestFirst = new ArrayList<>(entries.values());
      Collections.reverse(newestFirst);
      for (String[] v : newestFirst) {
        String line = line(v);
        if (lines.size() == MAX_ENTRIES || bytes + line.length() > MAX_BYTES) {
          break; // the older ones are dropped
        }
        lines.add(line);
        bytes += line.length();
      }
      Collections.reverse(lines);
      Path tmp = Files.createTempFile(dir, FILE, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, String.join("", lines).getBytes(StandardCharsets.US_ASCII));
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written only costs the next start a hash
    }
  }

  /** Git's racily-clean rule: the file changed within a timestamp tick of the check that recorded it. */
  private boolean racilyClean(Key key, long checkedAt) {
    return Math.max(key.mtimeNanos(), key.ctimeNanos()) > checkedAt - granularityNanos;
  }

  private static String line(String[] entry) {
    return VERSION + ' ' + entry[0] + ' ' + entry[1] + ' ' + entry[2] + '\n';
  }

  private static Map<String, byte[]> digestsOf(String text) {
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      digests.put(pair.substring(0, eq), HexFormat.of().parseHex(pair.substring(eq + 1)));
    }
    return digests;
  }

  /** The directory, created {@code 0700} if missing; true only if it is ours and private. */
  private boolean ownDirectory() throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && privateToUs(dir, 0077);
  }

  private boolean privateToUs(Path p, int forbidden) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
    return (Integer) a.get("uid") == euid && ((Integer) a.get("mode") & forbidden) == 0;
  }

  /** Entries by "dev ino": {key text, checkedAt, digests}; empty if the file is missing, foreign or malformed. */
  private Map<String, String[]> read() {
    Map<String, String[]> entries = new LinkedHashMap<>();
    try {
      Path f = file();
      if (euid < 0 || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          || !privateToUs(dir, 0077) || !privateToUs(f, 0077)) {
        return entries;
      }
      byte[] b;
      try (InputStream in = Channels.newInputStream(RegularFiles.openForReading(f))) {
        b = in.readNBytes(MAX_BYTES + 1);
      }
      if (b.length > MAX_BYTES) {
        return entries;
      }
      for (String line : new String(b, StandardCharsets.US_ASCII).split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f2 = line.split(" ");
        if (f2.length != 10 || !f2[0].equals(VERSION) || entries.size() >= MAX_ENTRIES) {
          return new LinkedHashMap<>();
        }
        for (int i = 1; i < 9; i++) {
          Long.parseLong(f2[i]);
        }
        for (String pair : f2[9].split(",")) {
          int eq = pair.indexOf('=');
          if (eq <= 0 || !pair.substring(0, eq).matches(ALGORITHM_NAMES)) {
            return new LinkedHashMap<>();
          }
          HexFormat.of().parseHex(pair.substring(eq + 1));
        }
        String key = f2[1] + " " + f2[2] + " " + f2[3] + " " + f2[4] + " " + f2[5] + " " + f2[6] + " " + f2[7];
        entries.put(f2[1] + " " + f2[2], new String[] {key, f2[8], f2[9]});
      }
    } catch (IOException | RuntimeException e) {
      return new LinkedHashMap<>();
    }
    return entries;
  }
}
