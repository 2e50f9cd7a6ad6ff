package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyTokenizers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DJL's Hugging Face tokenizers ({@code HuggingFaceTokenizer.newInstance} by path, directory, path and config,
 * builder, vocabulary and merges, stream; {@code TokenizerConfig.load}) in a real JVM with the packaged agent: a signed
 * tokenizer loads from its pinned copy (only the tokenizer files are pinned) and encodes as it should; a tampered
 * (one byte, still a loadable tokenizer), unsigned or foreign-key tokenizer, and a hub id, are refused before DJL's
 * native library is even loaded ({@code native-loaded: false}, read from {@code /proc/self/maps}), and leave nothing
 * pinned (tampered merges drop their vocabulary's copy); audit mode logs one line per check.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class HuggingFaceTokenizerIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Fixtures.Signer trusted;
  private Path log;

  private String agent(String mode) {
    return agent(mode, "path-file");
  }

  /** The agent for a load in {@code loadMode} ({@link Fixtures#agent(Path, Path, String, Path, String)}). */
  private String agent(String mode, String loadMode) {
    trusted = trusted == null ? new Fixtures.Signer(tmp, "trusted") : trusted;
    log = tmp.resolve("decisions.jsonl");
    return Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), mode, log, loadMode);
  }

  /** A signed tokenizer directory (WordLevel, or the byte-pair files for bpe) under the model root. */
  private Path signedDir(String mode) {
    String agentArg = agent("enforce");
    Path dir = mode.equals("bpe") ? TokenizerRuns.bpeDir(tmp.resolve("models/bpe"))
        : TokenizerRuns.wordLevelDir(tmp.resolve("models/tok"));
    trusted.signTree(dir);
    return dir;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"path-file", "path-dir", "path-config", "builder", "stream", "stream-config", "bpe"})
  void newInstance_signedTokenizer_encodesFromThePinnedCopy(String mode) throws Exception {
    Path dir = signedDir(mode);

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce", mode), TokenizerRuns.args(mode, dir));

    assertEquals(0, r.exitCode(), r::toString);
    String maxLength = mode.equals("path-config") ? "16" : "512";
    assertEquals((mode.equals("bpe") ? TokenizerRuns.BPE_IDS : TokenizerRuns.IDS) + Fixtures.NL + "max-length: "
        + maxLength + Fixtures.NL + "native-loaded: true", r.stdout().lines().limit(3)
        .reduce((a, b) -> a + Fixtures.NL + b).orElse(""), r::toString);
    List<String> pinned = switch (mode) {
      case "path-file", "path-dir", "builder" -> List.of("pinned: 1/tokenizer.json");
      case "path-config" -> List.of("pinned: 1/tokenizer.json", "pinned: 2/tokenizer_config.json");
      case "bpe" -> List.of("pinned: 1/vocab.json", "pinned: 2/merges.txt");
      default -> List.of();
    };
    assertEquals(pinned, TokenizerRuns.pinned(r), r::toString);
    List<String> runtimes = switch (mode) {
      case "path-config" -> List.of(TokenizerRuns.NEW_INSTANCE, TokenizerRuns.CONFIG_LOAD, TokenizerRuns.NEW_INSTANCE);
      case "path-file", "path-dir", "builder", "bpe" -> List.of(TokenizerRuns.NEW_INSTANCE, TokenizerRuns.NEW_INSTANCE);
      default -> List.of(TokenizerRuns.NEW_INSTANCE);
    };
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(runtimes, decisions.stream().map(d -> d.get("runtime")).toList(), () -> decisions + "\n" + r);
    for (Map<String, Object> d : decisions) {
      assertEquals("allow", d.get("decision"), d::toString);
      assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
    }
    if (mode.startsWith("path") || mode.equals("builder")) {
      // the stream DJL opens on the pinned copy is the bytes the path check handed, not verified a second time
      assertEquals("the bytes of " + pinnedFile(decisions.get(0)) + ", handed to this thread by its tokenizer path"
          + " check", decisions.get(decisions.size() - 1).get("detail"), decisions::toString);
    }
  }

  private static String pinnedFile(Map<String, Object> pathDecision) {
    String detail = (String) pathDecision.get("detail");
    return detail.substring(detail.indexOf("; loading pinned copy ") + "; loading pinned copy ".length());
  }

  @Test
  void newInstance_tamperedTokenizerWithoutTheAgent_loadsAndEncodesDifferently() throws Exception {
    Path dir = signedDir("path-file");
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());

    ForkedJvm.Result r = TokenizerRuns.run(jdk, null, TokenizerRuns.args("path-file", dir));

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.stdout().startsWith(TokenizerRuns.TAMPERED_IDS + Fixtures.NL), r::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"path-file", "path-dir", "path-config", "builder", "stream", "stream-config", "bpe"})
  void newInstance_tamperedTokenizer_refusedBeforeTheNativeLibraryLoads(String mode) throws Exception {
    Path dir = signedDir(mode);
    if (mode.equals("bpe")) {
      Fixtures.write(dir.resolve("vocab.json"), new String(TinyTokenizers.bpeVocab()).replace("\"o\":3", "\"o\":4"));
    } else {
      Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());
    }

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce", mode), TokenizerRuns.args(mode, dir));

    String file = mode.equals("bpe") ? "vocab.json" : "tokenizer.json";
    String shown = mode.startsWith("stream") ? Expectations.real(dir).resolve(file).toString() : file;
    TokenizerRuns.assertRefusedBeforeNative(r, log, TokenizerRuns.NEW_INSTANCE, TokenizerRuns.location(mode, dir),
        "SIGNATURE_INVALID", shown + ": signature does not verify with key " + trusted.keyId() + " (tried "
            + Expectations.ALGORITHMS + ")");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"path-file", "stream"})
  void newInstance_unsignedTokenizer_refusedBeforeTheNativeLibraryLoads(String mode) throws Exception {
    agent("enforce");
    Path dir = TokenizerRuns.wordLevelDir(tmp.resolve("models/tok"));

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce", mode), TokenizerRuns.args(mode, dir));

    String detail = mode.equals("stream")
        ? "no signed model of " + TinyTokenizers.wordLevel().length + " bytes under ["
            + Expectations.real(tmp.resolve("models")) + "] matches <stream>" + Expectations.ALLOW_IN_MEMORY
        : "tokenizer.json: not signed (no tokenizer.json.sigstore.json or tokenizer.json.sig)";
    TokenizerRuns.assertRefusedBeforeNative(r, log, TokenizerRuns.NEW_INSTANCE, TokenizerRuns.location(mode, dir),
        "UNSIGNED", detail);
  }

  @Test
  void newInstance_bpeMergesTamperedAfterSigning_refusedAndTheVocabularyPinDeletedToo() throws Exception {
    Path dir = signedDir("bpe");
    Fixtures.write(dir.resolve("merges.txt"), "#version: 0.2\nh e\n");

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce"), TokenizerRuns.args("bpe", dir));

    assertEquals(3, r.exitCode(), r::toString);
    String detail = "merges.txt: signature does not verify with key " + trusted.keyId() + " (tried "
        + Expectations.ALGORITHMS + ")";
    assertEquals(List.of(Fixtures.REJECTED + "SIGNATURE_INVALID): " + dir.resolve("merges.txt") + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    // Nothing pinned is left: no "pinned:" line, the vocabulary's copy included.
    assertEquals("native-loaded: false" + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of("allow", "deny"), decisions.stream().map(d -> d.get("decision")).toList(),
        () -> decisions + "\n" + r);
    assertEquals(detail, decisions.get(1).get("detail"), decisions::toString);
  }

  @Test
  void newInstance_tokenizerSignedByAnotherKey_refusedUntrustedKey() throws Exception {
    agent("enforce");
    Path dir = TokenizerRuns.wordLevelDir(tmp.resolve("models/tok"));
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    other.bundle(dir.resolve("tokenizer.json"));

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce"), TokenizerRuns.args("path-file", dir));

    TokenizerRuns.assertRefusedBeforeNative(r, log, TokenizerRuns.NEW_INSTANCE, TokenizerRuns.location("path-file", dir),
        "UNTRUSTED_KEY", "tokenizer.json: signed by key " + other.keyId() + ", which is not trusted");
  }

  @Test
  void newInstance_hubName_refusedUnsupportedSource() throws Exception {
    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce"), "hub", "bert-base-uncased");

    TokenizerRuns.assertRefusedBeforeNative(r, log, TokenizerRuns.NEW_INSTANCE, "bert-base-uncased",
        "UNSUPPORTED_SOURCE", "DJL would download the tokenizer bert-base-uncased from the Hugging Face hub inside its"
            + " native library, which ModelSeal cannot verify: load a signed local tokenizer.json by its path instead");
  }

  @Test
  void newInstance_tamperedTokenizerInAuditMode_logsAndLoads() throws Exception {
    Path dir = signedDir("path-file");
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("audit"), TokenizerRuns.args("path-file", dir));

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.stdout().startsWith(TokenizerRuns.TAMPERED_IDS + Fixtures.NL), r::toString);
    // One line per check: the path hook's, then the sealed root's check of DJL's own Java read of the original
    // it was handed (audit mode passes the original on); the stream DJL opens on it carries those decisions.
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(List.of(TokenizerRuns.NEW_INSTANCE + " audit-deny", "sun.nio.fs.UnixFileSystemProvider.newByteChannel"
        + " audit-deny"), decisions.stream().map(d -> d.get("runtime") + " " + d.get("decision")).toList(),
        () -> decisions + "\n" + r);
    assertEquals("tokenizer.json: signature does not verify with key " + trusted.keyId() + " (tried "
        + Expectations.ALGORITHMS + ")", decisions.get(0).get("detail"), decisions::toString);
  }

  /** {@code models/bert/}: tokenizer files, an 8 MiB "weights" file and config.json, signed as a whole (OMS). */
  private Path omsModelDir() {
    agent("enforce");
    Path dir = TokenizerRuns.wordLevelDir(tmp.resolve("models/bert"));
    Fixtures.write(dir.resolve("model.safetensors"), new byte[8 << 20]);
    Fixtures.write(dir.resolve("config.json"), "{\"hidden_size\":8}");
    OmsFixtures.signDirectory(trusted, dir);
    return dir;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"path-dir", "path-file", "path-config", "builder"})
  void newInstance_tokenizerInOmsSignedDirectory_pinsOnlyTheTokenizerFiles(String mode) throws Exception {
    Path dir = omsModelDir();

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce", mode), TokenizerRuns.args(mode, dir));

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.stdout().startsWith(TokenizerRuns.IDS + Fixtures.NL), r::toString);
    assertEquals(mode.equals("path-config")
        ? List.of("pinned: 1/tokenizer.json", "pinned: 2/tokenizer_config.json") : List.of("pinned: 1/tokenizer.json"),
        TokenizerRuns.pinned(r), r::toString);
    Map<String, Object> d = Fixtures.decisions(log).get(0);
    assertEquals("allow", d.get("decision"), d::toString);
    assertTrue(((String) d.get("detail")).startsWith("verified tokenizer.json against " + Expectations.real(dir)
        .resolve("model.sig") + " (only this file pinned); loading pinned copy "), d::toString);
  }

  @Test
  void newInstance_tamperedTokenizerInOmsSignedDirectory_refusedManifestMismatch() throws Exception {
    Path dir = omsModelDir();
    Fixtures.write(dir.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());

    ForkedJvm.Result r = TokenizerRuns.run(jdk, agent("enforce"), TokenizerRuns.args("path-dir", dir));

    TokenizerRuns.assertRefusedBeforeNative(r, log, TokenizerRuns.NEW_INSTANCE, dir.toString(), "MANIFEST_MISMATCH",
        "model.sig: model does not match its signature: modified files: tokenizer.json");
  }
}
