package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.SignedModels.MODEL_TEXT;
import static dev.modelseal.agent.internal.SignedModels.cosignBundle;
import static dev.modelseal.agent.internal.SignedModels.keyId;
import static dev.modelseal.agent.internal.SignedModels.rule;
import static dev.modelseal.agent.internal.SignedModels.signDirectory;
import static dev.modelseal.agent.internal.SignedModels.signSig;
import static dev.modelseal.agent.internal.SignedModels.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which signature speaks for a location ({@link LocationVerifier}), through the real gate: a file's own
 * {@code X.sigstore.json}, then its {@code X.sig}, then a cosign {@code model.sig} beside it, then an enclosing
 * OpenSSF {@code model.sig}; a directory's OpenSSF {@code model.sig}, else each file's own signature; and the
 * format each location's rule accepts. Each precedence test makes the signature that takes precedence invalid and
 * the other valid: the refusal shows which one spoke.
 */
class LocationVerifierTest {
  @TempDir Path tmp;
  private SignedModels m;
  private String invalidSig;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    // A well-formed prod signature of other bytes: it parses, and does not verify.
    invalidSig = BlobSigner.create(m.prod.getPrivate())
        .sign(write(m.dir.resolve("other.bin"), "other bytes"), ProgressListener.NONE).base64();
  }

  private String rejected(Path location, String reason, String detail) {
    return "model rejected (" + reason + "): " + location + ": " + detail;
  }

  private String doesNotVerify(String label) {
    return label + ": signature does not verify with key " + keyId(m.prod) + " (tried [ECDSA_P256_SHA256])";
  }

  @Test
  void checkPath_invalidBundleBesideValidSig_refusedByTheBundle() throws Exception {
    signSig(m.prod, m.model);
    write(m.model.resolveSibling("model.onnx.sigstore.json"), cosignBundle(m.prod, m.dir.resolve("other.bin")));

    assertEquals(rejected(m.model, "SIGNATURE_INVALID", doesNotVerify("model.onnx")), m.refusal("", m.model));
  }

  @Test
  void checkPath_invalidSigBesideValidCosignModelSig_refusedByTheSig() throws Exception {
    Files.move(signSig(m.prod, m.model), m.model.resolveSibling("model.sig"));
    write(m.model.resolveSibling("model.onnx.sig"), invalidSig);

    assertEquals(rejected(m.model, "SIGNATURE_INVALID", doesNotVerify("model.onnx")), m.refusal("", m.model));
  }

  @Test
  void checkPath_invalidCosignModelSigBesideFileInOmsSignedDirectory_refusedByTheModelSigBeside() throws Exception {
    Path file = write(m.dir.resolve("models/sub/model.onnx"), MODEL_TEXT);
    write(file.resolveSibling("model.sig"), invalidSig);
    signDirectory(m.prod, m.dir.resolve("models"));

    assertEquals(rejected(file, "SIGNATURE_INVALID",
        doesNotVerify("model.onnx: model.sig (a cosign signature of model.onnx)")), m.refusal("", file));
  }

  @Test
  void checkPath_invalidSigOfFileInOmsSignedDirectory_refusedByTheSig() throws Exception {
    write(m.model.resolveSibling("model.onnx.sig"), invalidSig);
    signDirectory(m.prod, m.dir.resolve("models"));

    assertEquals(rejected(m.model, "SIGNATURE_INVALID", doesNotVerify("model.onnx")), m.refusal("", m.model));
  }

  @Test
  void checkPath_fileInOmsSignedDirectory_handsOnItsCopyInThePinnedDirectory() throws Exception {
    write(m.dir.resolve("models/vocab.txt"), "vocabulary");
    signDirectory(m.prod, m.dir.resolve("models"));

    Path pinned = m.gate("").checkPath("test", m.model);

    assertEquals(MODEL_TEXT, Files.readString(pinned));
    assertEquals("vocabulary", Files.readString(pinned.resolveSibling("vocab.txt")));
  }

  @Test
  void checkPath_fileTheEnclosingModelSigIgnores_refusedUnsigned() throws Exception {
    Path notes = write(m.dir.resolve("models/notes.txt"), "notes");
    Path dir = m.dir.resolve("models");
    Files.writeString(dir.resolve("model.sig"), ModelSigner.withKey(m.prod.getPrivate()).sign(dir,
        ModelHashing.files().ignorePaths(List.of("notes.txt")).build(), ProgressListener.NONE));

    assertEquals(rejected(notes, "UNSIGNED", "notes.txt is not covered by " + dir.resolve("model.sig")),
        m.refusal("", notes));
  }

  @Test
  void checkPath_modelSigBesideThatIsNeitherFormat_refusedMalformedSignatureNamingBoth() throws Exception {
    write(m.model.resolveSibling("model.sig"), "neither");

    assertEquals(rejected(m.model, "MALFORMED_SIGNATURE", "model.sig is neither an OpenSSF model signature nor a cosign"
        + " signature of model.onnx (ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign"
        + " rejects)): name the file's own signature model.onnx.sig or"
        + " model.onnx.sigstore.json, or sign the whole directory with sign-model"), m.refusal("", m.model));
  }

  @Test
  void checkPath_omsSignedDirectoryWhereCosignIsRequired_refusedUnsigned() throws Exception {
    Path dir = m.dir.resolve("models");
    signDirectory(m.prod, dir);

    assertEquals(rejected(dir, "UNSIGNED", "this location requires cosign signatures, not an OpenSSF model"
        + " signature"), m.refusal(rule("prod", dir, "prod") + "rule.prod.format = cosign\n", dir));
  }

  @Test
  void checkPath_sigSignedFileWhereModelSigningIsRequired_refusedUnsigned() throws Exception {
    signSig(m.prod, m.model);

    assertEquals(rejected(m.model, "UNSIGNED", "this location requires an OpenSSF model signature (model.sig as"
        + " sign-model writes it), not cosign signatures"), m.refusal(rule("prod", m.model.getParent(), "prod")
        + "rule.prod.format = model-signing\n", m.model));
  }

  @Test
  void checkPath_directoryOfSignedFiles_handsOnPinnedCopyOfEach() throws Exception {
    Path dir = m.model.getParent();
    signSig(m.prod, m.model);
    signSig(m.prod, write(dir.resolve("serving.properties"), "engine=OnnxRuntime"));

    Path pinned = m.gate("").checkPath("test", dir);

    assertEquals("engine=OnnxRuntime", Files.readString(pinned.resolve("serving.properties")));
  }

  @Test
  void checkPath_directoryWithAnUnsignedFile_refusedUnsignedNamingIt() throws Exception {
    Path dir = m.model.getParent();
    signSig(m.prod, m.model);
    write(dir.resolve("serving.properties"), "engine=OnnxRuntime");

    assertEquals(rejected(dir, "UNSIGNED", "serving.properties: not signed (no serving.properties.sigstore.json or"
        + " serving.properties.sig)"), m.refusal("", dir));
  }

  @Test
  void checkPath_directoryWithSymbolicLink_refusedPathRefused() throws Exception {
    Path dir = m.model.getParent();
    signSig(m.prod, m.model);
    Files.createSymbolicLink(dir.resolve("weights.bin"), m.dir.resolve("other.bin"));

    assertEquals(rejected(dir, "PATH_REFUSED", "weights.bin: symbolic links are not allowed in a model directory"),
        m.refusal("", dir));
  }

  @Test
  void checkPath_emptyDirectory_refusedUnsigned() throws Exception {
    Path dir = Files.createDirectories(m.dir.resolve("empty"));

    assertEquals(rejected(dir, "UNSIGNED", "model directory has no files"), m.refusal("", dir));
  }

  @Test
  void checkPath_fifo_refusedPathRefused() throws Exception {
    Path fifo = RegularFilesTest.mkfifo(m.dir.resolve("fifo.onnx"));

    assertEquals(rejected(fifo, "PATH_REFUSED", "not a regular file or directory"), m.refusal("", fifo));
  }
}
