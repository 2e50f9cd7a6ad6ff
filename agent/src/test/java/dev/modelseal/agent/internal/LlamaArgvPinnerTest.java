package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.testkit.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** java-llama.cpp argument vectors through the gate, in process: what llama.cpp gets instead, and what is refused. */
class LlamaArgvPinnerTest {
  private static final String HOOK = "de.kherud.llama.CliParameters.toArray";

  @TempDir Path tmp;
  private Path dir;
  private KeyPair key;
  private Path models;

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.toRealPath();
    key = CosignKeyWriter.generateKeyPair();
    models = Files.createDirectories(dir.resolve("models"));
  }

  private Gate gate(String mode) throws Exception {
    return TestGates.fromConfig(config(mode, ""));
  }

  private Path config(String mode, String lines) throws Exception {
    Path pub = Files.writeString(dir.resolve("k.pub"), CosignKeyWriter.publicKeyPem(key.getPublic()));
    return Files.writeString(dir.resolve("agent.conf"), "key.k = " + pub + "\npin-dir = " + dir.resolve("pins")
        + "\naudit-log = " + dir.resolve("decisions.jsonl") + "\nmode = " + mode + "\n" + lines);
  }

  /** The pinner as {@link Gate#checkLlamaArgs} builds it, with a made-up environment. */
  private LlamaArgvPinner withEnvironment(Map<String, String> environment) throws Exception {
    AgentSettings settings = AgentSettings.load("config=" + config("enforce", ""), Map.of(), Map.of());
    ModelChecker checker = new ModelChecker(settings, Pinner.create(settings.pinDir()));
    Gate gate = new Gate(settings, DecisionLog.open(settings.auditLog(), settings.mode()), checker);
    return new LlamaArgvPinner(gate, settings, checker.pinner(), environment);
  }

  private Path signed(String name, byte[] bytes) throws Exception {
    Path file = Files.write(models.resolve(name), bytes);
    String sig = BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64();
    Files.writeString(models.resolve(name + ".sig"), sig);
    return file;
  }

  private static ModelVerificationException refused(Gate gate, String... argv) {
    return assertThrows(ModelVerificationException.class, () -> gate.checkLlamaArgs(HOOK, argv));
  }

  private List<String> decisions() throws Exception {
    return Files.readAllLines(dir.resolve("decisions.jsonl"));
  }

  private Path pins() throws Exception {
    try (Stream<Path> roots = Files.list(dir.resolve("pins"))) {
      return roots.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  @Test
  void checkLlamaArgs_signedModelAndLora_pinnedCopiesHandedOn() throws Exception {
    Path model = signed("tiny.gguf", TinyGguf.model());
    Path lora = signed("lora.gguf", TinyGguf.loraAdapter());

    String[] out = gate("enforce").checkLlamaArgs(HOOK, new String[] {"", "--ctx-size", "64", "--model",
        model.toString(), "--lora", lora.toString()});

    assertEquals(List.of("", "--ctx-size", "64", "--model", "--lora"), List.of(out[0], out[1], out[2], out[3], out[5]));
    assertTrue(out[4].startsWith(pins() + "/") && out[4].endsWith("/tiny.gguf"), out[4]);
    assertTrue(out[6].startsWith(pins() + "/") && out[6].endsWith("/lora.gguf"), out[6]);
    assertArrayEquals(TinyGguf.loraAdapter(), Files.readAllBytes(Path.of(out[6])));
    assertEquals(2, decisions().stream().filter(l -> l.contains("\"decision\":\"allow\"")).count(), decisions()::toString);
    assertTrue(decisions().get(0).contains("\"runtime\":\"" + HOOK + " --model\""), decisions()::toString);
    assertTrue(decisions().get(1).contains("\"runtime\":\"" + HOOK + " --lora\""), decisions()::toString);
  }

  @Test
  void checkLlamaArgs_unsignedLora_refusedUnsignedNamingTheAdapterAndDropsTheModelPin() throws Exception {
    Path model = signed("tiny.gguf", TinyGguf.model());
    Path lora = Files.write(models.resolve("lora.gguf"), TinyGguf.loraAdapter());
    Gate gate = gate("enforce");

    ModelVerificationException e = refused(gate, "", "--model", model.toString(), "--lora", lora.toString());

    assertEquals("model rejected (UNSIGNED): " + lora + ": lora.gguf: not signed (no lora.gguf.sigstore.json or"
        + " lora.gguf.sig)", e.getMessage());
    try (Stream<Path> left = Files.list(pins())) {
      assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().startsWith(".")).toList());
    }
  }

  @Test
  void checkLlamaArgs_hfRepo_refusedUnsupportedSourceNamingTheFlag() throws Exception {
    ModelVerificationException e = refused(gate("enforce"), "", "--hf-repo", "ggml-org/tiny-GGUF");

    assertEquals("model rejected (UNSUPPORTED_SOURCE): --hf-repo: llama.cpp would download the model, which"
        + " ModelSeal cannot verify: load a signed local GGUF file with --model", e.getMessage());
  }

  @Test
  void checkLlamaArgs_modelUrlShortFlag_refusedUnsupportedSource() throws Exception {
    ModelVerificationException e = refused(gate("enforce"), "", "-mu", "https://example.com/m.gguf");

    assertEquals("model rejected (UNSUPPORTED_SOURCE): -mu: llama.cpp would download the model, which ModelSeal"
        + " cannot verify: load a signed local GGUF file with --model", e.getMessage());
  }

  @Test
  void checkLlamaArgs_splitModel_everyShardPinnedInOneFolderUnderItsName() throws Exception {
    List<byte[]> shards = TinyGguf.shards(2);
    Path first = signed(TinyGguf.shardName("tiny", 1, 2), shards.get(0));
    signed(TinyGguf.shardName("tiny", 2, 2), shards.get(1));

    String[] out = gate("enforce").checkLlamaArgs(HOOK, new String[] {"", "--model", first.toString()});

    Path pinned = Path.of(out[2]);
    assertEquals("tiny-00001-of-00002.gguf", pinned.getFileName().toString());
    assertArrayEquals(shards.get(1), Files.readAllBytes(pinned.resolveSibling("tiny-00002-of-00002.gguf")));
    try (Stream<Path> files = Files.list(pinned.getParent())) {
      assertEquals(2, files.count());
    }
    try (Stream<Path> folders = Files.list(pins())) {
      assertEquals(1, folders.filter(Files::isDirectory).count()); // each shard's own pin folder is gone
    }
  }

  @Test
  void checkLlamaArgs_splitModelInModelSigningDirectory_shardsTakenFromOneVerifiedCopy() throws Exception {
    List<byte[]> shards = TinyGguf.shards(2);
    Files.write(models.resolve(TinyGguf.shardName("tiny", 1, 2)), shards.get(0));
    Files.write(models.resolve(TinyGguf.shardName("tiny", 2, 2)), shards.get(1));
    Files.writeString(models.resolve("model.sig"), ModelSigner.withKey(key.getPrivate())
        .sign(models, ModelHashing.files().build(), ProgressListener.NONE));

    String[] out = gate("enforce").checkLlamaArgs(HOOK, new String[] {"", "--model",
        models.resolve(TinyGguf.shardName("tiny", 1, 2)).toString()});

    Path pinned = Path.of(out[2]);
    assertArrayEquals(shards.get(1), Files.readAllBytes(pinned.resolveSibling("tiny-00002-of-00002.gguf")));
    assertEquals(1, decisions().size(), decisions()::toString);
    try (Stream<Path> folders = Files.list(pins())) {
      assertEquals(1, folders.filter(Files::isDirectory).count()); // the shards' folder; the directory's copy is gone
    }
  }

  @Test
  void checkLlamaArgs_splitModelWithTamperedSecondShard_refusedNamingTheShard() throws Exception {
    List<byte[]> shards = TinyGguf.shards(2);
    Path first = signed(TinyGguf.shardName("tiny", 1, 2), shards.get(0));
    Path second = signed(TinyGguf.shardName("tiny", 2, 2), shards.get(1));
    Files.write(second, TinyGguf.flipLastWeightBit(shards.get(1)));

    ModelVerificationException e = refused(gate("enforce"), "", "--model", first.toString());

    assertEquals(second.toString(), e.modelLocation());
    assertEquals("model rejected (SIGNATURE_INVALID): " + second + ": tiny-00002-of-00002.gguf: signature does not"
        + " verify with key " + KeyId.hex(key.getPublic()) + " (tried [ECDSA_P256_SHA256])", e.getMessage());
  }

  @Test
  void checkLlamaArgs_splitModelWithOneShardExempt_refusalTimedFromTheStartOfTheCheck() throws Exception {
    List<byte[]> shards = TinyGguf.shards(2);
    Path first = signed(TinyGguf.shardName("tiny", 1, 2), shards.get(0));
    Path second = Files.write(models.resolve(TinyGguf.shardName("tiny", 2, 2)), shards.get(1));
    Gate gate = TestGates.fromConfig(config("enforce", "exempt = " + second + "\n"));

    ModelVerificationException e = refused(gate, "", "--model", first.toString());

    assertEquals("model rejected (PATH_REFUSED): " + first + ": the shards of a split model must all be verified, or"
        + " all be under an exempt path", e.getMessage());
    List<String> log = decisions();
    assertEquals(3, log.size(), log::toString);
    assertTrue(log.get(2).contains("\"decision\":\"deny\""), log::toString);
    // The refusal came after both shards were checked: its duration covers theirs.
    double shardChecks = SignedModels.durationMs(log.get(0)) + SignedModels.durationMs(log.get(1));
    assertTrue(SignedModels.durationMs(log.get(2)) >= shardChecks, log::toString);
  }

  @Test
  void checkLlamaArgs_splitModelWithMissingShard_refusedNamingTheShard() throws Exception {
    Path first = signed(TinyGguf.shardName("tiny", 1, 2), TinyGguf.shards(2).get(0));

    ModelVerificationException e = refused(gate("enforce"), "", "-m", first.toString());

    assertEquals("model rejected (PATH_REFUSED): " + models.resolve("tiny-00002-of-00002.gguf")
        + ": no such file or directory", e.getMessage());
  }

  @Test
  void checkLlamaArgs_underscoreSpellingOfModelDraft_checkedLikeTheFlag() throws Exception {
    Path model = signed("tiny.gguf", TinyGguf.model());
    Path draft = Files.write(models.resolve("draft.gguf"), TinyGguf.model());

    ModelVerificationException e = refused(gate("enforce"), "", "--model", model.toString(), "--model_draft",
        draft.toString());

    assertEquals(draft.toString(), e.modelLocation());
  }

  @Test
  void checkLlamaArgs_loraScaledAsJavaLlamaCppWritesIt_refusedNamingTheComma() throws Exception {
    Path model = signed("tiny.gguf", TinyGguf.model());
    Path lora = signed("lora.gguf", TinyGguf.loraAdapter());

    ModelVerificationException e = refused(gate("enforce"), "", "--model", model.toString(), "--lora-scaled",
        lora + ",0.5");

    assertEquals("model rejected (PATH_REFUSED): " + lora + ",0.5: a ',' in the file of --lora-scaled is refused:"
        + " newer llama.cpp builds read it as a list of files (java-llama.cpp 4.2.0 writes path,scale there, which"
        + " its own llama.cpp cannot parse)", e.getMessage());
  }

  @Test
  void checkLlamaArgs_noModelFlag_llamaCppDefaultModelChecked() throws Exception {
    ModelVerificationException e = refused(gate("enforce"), "", "--ctx-size", "64");

    assertEquals(Path.of(LlamaArguments.DEFAULT_MODEL).toAbsolutePath().toString(), e.modelLocation());
  }

  @Test
  void checkLlamaArgs_auditModeUnsignedModel_originalHandedOnAndAuditDenyLogged() throws Exception {
    Path model = Files.write(models.resolve("tiny.gguf"), TinyGguf.model());
    String[] argv = {"", "--model", model.toString()};

    assertArrayEquals(argv, gate("audit").checkLlamaArgs(HOOK, argv));
    assertTrue(decisions().get(decisions().size() - 1).contains("\"decision\":\"audit-deny\""), decisions()::toString);
  }

  @Test
  void check_modelFromEnvironmentVariable_pinnedCopyAddedAsFlag() throws Exception {
    Path model = signed("tiny.gguf", TinyGguf.model());

    String[] out = withEnvironment(Map.of("LLAMA_ARG_MODEL", model.toString())).check(HOOK, new String[] {""});

    assertEquals(3, out.length);
    assertEquals("--model", out[1]);
    assertTrue(out[2].startsWith(pins() + "/") && out[2].endsWith("/tiny.gguf"), out[2]);
  }

  @Test
  void check_hfRepoEnvironmentVariable_refusedNamingTheVariable() throws Exception {
    Path model = signed("tiny.gguf", TinyGguf.model());
    LlamaArgvPinner pinner = withEnvironment(Map.of("LLAMA_ARG_HF_REPO", "ggml-org/tiny-GGUF"));

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> pinner.check(HOOK, new String[] {"", "--model", model.toString()}));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): LLAMA_ARG_HF_REPO: environment variable: llama.cpp would"
        + " download the model, which ModelSeal cannot verify: load a signed local GGUF file with --model",
        e.getMessage());
  }
}
