package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.testkit.TinyTokenizers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer checks in process: one file pinned out of an OMS-signed directory, the per-thread record that spares
 * the stream a path overload opens a second verification (and lets nothing else through), hub ids, absent configs.
 */
class TokenizerGateTest {
  private static final String HOOK = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance";

  @TempDir Path tmp;
  private Path dir;
  private KeyPair prod;
  private KeyPair lab;

  @BeforeEach
  void keys() throws Exception {
    dir = tmp.toRealPath();
    prod = CosignKeyWriter.generateKeyPair();
    lab = CosignKeyWriter.generateKeyPair();
  }

  private Gate gate(String config) throws Exception {
    Path prodPub = Files.writeString(dir.resolve("prod.pub"), CosignKeyWriter.publicKeyPem(prod.getPublic()));
    Path labPub = Files.writeString(dir.resolve("lab.pub"), CosignKeyWriter.publicKeyPem(lab.getPublic()));
    Path conf = Files.writeString(dir.resolve("agent.conf"), "key.prod = " + prodPub + "\nkey.lab = " + labPub
        + "\npin-dir = " + dir.resolve("pins") + "\naudit-log = " + dir.resolve("decisions.jsonl") + "\n" + config);
    return TestGates.fromConfig(conf);
  }

  /** {@code model/} with a tokenizer, a large "weights" file and an OMS {@code model.sig} over both. */
  private Path omsModel(KeyPair key) throws Exception {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.write(model.resolve("tokenizer.json"), TinyTokenizers.wordLevel());
    Files.write(model.resolve("weights.bin"), new byte[1 << 20]);
    Files.writeString(model.resolve("model.sig"), ModelSigner.withKey(key.getPrivate())
        .sign(model, ModelHashing.files().build(), ProgressListener.NONE));
    return model;
  }

  /** {@code elsewhere/tokenizer.json} with its {@code .sig}: not under the model roots the tests configure. */
  private Path signedOutsideTheModelRoots() throws Exception {
    Path file = Files.write(Files.createDirectories(dir.resolve("elsewhere")).resolve("tokenizer.json"),
        TinyTokenizers.wordLevel());
    Files.writeString(dir.resolve("elsewhere/tokenizer.json.sig"),
        BlobSigner.create(prod.getPrivate()).sign(file, ProgressListener.NONE).base64());
    return file;
  }

  private static List<Path> filesUnder(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock")).toList();
    }
  }

  private static ModelVerificationException refused(Runnable load) {
    return assertThrows(ModelVerificationException.class, load::run);
  }

  @Test
  void checkTokenizer_directoryWithOmsSignature_pinsOnlyTokenizerJson() throws Exception {
    Path model = omsModel(prod);
    Gate gate = gate("");

    Path pinned = gate.checkTokenizer(HOOK, model);

    assertEquals("tokenizer.json", pinned.getFileName().toString());
    assertArrayEquals(TinyTokenizers.wordLevel(), Files.readAllBytes(pinned));
    assertEquals(List.of(pinned), filesUnder(dir.resolve("pins")));
  }

  @Test
  void checkTokenizer_tamperedFileInOmsDirectory_refusedManifestMismatch() throws Exception {
    Path model = omsModel(prod);
    Files.write(model.resolve("tokenizer.json"), TinyTokenizers.wordLevelTampered());
    Gate gate = gate("");

    ModelVerificationException e = refused(() -> gate.checkTokenizer(HOOK, model));

    assertEquals("model rejected (MANIFEST_MISMATCH): " + model + ": model.sig: model does not match its signature:"
        + " modified files: tokenizer.json", e.getMessage());
    assertEquals(List.of(), filesUnder(dir.resolve("pins")));
  }

  @Test
  void checkTokenizer_fileUnderARuleNamingAnotherKey_refusedUntrustedKey() throws Exception {
    Path model = omsModel(lab);
    Gate gate = gate("rule.prod.path = " + model + "\nrule.prod.keys = prod\n");

    ModelVerificationException e = refused(() -> gate.checkTokenizer(HOOK, model.resolve("tokenizer.json")));

    assertEquals("model rejected (UNTRUSTED_KEY): " + model.resolve("tokenizer.json") + ": model.sig: signed by key "
        + dev.modelseal.core.KeyId.hex(lab.getPublic()) + ", which is not allowed to sign models at this location",
        e.getMessage());
  }

  @Test
  void checkTokenizerStream_theBytesThePathCheckHanded_notVerifiedAgain() throws Exception {
    Path file = signedOutsideTheModelRoots();
    Gate gate = gate("models = " + dir.resolve("models") + "\n");
    Path pinned = gate.checkTokenizer(HOOK, file);

    try (InputStream in = gate.checkTokenizerStream(HOOK, Files.newInputStream(pinned))) {
      assertArrayEquals(TinyTokenizers.wordLevel(), in.readAllBytes());
    }
  }

  @Test
  void checkTokenizerStream_otherBytesAfterAPathCheck_verifiedInMemoryAndRefused() throws Exception {
    Path file = signedOutsideTheModelRoots();
    Gate gate = gate("models = " + dir.resolve("models") + "\n");
    gate.checkTokenizer(HOOK, file);
    byte[] tampered = TinyTokenizers.wordLevelTampered();

    ModelVerificationException e = refused(() -> gate.checkTokenizerStream(HOOK, new ByteArrayInputStream(tampered)));

    assertEquals("model rejected (UNSIGNED): <stream>: no signed model of " + tampered.length + " bytes under ["
        + dir.resolve("models") + "] matches <stream>"
        + "; to allow a model loaded from memory (as from a jar), keep a signed copy of its bytes"
        + " under a models= root", e.getMessage());
  }

  @Test
  void checkTokenizerStream_sameBytesTwiceAfterOnePathCheck_secondVerifiedInMemory() throws Exception {
    Path file = signedOutsideTheModelRoots();
    Gate gate = gate("models = " + dir.resolve("models") + "\n");
    gate.checkTokenizer(HOOK, file);
    gate.checkTokenizerStream(HOOK, new ByteArrayInputStream(TinyTokenizers.wordLevel())).close();

    ModelVerificationException e = refused(
        () -> gate.checkTokenizerStream(HOOK, new ByteArrayInputStream(TinyTokenizers.wordLevel())));

    assertTrue(e.getMessage().startsWith("model rejected (UNSIGNED): <stream>: no signed model of "), e::getMessage);
  }

  @Test
  void checkTokenizerStream_auditModeTamperedFileThePathCheckHanded_oneDecisionLine() throws Exception {
    Path file = signedOutsideTheModelRoots();
    Files.write(file, TinyTokenizers.wordLevelTampered());
    Gate gate = gate("mode = audit\nmodels = " + dir.resolve("models") + "\n");

    Path handed = gate.checkTokenizer(HOOK, file);
    try (InputStream in = gate.checkTokenizerStream(HOOK, Files.newInputStream(handed))) {
      assertArrayEquals(TinyTokenizers.wordLevelTampered(), in.readAllBytes());
    }

    assertEquals(file, handed);
    List<String> log = Files.readAllLines(dir.resolve("decisions.jsonl"));
    assertEquals(1, log.size(), log::toString);
    assertTrue(log.get(0).contains("\"decision\":\"audit-deny\",\"reason\":\"SIGNATURE_INVALID\""), log::toString);
  }

  @Test
  void checkTokenizerStream_auditModeOtherBytesAfterARefusedPath_verifiedAndLogged() throws Exception {
    Path file = signedOutsideTheModelRoots();
    Files.write(file, TinyTokenizers.wordLevelTampered());
    Gate gate = gate("mode = audit\nmodels = " + dir.resolve("models") + "\n");
    gate.checkTokenizer(HOOK, file);

    gate.checkTokenizerStream(HOOK, new ByteArrayInputStream(TinyTokenizers.wordLevel())).close();

    List<String> log = Files.readAllLines(dir.resolve("decisions.jsonl"));
    assertEquals(2, log.size(), log::toString);
    assertTrue(log.get(1).contains("\"model\":\"<stream>\",") && log.get(1).contains("audit-deny"), log::toString);
  }

  /** {@code bpe/vocab.json} signed ({@code .sig}) and {@code bpe/merges.txt} unsigned; returns the directory. */
  private Path bpeWithUnsignedMerges() throws Exception {
    Path bpe = Files.createDirectories(dir.resolve("bpe"));
    Path vocab = Files.write(bpe.resolve("vocab.json"), TinyTokenizers.bpeVocab());
    Files.writeString(bpe.resolve("vocab.json.sig"),
        BlobSigner.create(prod.getPrivate()).sign(vocab, ProgressListener.NONE).base64());
    Files.write(bpe.resolve("merges.txt"), TinyTokenizers.bpeMerges());
    return bpe;
  }

  private List<Path> pinFolders() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("pins"), 2)) {
      return s.filter(Files::isDirectory).filter(p -> p.getNameCount() - dir.resolve("pins").getNameCount() == 2)
          .toList();
    }
  }

  @Test
  void checkTokenizerMerges_refusedAfterItsVocabulary_theVocabularyPinDeletedToo() throws Exception {
    Path bpe = bpeWithUnsignedMerges();
    Gate gate = gate("");
    Path vocab = gate.checkTokenizerFile(HOOK, bpe.resolve("vocab.json"));
    assertTrue(Files.exists(vocab));

    ModelVerificationException e = refused(() -> gate.checkTokenizerMerges(HOOK, bpe.resolve("merges.txt")));

    assertEquals("model rejected (UNSIGNED): " + bpe.resolve("merges.txt") + ": merges.txt: not signed (no"
        + " merges.txt.sigstore.json or merges.txt.sig)", e.getMessage());
    assertEquals(List.of(), filesUnder(dir.resolve("pins")));
    assertEquals(List.of(), pinFolders());
  }

  @Test
  void checkTokenizerMerges_refusedInAuditMode_theVocabularyCopyStaysForTheLoad() throws Exception {
    Path bpe = bpeWithUnsignedMerges();
    Gate gate = gate("mode = audit\n");
    Path vocab = gate.checkTokenizerFile(HOOK, bpe.resolve("vocab.json"));

    assertEquals(bpe.resolve("merges.txt"), gate.checkTokenizerMerges(HOOK, bpe.resolve("merges.txt")));

    assertEquals(List.of(vocab), filesUnder(dir.resolve("pins")));
  }

  @Test
  void checkTokenizerMerges_refusedAfterAnotherCheck_anEarlierLoadsVocabularyKept() throws Exception {
    Path bpe = bpeWithUnsignedMerges();
    Gate gate = gate("");
    Path vocab = gate.checkTokenizerFile(HOOK, bpe.resolve("vocab.json"));
    gate.checkTokenizerConfig("ai.djl.huggingface.tokenizers.TokenizerConfig.load", bpe.resolve("none.json"));

    refused(() -> gate.checkTokenizerMerges(HOOK, bpe.resolve("merges.txt")));

    assertEquals(List.of(vocab), filesUnder(dir.resolve("pins")));
  }

  @Test
  void refuseHubName_enforceMode_refusedUnsupportedSource() throws Exception {
    Gate gate = gate("");

    ModelVerificationException e = refused(() -> gate.refuseHubName(HOOK, "bert-base-uncased"));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): bert-base-uncased: DJL would download the tokenizer"
        + " bert-base-uncased from the Hugging Face hub inside its native library, which ModelSeal cannot verify:"
        + " load a signed local tokenizer.json by its path instead", e.getMessage());
  }

  @Test
  void refuseHubName_auditMode_handsTheNameOn() throws Exception {
    Gate gate = gate("mode = audit\n");

    assertEquals("bert-base-uncased", gate.refuseHubName(HOOK, "bert-base-uncased"));
  }

  @Test
  void checkTokenizerConfig_absentFile_handsAPathWhereNoneExists() throws Exception {
    Gate gate = gate("");

    Path none = gate.checkTokenizerConfig("ai.djl.huggingface.tokenizers.TokenizerConfig.load",
        dir.resolve("model/tokenizer_config.json"));

    assertEquals("tokenizer_config.json", none.getFileName().toString());
    assertTrue(none.startsWith(dir.resolve("pins")), none::toString);
    assertFalse(Files.exists(none));
  }
}
