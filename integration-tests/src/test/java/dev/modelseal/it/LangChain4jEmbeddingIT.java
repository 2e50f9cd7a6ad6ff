package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyTokenizers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LangChain4j's {@code OnnxEmbeddingModel(Path model, Path tokenizer, PoolingMode)} end to end with the packaged
 * agent: its ONNX Runtime session ({@code createSession(String)}) and its DJL tokenizer
 * ({@code HuggingFaceTokenizer.newInstance(Path, Map)}, which reads the pinned file through the stream overload) are
 * both verified; a tampered tokenizer (which, without the agent, loads and changes the embedding) is refused before
 * DJL's native tokenizers library is loaded. The model is {@link TinyTokenizers#onnxEncoder()} (each token's vector
 * is {@code [id, 1]}, mean-pooled and normalised).
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LangChain4jEmbeddingIT {
  private static final String MAIN = "dev.modelseal.it.apps.LangChain4jEmbed";
  private static final String CREATE_SESSION = "ai.onnxruntime.OrtEnvironment.createSession";
  /** Mean of [CLS] hello world seal [SEP] = [6, 1, 2, 3, 7] is 3.8: [3.8, 1] normalised. */
  private static final String EMBEDDING = "embedding: [0.9670745, 0.2544933]";
  /** With "seal" = 5: [4.2, 1] normalised. */
  private static final String TAMPERED_EMBEDDING = "embedding: [0.9728063, 0.23162055]";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Fixtures.Signer trusted;
  private Path log;

  /** {@code models/minilm/model.onnx} and {@code tokenizer.json}, each signed with a {@code .sig}. */
  private Path signedModelDir() {
    trusted = new Fixtures.Signer(tmp, "trusted");
    log = tmp.resolve("decisions.jsonl");
    Path dir = tmp.resolve("models/minilm");
    Fixtures.write(dir.resolve("model.onnx"), TinyTokenizers.onnxEncoder());
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevel());
    return trusted.signTree(dir);
  }

  private ForkedJvm.Result run(Path dir, String agentArg) throws InterruptedException {
    return TokenizerRuns.run(jdk, MAIN, true, agentArg, dir.resolve("model.onnx").toString(),
        dir.resolve("tokenizer.json").toString());
  }

  private String agent() {
    return Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log);
  }

  @Test
  void onnxEmbeddingModel_signedModelAndTokenizer_embedsFromTheVerifiedFiles() throws Exception {
    Path dir = signedModelDir();

    ForkedJvm.Result r = run(dir, agent());

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(EMBEDDING + Fixtures.NL + "native-loaded: true" + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of(CREATE_SESSION, TokenizerRuns.NEW_INSTANCE, TokenizerRuns.NEW_INSTANCE),
        decisions.stream().map(d -> d.get("runtime")).toList(), () -> decisions + "\n" + r);
    assertEquals(List.of("allow", "allow", "allow"), decisions.stream().map(d -> d.get("decision")).toList(),
        () -> decisions + "\n" + r);
  }

  @Test
  void onnxEmbeddingModel_tamperedTokenizerWithoutTheAgent_embedsDifferently() throws Exception {
    Path dir = signedModelDir();
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());

    ForkedJvm.Result r = run(dir, null);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(TAMPERED_EMBEDDING + Fixtures.NL + "native-loaded: true" + Fixtures.NL, r.stdout(), r::toString);
  }

  @Test
  void onnxEmbeddingModel_tamperedTokenizer_refusedBeforeTheNativeLibraryLoads() throws Exception {
    Path dir = signedModelDir();
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());

    ForkedJvm.Result r = run(dir, agent());

    String detail = "tokenizer.json: signature does not verify with key " + trusted.keyId() + " (tried "
        + Expectations.ALGORITHMS + ")";
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + "SIGNATURE_INVALID): " + dir.resolve("tokenizer.json") + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals("native-loaded: false" + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of("allow", "deny"), decisions.stream().map(d -> d.get("decision")).toList(),
        () -> decisions + "\n" + r);
    assertEquals(detail, decisions.get(1).get("detail"), decisions::toString);
  }
}
