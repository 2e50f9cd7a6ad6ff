package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * java-llama.cpp 4.2.0 ({@code apps/LlamaComplete}) under the packaged agent: every file its native
 * {@code loadModel} would read is verified, and llama.cpp is handed the pinned copy; a refused file never reaches
 * native code, shown by llama.cpp's own log on standard error, which has no {@code loading model} line then. The
 * model is {@link TinyGguf}'s.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LlamaCppIT {
  private static final String HOOK = "de.kherud.llama.CliParameters.toArray";
  private static final String PINNED = Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Fixtures.Signer trusted;
  private Path log;

  private Path models() {
    return tmp.resolve("models");
  }

  private Path model(String name, byte[] bytes) {
    return Fixtures.write(models().resolve(name), bytes);
  }

  private ForkedJvm.Result run(String mode, boolean agent, String... args) throws Exception {
    if (trusted == null) {
      trusted = new Fixtures.Signer(tmp, "trusted");
    }
    log = tmp.resolve("decisions.jsonl");
    List<String> jvmArgs = new ArrayList<>(List.of("-Dde.kherud.llama.tmpdir="
        + Files.createDirectories(tmp.resolve("natives"))));
    if (agent) {
      jvmArgs.add(Fixtures.agent(trusted.publicKeyFile, models(), mode, log));
    }
    return Fixtures.child(jdk, "dev.modelseal.it.apps.LlamaComplete", args).jvmArgs(jvmArgs.toArray(new String[0]))
        .run();
  }

  /** llama.cpp's own log lines naming the model it opens. */
  private static List<String> loadingLines(ForkedJvm.Result r) {
    return r.stderr().lines().filter(l -> l.contains("loading model '") || l.contains("lora adapter from '"))
        .toList();
  }

  private void assertRefusedBeforeLlamaCpp(ForkedJvm.Result r, String reason, Path location, String detail) {
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + reason + "): " + location + ": " + detail),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals(List.of(), loadingLines(r), r::toString);
  }

  private String doesNotVerify(String name) {
    return name + ": signature does not verify with key " + trusted.keyId() + " (tried [ECDSA_P256_SHA256])";
  }

  @Test
  void load_signedModel_llamaCppLoadsThePinnedCopyAndCompletes() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());
    trusted = new Fixtures.Signer(tmp, "trusted");
    trusted.sig(model);

    ForkedJvm.Result r = run("enforce", true, "--model", model.toString());

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("completed"), Fixtures.linesStarting(r.stdout(), "completed"), r::toString);
    assertTrue(loadingLines(r).stream().allMatch(l -> Pattern.matches(".*loading model '" + PINNED + "tiny\\.gguf'",
        l)) && !loadingLines(r).isEmpty(), r::toString);
    Map<String, Object> d = Fixtures.decisions(log).get(0);
    assertEquals(HOOK + " --model", d.get("runtime"), d::toString);
    assertEquals("allow", d.get("decision"), d::toString);
    assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
  }

  @Test
  void load_oneWeightBitFlipped_refusedBeforeLlamaCppThoughItLoadsWithoutTheAgent() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());
    trusted = new Fixtures.Signer(tmp, "trusted");
    trusted.sig(model);
    Files.write(model, TinyGguf.flipLastWeightBit(TinyGguf.model()));

    assertEquals(0, run("enforce", false, "--model", model.toString()).exitCode());
    ForkedJvm.Result r = run("enforce", true, "--model", model.toString());

    assertRefusedBeforeLlamaCpp(r, "SIGNATURE_INVALID", model, doesNotVerify("tiny.gguf"));
  }

  @Test
  void load_unsignedModel_refusedUnsigned() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());

    ForkedJvm.Result r = run("enforce", true, "--model", model.toString());

    assertRefusedBeforeLlamaCpp(r, "UNSIGNED", model,
        "tiny.gguf: not signed (no tiny.gguf.sigstore.json or tiny.gguf.sig)");
  }

  @Test
  void load_signedWithAnotherKey_refusedSignatureInvalid() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());
    new Fixtures.Signer(tmp, "other").sig(model);

    ForkedJvm.Result r = run("enforce", true, "--model", model.toString());

    assertRefusedBeforeLlamaCpp(r, "SIGNATURE_INVALID", model, doesNotVerify("tiny.gguf"));
  }

  @Test
  void load_anotherModelsSignature_refusedSignatureInvalid() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());
    Path adapter = model("lora.gguf", TinyGguf.loraAdapter());
    trusted = new Fixtures.Signer(tmp, "trusted");
    Files.copy(trusted.sig(adapter), Fixtures.sidecar(model, ".sig"));

    ForkedJvm.Result r = run("enforce", true, "--model", model.toString());

    assertRefusedBeforeLlamaCpp(r, "SIGNATURE_INVALID", model, doesNotVerify("tiny.gguf"));
  }

  @Test
  void load_auditModeUnsignedModel_loggedAuditDenyAndLoadsTheOriginal() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());

    ForkedJvm.Result r = run("audit", true, "--model", model.toString());

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("completed"), Fixtures.linesStarting(r.stdout(), "completed"), r::toString);
    assertTrue(loadingLines(r).stream().allMatch(l -> l.endsWith("loading model '" + model + "'"))
        && !loadingLines(r).isEmpty(), r::toString);
    Map<String, Object> d = Fixtures.decisions(log).get(0);
    assertEquals("audit-deny", d.get("decision"), d::toString);
    assertEquals("UNSIGNED", d.get("reason"), d::toString);
  }

  @Test
  void load_signedSplitModel_llamaCppReadsBothPinnedShards() throws Exception {
    Path first = splitModel();

    ForkedJvm.Result r = run("enforce", true, "--model", first.toString());

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(loadingLines(r).stream().allMatch(l -> Pattern.matches(".*loading model '" + PINNED
        + "tiny-00001-of-00002\\.gguf'", l)) && !loadingLines(r).isEmpty(), r::toString);
    assertEquals(1, r.stderr().lines().filter(l -> l.contains("additional 1 GGUFs metadata loaded")).count(),
        r::toString);
  }

  @Test
  void load_splitModelWithOneTamperedShard_refusedNamingTheShard() throws Exception {
    Path first = splitModel();
    Path second = first.resolveSibling(TinyGguf.shardName("tiny", 2, 2));
    Files.write(second, TinyGguf.flipLastWeightBit(Fixtures.read(second)));

    ForkedJvm.Result r = run("enforce", true, "--model", first.toString());

    assertRefusedBeforeLlamaCpp(r, "SIGNATURE_INVALID", second, doesNotVerify("tiny-00002-of-00002.gguf"));
  }

  @Test
  void load_signedLoraAdapter_llamaCppLoadsThePinnedAdapter() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());
    Path adapter = model("lora.gguf", TinyGguf.loraAdapter());
    trusted = new Fixtures.Signer(tmp, "trusted");
    trusted.signTree(models());

    ForkedJvm.Result r = run("enforce", true, "--model", model.toString(), "--lora", adapter.toString());

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(1, loadingLines(r).stream().filter(l -> Pattern.matches(".*lora adapter from '" + PINNED
        + "lora\\.gguf' \\.\\.\\.", l)).count(), r::toString);
  }

  @Test
  void load_unsignedLoraAdapter_refusedBeforeLlamaCpp() throws Exception {
    Path model = model("tiny.gguf", TinyGguf.model());
    Path adapter = model("lora.gguf", TinyGguf.loraAdapter());
    trusted = new Fixtures.Signer(tmp, "trusted");
    trusted.sig(model);

    ForkedJvm.Result r = run("enforce", true, "--model", model.toString(), "--lora", adapter.toString());

    assertRefusedBeforeLlamaCpp(r, "UNSIGNED", adapter,
        "lora.gguf: not signed (no lora.gguf.sigstore.json or lora.gguf.sig)");
  }

  @Test
  void load_modelUrl_refusedUnsupportedSource() throws Exception {
    ForkedJvm.Result r = run("enforce", true, "--model-url", "https://example.invalid/tiny.gguf");

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + "UNSUPPORTED_SOURCE): --model-url: llama.cpp would download the model,"
        + " which ModelSeal cannot verify: load a signed local GGUF file with --model"),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals(List.of(), loadingLines(r), r::toString);
  }

  /** {@code models/tiny-0000{1,2}-of-00002.gguf}, each signed with its own {@code .sig}; returns the first. */
  private Path splitModel() {
    List<byte[]> shards = TinyGguf.shards(2);
    trusted = new Fixtures.Signer(tmp, "trusted");
    for (int i = 0; i < 2; i++) {
      trusted.sig(model(TinyGguf.shardName("tiny", i + 1, 2), shards.get(i)));
    }
    return models().resolve(TinyGguf.shardName("tiny", 1, 2));
  }
}
