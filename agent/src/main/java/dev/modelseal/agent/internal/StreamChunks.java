package dev.modelseal.agent.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model stream read into memory in chunks, stopping as soon as it crosses a bound: while reading it
 * holds at most the bound and one chunk, so an endless or oversized stream is refused before it can
 * exhaust the heap. A stream within the bound is then joined into one array (the verifier and {@code
 * VerifiedInputStream} work on arrays), which briefly needs twice its length.
 */
final class StreamChunks {
  /** Bytes read per chunk. */
  static final int CHUNK = 1 << 20;

  private final List<byte[]> chunks;
  private final long length;
  private final boolean overLimit;

  private StreamChunks(List<byte[]> chunks, long length, boolean overLimit) {
    this.chunks = chunks;
    this.length = length;
    this.overLimit = overLimit;
  }

  /**
   * Reads {@code in} until it ends or more than {@code limit} bytes have been read.
   *
   * @param limit the most bytes a stream may have; at most {@code Integer.MAX_VALUE - 8}
   */
  static StreamChunks read(InputStream in, long limit) throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    long total = 0;
    while (true) {
      int want = (int) Math.min(CHUNK, limit + 1 - total);
      byte[] chunk = new byte[want];
      int n = in.readNBytes(chunk, 0, want);
      total += n;
      if (n < want) {
        if (n > 0) {
          chunks.add(java.util.Arrays.copyOf(chunk, n));
        }
        return new StreamChunks(chunks, total, false);
      }
      chunks.add(chunk);
      if (total > limit) {
        return new StreamChunks(chunks, total, true);
      }
    }
  }

  /** True if the stream had more bytes than the limit; then only the first limit + 1 were read. */
  boolean overLimit() {
    return overLimit;
  }

  /** The number of bytes read. */
  long length() {
    return length;
  }

  /** The whole stream as one array (only when within the limit); the chunks are released. */
  byte[] join() {
    if (overLimit) {
      throw new IllegalStateException("stream is over the limit");
    }
    if (chunks.size() == 1 && chunks.get(0).length == length) {
      return chunks.remove(0);
    }
    byte[] all = new byte[(int) length];
    int at = 0;
    for (int i = 0; i < chunks.size(); i++) {
      byte[] c = chunks.set(i, null);
      System.arraycopy(c, 0, all, at, c.length);
      at += c.length;
    }
    chunks.clear();
    return all;
  }

  /** The bytes read, followed by the rest of {@code in}: the original stream, for audit mode. */
  InputStream thenRest(InputStream in) {
    List<InputStream> parts = new ArrayList<>(chunks.size() + 1);
    for (byte[] c : chunks) {
      parts.add(new ByteArrayInputStream(c));
    }
    parts.add(in);
    return new SequenceInputStream(Collections.enumeration(parts));
  }
}
