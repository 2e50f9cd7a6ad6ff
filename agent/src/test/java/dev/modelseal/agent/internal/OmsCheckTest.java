package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.SignedModels.MODEL_TEXT;
import static dev.modelseal.agent.internal.SignedModels.keyId;
import static dev.modelseal.agent.internal.SignedModels.rule;
import static dev.modelseal.agent.internal.SignedModels.signDirectory;
import static dev.modelseal.agent.internal.SignedModels.signFileWithModelSigning;
import static dev.modelseal.agent.internal.SignedModels.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.CosignKeyWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSF model signatures ({@code model.sig} of a directory, or an OMS bundle {@code X.sigstore.json} of one file),
 * checked by the real gate ({@link OmsPinner} and the {@link KeyRule}): the signer must be allowed at the directory
 * and at every file it lists, and the files must be exactly those it lists, unchanged.
 */
class OmsCheckTest {
  @TempDir Path tmp;
  private SignedModels m;
  private Path model;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    model = m.dir.resolve("models/bert");
    write(model.resolve("model.onnx"), MODEL_TEXT);
    write(model.resolve("config/serving.properties"), "engine=OnnxRuntime");
  }

  /** The OpenSSF reference's key hint: hex SHA-256 of the public key's PEM text. */
  private static String pemHint(KeyPair key) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(CosignKeyWriter.publicKeyPem(key.getPublic()).getBytes(StandardCharsets.US_ASCII)));
  }

  private String rejected(String reason, String detail) {
    return "model rejected (" + reason + "): " + model + ": " + detail;
  }

  @Test
  void checkPath_signedDirectory_handsOnPinnedCopyOfTheListedFiles() throws Exception {
    signDirectory(m.prod, model);

    Path pinned = m.gate("").checkPath("test", model);

    assertEquals("engine=OnnxRuntime", Files.readString(pinned.resolve("config/serving.properties")));
    String line = m.decisionLines().get(0);
    assertTrue(line.contains("verified model.sig over 2 files in " + model), line);
  }

  @Test
  void checkPath_fileWithModelSignatureBundle_handsOnPinnedCopy() throws Exception {
    Path file = model.resolve("model.onnx");
    signFileWithModelSigning(m.prod, file);

    Path pinned = m.gate("").checkPath("test", file);

    assertEquals(MODEL_TEXT, Files.readString(pinned));
    assertTrue(m.decisionLines().get(0).contains("verified model signature of " + file));
  }

  @Test
  void checkPath_listedFileMissing_refusedManifestMismatch() throws Exception {
    signDirectory(m.prod, model);
    Files.delete(model.resolve("config/serving.properties"));

    assertEquals(rejected("MANIFEST_MISMATCH", "model.sig: model does not match its signature: missing files:"
        + " config/serving.properties"), m.refusal("", model));
  }

  @Test
  void checkPath_fileNotListed_refusedManifestMismatchNamingIt() throws Exception {
    signDirectory(m.prod, model);
    write(model.resolve("extra.bin"), "extra");

    assertEquals(rejected("MANIFEST_MISMATCH", "model.sig: model does not match its signature: extra files:"
        + " extra.bin"), m.refusal("", model));
  }

  @Test
  void checkPath_listedFileModified_refusedManifestMismatch() throws Exception {
    signDirectory(m.prod, model);
    Files.writeString(model.resolve("model.onnx"), "other bytes");

    assertEquals(rejected("MANIFEST_MISMATCH", "model.sig: model does not match its signature: modified files:"
        + " model.onnx"), m.refusal("", model));
  }

  @Test
  void checkPath_signerNotAllowedAtAListedFilesLocation_refusedUntrustedKeyNamingTheFile() throws Exception {
    signDirectory(m.lab, model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: signed by key " + keyId(m.lab)
        + ", which is not allowed to sign config/serving.properties at its location"),
        m.refusal(rule("lab", model, "lab") + rule("prod", model.resolve("config"), "prod"), model));
  }

  @Test
  void checkPath_signedByTrustedKeyNotAllowedAtTheDirectory_refusedUntrustedKey() throws Exception {
    signDirectory(m.lab, model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: signed by key " + keyId(m.lab)
        + ", which is not allowed to sign models at this location"), m.refusal(rule("prod", model, "prod"), model));
  }

  @Test
  void checkPath_signedByKeyNoGateTrusts_refusedUntrustedKey() throws Exception {
    signDirectory(m.stranger, model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: key mismatch: the signature names key hint "
        + pemHint(m.stranger) + ", but the given key's hint is " + pemHint(m.prod)), m.refusal("", model));
  }

  @Test
  void checkPath_directoryUnderNoRule_refusedUntrustedKey() throws Exception {
    signDirectory(m.prod, model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: signed by key " + keyId(m.prod)
        + ", which is not allowed to sign models at this location"),
        m.refusal(rule("prod", m.dir.resolve("elsewhere"), "prod"), model));
  }

  @Test
  void checkPath_unparsableModelSignatureUnderNoRule_refusedNoEcdsaKeyAllowed() throws Exception {
    write(model.resolve("model.sig"), "{\"dsseEnvelope\": ");

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: no trusted ECDSA key may sign models at this location"),
        m.refusal(rule("prod", m.dir.resolve("elsewhere"), "prod"), model));
  }

  @Test
  void checkPath_unparsableModelSignature_refusedMalformedSignature() throws Exception {
    write(model.resolve("model.sig"), "{\"dsseEnvelope\": ");

    assertEquals(rejected("MALFORMED_SIGNATURE", "model.sig: model signature is not valid JSON: unexpected end of"
        + " JSON at offset 17"), m.refusal("", model));
  }

  @Test
  void checkPath_modelSigLargerThanItsBound_refusedTooLarge() throws Exception {
    Files.write(model.resolve("model.sig"), new byte[(16 << 20) + 1]);

    assertEquals(rejected("TOO_LARGE", "model.sig is larger than 16777216 bytes"), m.refusal("", model));
  }

  @Test
  void checkPath_modelSigThatIsASymbolicLink_refusedPathRefused() throws Exception {
    Path signature = signDirectory(m.prod, model);
    Files.move(signature, m.dir.resolve("elsewhere.sig"));
    Files.createSymbolicLink(signature, m.dir.resolve("elsewhere.sig"));

    assertEquals(rejected("PATH_REFUSED", "model.sig is not a regular file"), m.refusal("", model));
  }
}
