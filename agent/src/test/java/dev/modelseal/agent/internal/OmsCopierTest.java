package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One large file signed as OpenSSF shards ({@code sign-model --shard-size}): pinned while its shards are hashed in
 * parallel ({@link OmsCopier}), with the digests a sequential hash gives, and a tampered shard refused, named.
 */
class OmsCopierTest {
  /** Several copy chunks and an uneven last shard. */
  private static final int SIZE = (int) (2 * OmsCopier.CHUNK + 3 * 1024 * 1024 + 77);
  private static final long SHARD = 3L * 1024 * 1024;

  @TempDir Path tmp;
  private SignedModels m;
  private Path weights;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    weights = m.dir.resolve("models/llm/weights.bin");
    Files.createDirectories(weights.getParent());
    byte[] b = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      b[i] = (byte) (i * 7 + (i >>> 11));
    }
    Files.write(weights, b);
  }

  private String shardSignature(Path model) throws Exception {
    return ModelSigner.withKey(m.prod.getPrivate()).sign(model, ModelHashing.shards(SHARD).build(),
        ProgressListener.NONE);
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) {
      r.seek(at);
      int b = r.read();
      r.seek(at);
      r.write(b ^ 1);
    }
  }

  @Test
  void pinAndHash_fileInShardsOnFourThreads_equalsTheSequentialDigestsAndAReadOnlyCopy() throws Exception {
    Path target = m.dir.resolve("pins/1/weights.bin");

    ModelManifest pinned = OmsCopier.pinAndHash(List.of(new OmsCopier.Item(".", weights, target, SIZE)), target,
        ModelHashing.shards(SHARD).threads(4).build());

    ModelManifest sequential = ModelManifest.compute(weights, ModelHashing.shards(SHARD).threads(1).build(),
        ProgressListener.NONE);
    assertEquals(7, pinned.entries().size());
    assertEquals(sequential.entries(), pinned.entries());
    assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(target));
    assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  @Test
  void pinAndHash_originalShorterThanItsWalk_throwsFileChanged() throws Exception {
    Path target = m.dir.resolve("pins/1/weights.bin");

    IOException e = assertThrows(IOException.class, () -> OmsCopier.pinAndHash(
        List.of(new OmsCopier.Item(".", weights, target, SIZE + 5L)), target, ModelHashing.shards(SHARD).build()));
    assertEquals("file changed while hashing: . is no longer " + (SIZE + 5L) + " bytes", e.getMessage());
  }

  @Test
  void checkPath_fileSignedAsShards_handsOnPinnedCopy() throws Exception {
    Files.writeString(weights.resolveSibling("weights.bin.sigstore.json"), shardSignature(weights));

    Path pinned = m.gate("").checkPath("test", weights);

    assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(pinned));
    assertEquals(true, m.decisionLines().get(0).contains("\"decision\":\"allow\""));
  }

  @Test
  void checkPath_fileSignedAsShardsWithOneShardTampered_refusedNamingTheShard() throws Exception {
    Files.writeString(weights.resolveSibling("weights.bin.sigstore.json"), shardSignature(weights));
    flipByte(weights, 4 * SHARD + 10);

    assertEquals("model rejected (MANIFEST_MISMATCH): " + weights + ": weights.bin.sigstore.json: model does not"
        + " match its signature: modified files: .:12582912:15728640", m.refusal("", weights));
  }

  @Test
  void checkPath_directoryWithAFileSignedAsShardsOneTampered_refusedNamingTheShard() throws Exception {
    Path dir = weights.getParent();
    SignedModels.write(dir.resolve("config.json"), "{}");
    Files.writeString(dir.resolve("model.sig"), shardSignature(dir));
    flipByte(weights, SIZE - 1);

    assertEquals("model rejected (MANIFEST_MISMATCH): " + dir + ": model.sig: model does not match its signature:"
        + " modified files: weights.bin:18874368:" + SIZE, m.refusal("", dir));
  }

  @Test
  void checkPath_directoryWithAFileSignedAsShards_handsOnPinnedCopyOfBoth() throws Exception {
    Path dir = weights.getParent();
    SignedModels.write(dir.resolve("config.json"), "{}");
    Files.writeString(dir.resolve("model.sig"), shardSignature(dir));

    Path pinned = m.gate("").checkPath("test", dir);

    assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(pinned.resolve("weights.bin")));
    assertEquals("{}", Files.readString(pinned.resolve("config.json")));
  }
}
