package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hashes a stream in one pass with a fixed 64 KiB buffer (constant memory whatever the size), with
 * any number of digests at once, optionally keeping the first {@code keepLimit} bytes for the one
 * scheme that needs the whole message (pure Ed25519).
 */
final class StreamingDigest {
  static final int BUFFER_BYTES = 64 * 1024;
  private static final long PROGRESS_STEP = 8L << 20;

  final Map<String, byte[]> digests = new LinkedHashMap<>();
  /** The whole message when it fit in {@code keepLimit}, else null. */
  byte[] message;
  int messageLength;
  long size;

  private StreamingDigest() {}

  static StreamingDigest ofDigests(Map<String, byte[]> digests) {
    StreamingDigest r = new StreamingDigest();
    r.digests.putAll(digests);
    return r;
  }

  static StreamingDigest of(InputStream in, Set<String> algorithms, long keepLimit, long total,
      ProgressListener progress) throws IOException {
    StreamingDigest r = new StreamingDigest();
    MessageDigest[] mds = new MessageDigest[algorithms.size()];
    int i = 0;
    for (String a : algorithms) {
      try {
        mds[i++] = MessageDigest.getInstance(a);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(a + " is missing from this JVM", e);
      }
    }
    byte[] keep = keepLimit > 0 ? new byte[(int) Math.min(keepLimit, total >= 0 ? total : BUFFER_BYTES)] : null;
    boolean keeping = keep != null;
    byte[] buf = new byte[BUFFER_BYTES];
    long nextReport = PROGRESS_STEP;
    int n;
    while ((n = in.read(buf)) > 0) {
      for (MessageDigest md : mds) {
        md.update(buf, 0, n);
      }
      if (keeping) {
        if (r.size + n > keepLimit) {
          keeping = false;
          keep = null;
        } else {
          if (r.size + n > keep.length) {
            keep = Arrays.copyOf(keep, (int) Math.min(keepLimit, Math.max(keep.length * 2L, r.size + n)));
          }
          System.arraycopy(buf, 0, keep, (int) r.size, n);
        }
      }
      r.size += n;
      if (r.size >= nextReport) {
        progress.progress(r.size, total);
        nextReport = r.size + PROGRESS_STEP;
      }
    }
    progress.progress(r.size, total);
    i = 0;
    for (String a : algorithms) {
      r.digests.put(a, mds[i++].digest());
    }
    if (keeping) {
      r.message = keep;
      r.messageLength = (int) r.size;
    }
    return r;
  }
}
