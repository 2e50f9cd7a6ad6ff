package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyTokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the {@code TokenizerLoad} child (DJL Hugging Face tokenizers) and lays out its tokenizer files. The tokenizers
 * jar reaches only these children ({@code modelseal.tokenizers.dir}): on the shared test classpath its DJL engine
 * and model zoo would join every other scenario's DJL.
 */
final class TokenizerRuns {
  static final String MAIN = "dev.modelseal.it.apps.TokenizerLoad";
  static final String NEW_INSTANCE = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance";
  static final String CONFIG_LOAD = "ai.djl.huggingface.tokenizers.TokenizerConfig.load";
  static final String IDS = "ids: " + Arrays.toString(TinyTokenizers.IDS);
  static final String TAMPERED_IDS = "ids: " + Arrays.toString(TinyTokenizers.TAMPERED_IDS);
  static final String BPE_IDS = "ids: " + Arrays.toString(TinyTokenizers.BPE_IDS);

  private TokenizerRuns() {}

  /**
   * The jars copied for these children ({@code target/tokenizers/}): DJL's tokenizers, and with {@code langChain4j}
   * also LangChain4j's embeddings, its core and Jackson.
   */
  static String jars(boolean langChain4j) {
    return jars(langChain4j ? "" : "tokenizers-", null);
  }

  /**
   * The libraries among those jars, without DJL's tokenizers (its engine and model zoo) and LangChain4j's
   * embeddings: Jackson and LangChain4j's core and Jlama integration, for JlamaIT's children.
   */
  static String libraryJars() {
    return jars("", "^(tokenizers|langchain4j-embeddings)-.*");
  }

  private static String jars(String prefix, String excluded) {
    Path dir = Path.of(System.getProperty("modelseal.tokenizers.dir",
        Fixtures.BUILD_DIR.resolve("tokenizers").toString()));
    try (Stream<Path> s = Files.list(dir)) {
      List<String> jars = s.filter(p -> p.getFileName().toString().startsWith(prefix)
              && (excluded == null || !p.getFileName().toString().matches(excluded)))
          .map(Path::toString).sorted().toList();
      if (jars.isEmpty()) {
        throw new IllegalStateException("no tokenizers jar in " + dir);
      }
      return String.join(java.io.File.pathSeparator, jars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code TokenizerLoad} child on {@code jdk} with the given agent argument (none if null). */
  static ForkedJvm.Result run(String jdk, String agentArg, String... args) throws InterruptedException {
    return run(jdk, MAIN, false, agentArg, args);
  }

  /** A child running {@code main} with the tokenizers jar (and LangChain4j's, if asked) on its classpath. */
  static ForkedJvm.Result run(String jdk, String main, boolean langChain4j, String agentArg, String... args)
      throws InterruptedException {
    ForkedJvm jvm = Fixtures.child(jdk, main, args).classpath(Fixtures.childClasspath(jars(langChain4j)));
    if (agentArg != null) {
      jvm.jvmArgs(agentArg);
    }
    return jvm.run();
  }

  /** {@code dir/tokenizer.json} (WordLevel) and {@code dir/tokenizer_config.json}; returns {@code dir}. */
  static Path wordLevelDir(Path dir) {
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevel());
    Fixtures.write(dir.resolve("tokenizer_config.json"), TinyTokenizers.tokenizerConfig());
    return dir;
  }

  /** {@code dir/vocab.json} and {@code dir/merges.txt} of the byte-pair model; returns {@code dir}. */
  static Path bpeDir(Path dir) {
    Fixtures.write(dir.resolve("vocab.json"), TinyTokenizers.bpeVocab());
    Fixtures.write(dir.resolve("merges.txt"), TinyTokenizers.bpeMerges());
    return dir;
  }

  /** The child's arguments for {@code mode} over {@code dir} (a {@link #wordLevelDir} or, for bpe, a {@link #bpeDir}). */
  static String[] args(String mode, Path dir) {
    return switch (mode) {
      case "path-file" -> new String[] {"path", dir.resolve("tokenizer.json").toString()};
      case "path-dir" -> new String[] {"path", dir.toString()};
      case "path-config" -> new String[] {"path-config", dir.toString(), dir.resolve("tokenizer_config.json").toString()};
      case "builder" -> new String[] {"builder", dir.toString()};
      case "stream" -> new String[] {"stream", dir.resolve("tokenizer.json").toString()};
      case "stream-config" -> new String[] {"stream-config", dir.resolve("tokenizer.json").toString()};
      case "bpe" -> new String[] {"bpe", dir.resolve("vocab.json").toString(), dir.resolve("merges.txt").toString()};
      default -> throw new IllegalArgumentException(mode);
    };
  }

  /** The location a refusal names for {@code mode}: the path the application passed, or {@code <stream>}. */
  static String location(String mode, Path dir) {
    return switch (mode) {
      case "path-file" -> dir.resolve("tokenizer.json").toString();
      case "path-dir", "builder", "path-config" -> dir.toString();
      case "bpe" -> dir.resolve("vocab.json").toString();
      default -> "<stream>";
    };
  }

  /** The child's {@code pinned:} lines. */
  static List<String> pinned(ForkedJvm.Result r) {
    return Fixtures.linesStarting(r.stdout(), "pinned: ");
  }

  /**
   * Asserts a refusal before DJL's native library was even loaded: exit 3, the exact rejected line, nothing pinned,
   * and one deny decision with that reason and detail.
   */
  static void assertRefusedBeforeNative(ForkedJvm.Result r, Path log, String runtime, String location, String reason,
      String detail) {
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + reason + "): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals("native-loaded: false" + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals(runtime, d.get("runtime"), d::toString);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals(reason, d.get("reason"), d::toString);
    assertEquals(location, d.get("model"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }
}
