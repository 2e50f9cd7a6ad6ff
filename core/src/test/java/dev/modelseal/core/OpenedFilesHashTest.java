package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelManifest#computeOpened}: files named and read through paths the caller chose (an agent's
 * {@code /proc/self/fd/N}) hash as the walk of the same model does, in canonical order, per shard; and
 * {@link ModelManifest#of}, a manifest of entries the caller assembled.
 */
class OpenedFilesHashTest {
  @TempDir Path tmp;

  @Test
  void computeOpened_filesGivenOutOfOrderThroughOtherPaths_sameManifestAsWalk() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("a.bin"), "0123456789");
    Files.createDirectories(model.resolve("sub"));
    Files.writeString(model.resolve("sub/b.bin"), "abcdefg");
    Path elsewhere = Files.copy(model.resolve("a.bin"), tmp.resolve("read-a"));
    ModelHashing shards = ModelHashing.shards(3).build();

    ModelManifest opened = ModelManifest.computeOpened(List.of(
        new ModelManifest.OpenedFile("sub/b.bin", model.resolve("sub/b.bin"), 7),
        new ModelManifest.OpenedFile("a.bin", elsewhere, 10)), shards, ProgressListener.NONE);

    assertEquals(ModelManifest.compute(model, shards, ProgressListener.NONE).entries(), opened.entries());
  }

  @Test
  void computeOpened_fileShorterThanGivenSize_failsAsChanged() throws Exception {
    Path a = Files.writeString(tmp.resolve("a.bin"), "0123");

    IOException e = assertThrows(IOException.class, () -> ModelManifest.computeOpened(
        List.of(new ModelManifest.OpenedFile(".", a, 5)), ModelHashing.files().build(), ProgressListener.NONE));

    assertEquals("file changed while hashing: . is no longer 5 bytes", e.getMessage());
  }

  @Test
  void of_entriesOfComputedManifest_sameEntriesAndRootDigest() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("a.bin"), "0123456789");
    Files.writeString(model.resolve("b.bin"), "abcdefg");
    ModelManifest computed = ModelManifest.compute(model, ModelHashing.shards(4).build(), ProgressListener.NONE);

    ModelManifest rebuilt = ModelManifest.of(computed.entries());

    assertEquals(computed.entries(), rebuilt.entries());
    assertEquals(computed.rootDigestHex(), rebuilt.rootDigestHex());
  }
}
