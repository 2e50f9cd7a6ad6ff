package dev.modelseal.agent.internal;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pinned copies sealed reads hand out, reused while the original is unchanged, so that a file read
 * many times is copied and verified once. An original is identified by its real path, device and inode,
 * size, modification time and status-change time ({@code ctime}, which the kernel sets on every write,
 * truncation, rename or permission change and which no system call sets back), read without following
 * links; a copy is reused only if that identity is the one recorded when it was verified, and the copy
 * itself is still there.
 *
 * <p>Why reuse is sound: a pinned copy holds bytes that were verified with a key allowed at the real path,
 * and nothing the application or an attacker does to the original changes the copy. The identity only
 * decides whether the copy is still the original's current content. If two versions ever shared an
 * identity (a rewrite of the same size within one timestamp tick), the read would get the older version,
 * which was itself verified: never unverified bytes. A copy whose original changed while it was verified
 * is handed out once (it was verified) but not recorded.
 *
 * <p>Bounded to {@link #MAX_ENTRIES} originals, least recently read dropped first; the copies themselves
 * stay until the JVM exits, like every pin (a reader may still have one open or mapped).
 */
final class SealedPins {
  static final int MAX_ENTRIES = 4096;

  /** The attributes, in one {@code stat} without following links, that make up an identity. */
  static final String ATTRIBUTES = "unix:mode,dev,ino,size,lastModifiedTime,ctime";

  private final Map<String, Entry> entries = new LinkedHashMap<String, Entry>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** An original's identity: {@code attributes} as {@link #ATTRIBUTES} reads them. */
  static final class Identity {
    final long dev;
    final long ino;
    final long size;
    final FileTime modified;
    final FileTime changed;

    Identity(Map<String, Object> attributes) {
      this.dev = (Long) attributes.get("dev");
      this.ino = (Long) attributes.get("ino");
      this.size = (Long) attributes.get("size");
      this.modified = (FileTime) attributes.get("lastModifiedTime");
      this.changed = (FileTime) attributes.get("ctime");
    }

    boolean same(Identity o) {
      return o != null && dev == o.dev && ino == o.ino && size == o.size && modified.equals(o.modified)
          && changed.equals(o.changed);
    }
  }

  /** A verified copy and what its verification logged. */
  static final class Entry {
    final Identity identity;
    final Verdict verdict;

    Entry(Identity identity, Verdict verdict) {
      this.identity = identity;
      this.verdict = verdict;
    }
  }

  /** Returns the recorded verdict for {@code real} if its identity is still {@code now} and its copy exists. */
  Verdict reusable(Path real, Identity now) {
    Entry e;
    synchronized (entries) {
      e = entries.get(real.toString());
    }
    if (e == null || !e.identity.same(now) || !Files.isRegularFile(e.verdict.pinned(), LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    return e.verdict;
  }

  /** Records a copy verified for {@code real} while it had {@code identity}. */
  void record(Path real, Identity identity, Verdict verdict) {
    synchronized (entries) {
      entries.put(real.toString(), new Entry(identity, verdict));
    }
  }
}
