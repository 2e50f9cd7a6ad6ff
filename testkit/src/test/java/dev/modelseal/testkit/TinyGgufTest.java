package dev.modelseal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GGUF fixtures are real llama.cpp inputs: java-llama.cpp 4.2.0 (its bundled llama.cpp) loads each, without
 * any agent, and completes a prompt. A control for each auxiliary file (a missing shard, a broken adapter) fails
 * the load, so the file is really read. (Load-time log lines go to standard error, not to
 * {@code LlamaModel.setLogger}: each load resets llama.cpp's log callback.)
 */
class TinyGgufTest {
  @TempDir static Path natives;
  @TempDir Path tmp;

  @BeforeAll
  static void privateNativeFolder() {
    // java-llama.cpp extracts its library into, and deletes llama* files from, this folder.
    System.setProperty("de.kherud.llama.tmpdir", natives.toString());
  }

  private static String complete(ModelParameters parameters) {
    try (LlamaModel model = new LlamaModel(parameters.setCtxSize(64).setThreads(1))) {
      return model.complete(new InferenceParameters("ab").setNPredict(4).setSeed(1));
    }
  }

  private static void assertLoadFails(ModelParameters parameters) {
    // LlamaException (package-private in 4.2.0)
    RuntimeException e = assertThrows(RuntimeException.class, () -> complete(parameters));
    assertEquals("de.kherud.llama.LlamaException", e.getClass().getName());
    assertEquals("could not load model from given file path", e.getMessage());
  }

  @Test
  void model_loadedByLlamaCpp_completes() throws Exception {
    Path model = Files.write(tmp.resolve("tiny.gguf"), TinyGguf.model());

    assertNotNull(complete(new ModelParameters().setModel(model.toString())));
  }

  @Test
  void flipLastWeightBit_stillLoadedByLlamaCpp_completes() throws Exception {
    Path model = Files.write(tmp.resolve("flipped.gguf"), TinyGguf.flipLastWeightBit(TinyGguf.model()));

    assertNotNull(complete(new ModelParameters().setModel(model.toString())));
  }

  @Test
  void shards_firstShardLoadedByLlamaCpp_readsTheSecond() throws Exception {
    List<byte[]> shards = TinyGguf.shards(2);
    Path first = Files.write(tmp.resolve(TinyGguf.shardName("tiny", 1, 2)), shards.get(0));
    Files.write(tmp.resolve(TinyGguf.shardName("tiny", 2, 2)), shards.get(1));

    assertNotNull(complete(new ModelParameters().setModel(first.toString())));
    assertEquals("tiny-00001-of-00002.gguf", first.getFileName().toString());
  }

  @Test
  void shards_secondShardMissing_loadFails() throws Exception {
    Path first = Files.write(tmp.resolve(TinyGguf.shardName("tiny", 1, 2)), TinyGguf.shards(2).get(0));

    assertLoadFails(new ModelParameters().setModel(first.toString()));
  }

  @Test
  void loraAdapter_loadedByLlamaCpp_withTheModel() throws Exception {
    Path model = Files.write(tmp.resolve("tiny.gguf"), TinyGguf.model());
    Path adapter = Files.write(tmp.resolve("lora.gguf"), TinyGguf.loraAdapter());

    assertNotNull(complete(new ModelParameters().setModel(model.toString()).addLoraAdapter(adapter.toString())));
  }

  @Test
  void loraAdapter_truncated_loadFails() throws Exception {
    Path model = Files.write(tmp.resolve("tiny.gguf"), TinyGguf.model());
    byte[] lora = TinyGguf.loraAdapter();
    Path adapter = Files.write(tmp.resolve("lora.gguf"), java.util.Arrays.copyOf(lora, lora.length - 4));

    assertLoadFails(new ModelParameters().setModel(model.toString()).addLoraAdapter(adapter.toString()));
  }
}
