package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamChunksTest {
  /** An endless stream of the byte 7 that counts what was read from it. */
  private static final class Endless extends InputStream {
    long read;

    @Override
    public int read() {
      read++;
      return 7;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 7);
      read += len;
      return len;
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void read_endlessStream_stopsOneByteAfterTheLimit() throws Exception {
    Endless in = new Endless();

    StreamChunks chunks = StreamChunks.read(in, 5L * StreamChunks.CHUNK + 3);

    assertTrue(chunks.overLimit());
    assertEquals(5L * StreamChunks.CHUNK + 4, in.read);
    assertEquals(5L * StreamChunks.CHUNK + 4, chunks.length());
  }

  @Test
  void read_streamOfExactlyTheLimit_joinsAllBytes() throws Exception {
    byte[] model = random(3 * StreamChunks.CHUNK + 17);

    StreamChunks chunks = StreamChunks.read(new ByteArrayInputStream(model), model.length);

    assertFalse(chunks.overLimit());
    assertArrayEquals(model, chunks.join());
  }

  @Test
  void read_oneByteOverTheLimit_overLimit() throws Exception {
    StreamChunks chunks = StreamChunks.read(new ByteArrayInputStream(random(1001)), 1000);

    assertTrue(chunks.overLimit());
  }

  @Test
  void read_emptyStream_joinsEmptyArray() throws Exception {
    assertArrayEquals(new byte[0], StreamChunks.read(new ByteArrayInputStream(new byte[0]), 10).join());
  }

  @Test
  void thenRest_overLimit_givesTheWholeOriginalStream() throws Exception {
    byte[] model = random(2 * StreamChunks.CHUNK + 5);
    InputStream in = new ByteArrayInputStream(model);

    StreamChunks chunks = StreamChunks.read(in, StreamChunks.CHUNK);

    assertArrayEquals(model, chunks.thenRest(in).readAllBytes());
  }
}
