package dev.modelseal.it.apps;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.modelseal.examples.ExampleSupport;
import dev.modelseal.testkit.TinyTokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code TokenizerLoad MODE ARG [ARG2]}: loads a Hugging Face tokenizer through the DJL API named by MODE and prints
 * {@code ids: [...]} for {@link TinyTokenizers#TEXT} ({@link TinyTokenizers#BPE_TEXT} for {@code bpe}) and
 * {@code max-length: N}, or {@code rejected: <class> <message>} on stderr (exit 3 for a {@code SecurityException},
 * 1 otherwise). Then, whatever happened, {@code native-loaded: true|false}: whether DJL's native tokenizers library
 * is mapped into this process ({@code /proc/self/maps}), and {@code pinned: <path>} for each file under this JVM's
 * own pin root, relative to it.
 *
 * <p>Modes: {@code path FILE|DIR}, {@code path-config FILE|DIR CONFIG}, {@code builder DIR}, {@code bpe VOCAB MERGES},
 * {@code stream FILE} ({@code newInstance(InputStream, Map)}), {@code stream-config FILE}
 * ({@code newInstance(InputStream, Map, TokenizerConfig)}), {@code hub NAME}.
 */
public final class TokenizerLoad {
  private static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "false");

  private TokenizerLoad() {}

  public static void main(String[] args) throws Exception {
    int exit = 0;
    try (HuggingFaceTokenizer t = load(args)) {
      String text = args[0].equals("bpe") ? TinyTokenizers.BPE_TEXT : TinyTokenizers.TEXT;
      System.out.println("ids: " + Arrays.toString(t.encode(text).getIds()));
      System.out.println("max-length: " + t.getMaxLength());
    } catch (Exception | LinkageError e) {
      System.err.println("rejected: " + ExampleSupport.describe(e));
      exit = ExampleSupport.findSecurityException(e) != null ? 3 : 1;
    }
    System.out.println("native-loaded: " + nativeLoaded());
    for (String p : pinned()) {
      System.out.println("pinned: " + p);
    }
    System.exit(exit);
  }

  private static HuggingFaceTokenizer load(String[] args) throws IOException {
    Path a = Path.of(args[1]);
    switch (args[0]) {
      case "path":
        return HuggingFaceTokenizer.newInstance(a, OPTIONS);
      case "path-config":
        return HuggingFaceTokenizer.newInstance(a, args[2], OPTIONS);
      case "builder":
        return HuggingFaceTokenizer.builder(OPTIONS).optTokenizerPath(a).build();
      case "bpe":
        return HuggingFaceTokenizer.newInstance(a, Path.of(args[2]), OPTIONS);
      case "stream":
        try (InputStream in = Files.newInputStream(a)) {
          return HuggingFaceTokenizer.newInstance(in, OPTIONS);
        }
      case "stream-config":
        try (InputStream in = Files.newInputStream(a)) {
          return HuggingFaceTokenizer.newInstance(in, OPTIONS, null);
        }
      case "hub":
        return HuggingFaceTokenizer.newInstance(args[1], OPTIONS);
      default:
        throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** True if DJL's native tokenizers library is mapped into this process. */
  private static boolean nativeLoaded() throws IOException {
    return Files.readString(Path.of("/proc/self/maps")).contains("libtokenizers");
  }

  /** The files under this JVM's own pin root(s) in {@code java.io.tmpdir}, relative to the root, sorted (no lock). */
  private static List<String> pinned() throws IOException {
    String prefix = "modelseal-pins-" + ProcessHandle.current().pid() + "-";
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> roots = Files.list(tmp)) {
      return roots.filter(r -> r.getFileName().toString().startsWith(prefix))
          .flatMap(TokenizerLoad::filesUnder)
          .sorted().toList();
    }
  }

  private static Stream<String> filesUnder(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      // The root's lock (".lock", and ".lock-new" while the warm-up thread is still making it) is no pinned file.
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".lock"))
          .map(p -> root.relativize(p).toString()).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
