package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyJlamaModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jlama ({@code ModelSupport.loadModel}, jlama-core 0.8.4) with the packaged agent: a tiny Llama model directory
 * (testkit {@link TinyJlamaModel}) signed as a whole ({@code model.sig}, as {@code sign-model} writes it) or file by
 * file (cosign {@code .sig}) loads from its pinned copy and generates exactly what it generates without the agent;
 * a flipped weight bit, an unsigned file, a signature by an untrusted key and another model's {@code model.sig} are
 * refused before Jlama reads a byte of the model (probe agent: no {@code runtime-received} line for config.json, the
 * tokenizer or the weights), and so is a signed {@code model.safetensors.index.json} naming a weights file outside the
 * directory; audit mode logs and loads. Whatever the weight loader: {@code SafeTensorSupport::
 * loadWeights} written outside {@code ModelSupport} (as LangChain4j passes it) loads the pinned copy, a loader
 * reading another, unsigned directory is refused before its weights are mapped, and a model constructed directly
 * gets only weights a {@code SafeTensorIndex} read from a verified directory. LangChain4j's {@code
 * JlamaLanguageModel} (langchain4j-jlama 1.11.0-beta19, built on jlama-core 0.8.4) over a signed model cache
 * generates the same text from the pinned copy, verified once per load (one decision line).
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class JlamaIT {
  private static final String HOOK = "com.github.tjake.jlama.model.ModelSupport.loadModel";
  private static final String RECEIVED = "PROBE runtime-received com.github.tjake.jlama.";
  private static final String SUPPORT = "com.github.tjake.jlama.safetensors.SafeTensorSupport.";
  private static final String SINGLE_FILE = "com.github.tjake.jlama.safetensors.SafeTensorIndex.loadSingleFile";
  /** The pinned copy of the model directory, as a regular expression. */
  private static final String PINNED =
      Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/tiny";
  /** Why the unsigned directory (models/unsigned) is refused: its first file that is not signed. */
  private static final String UNSIGNED_DETAIL = "config.json: not signed (no config.json.sigstore.json or"
      + " config.json.sig)";
  /** What the unsigned tiny model (seed 1) generates without the agent. */
  private static String expectedText;

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Fixtures.Signer trusted;
  private Path model;
  private Path log;

  @BeforeEach
  void tinyModel() throws Exception {
    assumeTrue(jdk.equals("25"), "Jlama 0.8.4's classes are Java 20 class files (version 64) and need the"
        + " jdk.incubator.vector module: it runs on the Temurin 25 child only");
    Fixtures.javaHome(jdk);
    trusted = new Fixtures.Signer(tmp, "trusted");
    model = TinyJlamaModel.write(tmp.resolve("models/tiny"), 1);
    log = tmp.resolve("decisions.jsonl");
    if (expectedText == null) {
      ForkedJvm.Result plain = jlama("directory", model).run();
      assertEquals(0, plain.exitCode(), plain::toString);
      expectedText = plain.stdout();
    }
  }

  @Test
  void loadModel_directorySignedWithModelSig_generatesFromThePinnedCopy() throws Exception {
    OmsFixtures.signDirectory(trusted, model);

    ForkedJvm.Result r = withAgent("directory", "enforce");

    assertLoadedPinned(r, "allow");
  }

  @Test
  void loadModel_configFileInDirectorySignedFileByFile_generatesFromThePinnedCopy() throws Exception {
    trusted.signTree(model);

    ForkedJvm.Result r = withAgent("config-file", "enforce");

    assertLoadedPinned(r, "allow");
  }

  @Test
  void loadModel_oneWeightBitFlippedAfterSigning_refusedBeforeJlamaReads() throws Exception {
    OmsFixtures.signDirectory(trusted, model);
    TinyJlamaModel.flipWeightBit(model);
    ForkedJvm.Result plain = jlama("directory", model).run();
    assertEquals(0, plain.exitCode(), plain::toString);

    assertRefused(withAgent("directory", "enforce"), "MANIFEST_MISMATCH",
        "model.sig: model does not match its signature: modified files: model.safetensors");
  }

  @Test
  void loadModel_unsignedFile_refusedBeforeJlamaReads() throws Exception {
    trusted.signTree(model);
    Files2.delete(Fixtures.sidecar(model.resolve("tokenizer.json"), ".sig"));

    assertRefused(withAgent("directory", "enforce"), "UNSIGNED",
        "tokenizer.json: not signed (no tokenizer.json.sigstore.json or tokenizer.json.sig)");
  }

  @Test
  void loadModel_modelSigByUntrustedKey_refusedBeforeJlamaReads() throws Exception {
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    OmsFixtures.signDirectory(other, model);

    assertRefused(withAgent("directory", "enforce"), "UNTRUSTED_KEY", "model.sig: key mismatch: the signature names"
        + " key hint " + OmsFixtures.hint(other) + ", but the given key's hint is " + OmsFixtures.hint(trusted));
  }

  @Test
  void loadModel_anotherModelsModelSig_refusedBeforeJlamaReads() throws Exception {
    Path other = TinyJlamaModel.write(tmp.resolve("other"), 2);
    Fixtures.write(model.resolve(OmsFixtures.SIGNATURE), Fixtures.read(OmsFixtures.signDirectory(trusted, other)));

    // The two models share their config and tokenizer; only the weights differ.
    assertRefused(withAgent("directory", "enforce"), "MANIFEST_MISMATCH",
        "model.sig: model does not match its signature: modified files: model.safetensors");
  }

  @Test
  void loadModel_signedIndexNamingWeightsOutsideTheDirectory_refusedBeforeJlamaReads() throws Exception {
    TinyJlamaModel.write(tmp.resolve("models/unsigned"), 2);
    Fixtures.write(model.resolve("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\":"
        + " {\"model.embed_tokens.weight\": \"../unsigned/model.safetensors\"}}");
    OmsFixtures.signDirectory(trusted, model);
    ForkedJvm.Result plain = jlama("directory", model).run();
    assertEquals(0, plain.exitCode(), plain::toString);
    assertTrue(!plain.stdout().equals(expectedText), plain::toString); // Jlama mapped the other model's weights

    assertRefused(withAgent("directory", "enforce"), "UNSUPPORTED_SOURCE", "model.safetensors.index.json: Jlama"
        + " weights file name \"../unsigned/model.safetensors\" is not a file directly in the verified directory");
  }

  @Test
  void loadModel_methodReferenceWrittenOutsideModelSupport_generatesFromThePinnedCopy() throws Exception {
    OmsFixtures.signDirectory(trusted, model);

    ForkedJvm.Result r = withAgent("method-reference", "enforce");

    assertLoadedPinned(r, "allow");
  }

  @Test
  void loadModel_loaderReadingAnUnsignedDirectory_refusedBeforeItsWeightsAreRead() throws Exception {
    OmsFixtures.signDirectory(trusted, model);
    Path unsigned = TinyJlamaModel.write(tmp.resolve("models/unsigned"), 2);

    ForkedJvm.Result r = withAgent("other-directory-loader", "enforce", unsigned);

    assertRefusedAt(r, SINGLE_FILE, unsigned, "UNSIGNED", UNSIGNED_DETAIL, 2);
  }

  @Test
  void constructor_weightsReadFromBytes_refusedBeforeTheModelHoldsThem() throws Exception {
    OmsFixtures.signDirectory(trusted, model);
    Path unsigned = TinyJlamaModel.write(tmp.resolve("models/unsigned"), 2);

    ForkedJvm.Result r = withAgent("constructor-read-weights", "enforce", unsigned);

    assertRefusedAt(r, "com.github.tjake.jlama.model.AbstractModel.<init>",
        "<com.github.tjake.jlama.safetensors.Weights>", "UNSUPPORTED_SOURCE", "Jlama weights of type"
        + " com.github.tjake.jlama.safetensors.Weights, which may have been read from elsewhere than a verified"
        + " model directory: only a SafeTensorIndex that Jlama read from a verified directory is allowed (load the"
        + " weights with SafeTensorSupport.loadWeights, or ModelSupport.loadModel)", 1);
  }

  @Test
  void constructor_indexOfAnUnsignedDirectory_refusedBeforeItsWeightsAreRead() throws Exception {
    OmsFixtures.signDirectory(trusted, model);
    Path unsigned = TinyJlamaModel.write(tmp.resolve("models/unsigned"), 2);

    ForkedJvm.Result r = withAgent("constructor-index", "enforce", unsigned);

    assertRefusedAt(r, SINGLE_FILE, unsigned, "UNSIGNED", UNSIGNED_DETAIL, 1);
  }

  @Test
  void constructor_indexOfASignedDirectory_generatesFromThePinnedCopy() throws Exception {
    OmsFixtures.signDirectory(trusted, model);

    ForkedJvm.Result r = withAgent("constructor-index", "enforce", model);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(expectedText, r.stdout(), r::toString);
    // The tokenizer's directory, verified and pinned, is the weights' directory: one verification, one copy.
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of(SUPPORT + "loadTokenizer"), decisions.stream().map(d -> d.get("runtime")).toList(),
        () -> decisions + "\n" + r);
    assertEquals("allow", decisions.get(0).get("decision"), decisions::toString);
    List<String> received = Fixtures.linesStarting(r.stderr(), RECEIVED);
    assertEquals(2, received.size(), r::toString);
    String pinned = received.get(0).substring(received.get(0).lastIndexOf(' ') + 1);
    assertTrue(pinned.matches(PINNED), received::toString);
    assertEquals(List.of(RECEIVED + "safetensors.SafeTensorSupport.loadTokenizer " + pinned,
        RECEIVED + "safetensors.SafeTensorIndex.loadWeights " + pinned), received, r::toString);
  }

  @Test
  void languageModelBuilder_langChain4jCacheSignedWithModelSig_generatesFromThePinnedCopy() throws Exception {
    Path cached = TinyJlamaModel.write(tmp.resolve("models/cache/modelseal_tiny"), 1);
    Fixtures.write(cached.resolve(".finished"), ""); // Jlama's mark of a complete download: nothing is fetched
    OmsFixtures.signDirectory(trusted, cached);

    ForkedJvm.Result r = jlama("langchain4j", cached.getParent())
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log))
        .run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(expectedText, r.stdout(), r::toString);
    // LangChain4j's registry detects the model (detectModel), then its loader loads it (loadModel): one load, one
    // verification and one decision; every read is from the one pinned copy detectModel's check made.
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of(SUPPORT + "detectModel"), decisions.stream().map(d -> d.get("runtime")).toList(),
        () -> decisions + "\n" + r);
    assertEquals("allow", decisions.get(0).get("decision"), decisions::toString);
    String detail = (String) decisions.get(0).get("detail");
    String pinned = detail.substring(detail.indexOf("; loading pinned copy ") + "; loading pinned copy ".length());
    assertTrue(pinned.matches(Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/"
        + "modelseal_tiny"), detail);
    List<String> received = Fixtures.linesStarting(r.stderr(), RECEIVED);
    assertEquals(4, received.size(), r::toString);
    for (String read : received) {
      assertTrue(read.endsWith(" " + pinned) || read.endsWith(" " + pinned + "/config.json"), received::toString);
    }
  }

  @Test
  void loadModel_unsignedAuditMode_loggedAndLoaded() throws Exception {
    ForkedJvm.Result r = withAgent("directory", "audit");

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(expectedText, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of(HOOK, SUPPORT + "detectModel", SUPPORT + "loadTokenizer", SINGLE_FILE),
        decisions.stream().map(d -> d.get("runtime")).toList(), () -> decisions + "\n" + r);
    for (Map<String, Object> d : decisions) {
      assertEquals("audit-deny", d.get("decision"), decisions::toString);
      assertEquals("UNSIGNED", d.get("reason"), decisions::toString);
    }
    assertEquals(List.of(RECEIVED + "safetensors.SafeTensorSupport.detectModel " + model.resolve("config.json"),
        RECEIVED + "safetensors.SafeTensorSupport.loadTokenizer " + model,
        RECEIVED + "safetensors.SafeTensorIndex.loadWeights " + model),
        Fixtures.linesStarting(r.stderr(), RECEIVED), r::toString);
  }

  private ForkedJvm jlama(String mode, Path dir, Path... other) {
    List<String> args = new java.util.ArrayList<>(List.of(mode, dir.toString()));
    Stream.of(other).map(Path::toString).forEach(args::add);
    // Jackson and LangChain4j are kept off the shared test classpath (TokenizerRuns): Jlama's children add them.
    return Fixtures.child(jdk, "dev.modelseal.it.apps.JlamaLoad", args.toArray(String[]::new))
        .classpath(Fixtures.childClasspath(TokenizerRuns.libraryJars()))
        .jvmArgs("--add-modules", "jdk.incubator.vector");
  }

  private ForkedJvm.Result withAgent(String mode, String agentMode, Path... other) throws Exception {
    // The subject is Jlama's hooks: where the application reads model files itself (constructor-*: config.json)
    // or, in audit mode, Jlama reads the original it was handed, a sealed root (the default) would check those
    // Java reads too (SealedRootsIT covers them), so these runs leave sealing off.
    String unsealed = mode.startsWith("constructor") || agentMode.equals("audit") ? ",sealed-roots=false" : "";
    return jlama(mode, model, other)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), agentMode, log)
            + unsealed)
        .run();
  }

  private void assertLoadedPinned(ForkedJvm.Result r, String decision) {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(expectedText, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals(HOOK, d.get("runtime"), d::toString);
    assertEquals(decision, d.get("decision"), d::toString);
    assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
    String pinned = PINNED;
    List<String> received = Fixtures.linesStarting(r.stderr(), RECEIVED);
    assertEquals(3, received.size(), r::toString);
    assertTrue(received.get(0).matches(Pattern.quote(RECEIVED + "safetensors.SafeTensorSupport.detectModel ")
        + pinned + "/config\\.json"), received::toString);
    assertTrue(received.get(1).matches(Pattern.quote(RECEIVED + "safetensors.SafeTensorSupport.loadTokenizer ")
        + pinned), received::toString);
    assertTrue(received.get(2).matches(Pattern.quote(RECEIVED + "safetensors.SafeTensorIndex.loadWeights ")
        + pinned), received::toString);
  }

  private void assertRefused(ForkedJvm.Result r, String reason, String detail) {
    assertRefusedAt(r, HOOK, model, reason, detail, 0);
  }

  /**
   * Refused by {@code hook} at {@code location} in enforce mode, after {@code received} probe reads (of the pinned
   * model directory), with no weights read: one {@code deny} decision, after an {@code allow} if Jlama had read.
   */
  private void assertRefusedAt(ForkedJvm.Result r, String hook, Object location, String reason, String detail,
      int received) {
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of("PROBE installed"), Fixtures.linesStarting(r.stderr(), "PROBE installed"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE error"), r::toString);
    List<String> reads = Fixtures.linesStarting(r.stderr(), RECEIVED);
    assertEquals(received, reads.size(), r::toString);
    for (String read : reads) {
      assertTrue(read.matches(".* " + PINNED + "(/config\\.json)?"), reads::toString);
    }
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), RECEIVED + "safetensors.SafeTensorIndex.loadWeights"),
        r::toString);
    assertEquals(List.of(Fixtures.REJECTED + reason + "): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(received == 0 ? 1 : 2, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(decisions.size() - 1);
    assertEquals(hook, d.get("runtime"), d::toString);
    assertEquals("deny", d.get("decision"), d::toString);
    assertEquals(reason, d.get("reason"), d::toString);
    assertEquals(detail, d.get("detail"), d::toString);
  }
}
