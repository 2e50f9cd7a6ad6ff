package dev.modelseal.it.apps;

import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.modelseal.examples.ExampleSupport;
import dev.modelseal.testkit.TinyTokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code LangChain4jEmbed MODEL TOKENIZER}: LangChain4j's {@code OnnxEmbeddingModel(Path, Path, PoolingMode.MEAN)}
 * (ONNX Runtime session by path, DJL tokenizer by path) embeds {@link TinyTokenizers#EMBED_TEXT} and prints
 * {@code embedding: [...]}, or {@code rejected: <class> <message>} on stderr (exit 3 for a
 * {@code SecurityException}, 1 otherwise); then {@code native-loaded: true|false}, whether DJL's native tokenizers
 * library is mapped into this process.
 */
public final class LangChain4jEmbed {
  private LangChain4jEmbed() {}

  public static void main(String[] args) throws Exception {
    int exit = 0;
    try {
      OnnxEmbeddingModel model = new OnnxEmbeddingModel(Path.of(args[0]), Path.of(args[1]), PoolingMode.MEAN);
      System.out.println("embedding: " + Arrays.toString(model.embed(TinyTokenizers.EMBED_TEXT).content().vector()));
    } catch (Exception | LinkageError e) {
      System.err.println("rejected: " + ExampleSupport.describe(e));
      exit = ExampleSupport.findSecurityException(e) != null ? 3 : 1;
    }
    System.out.println("native-loaded: " + Files.readString(Path.of("/proc/self/maps")).contains("libtokenizers"));
    System.exit(exit);
  }
}
