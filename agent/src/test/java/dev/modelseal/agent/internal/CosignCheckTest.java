package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.SignedModels.MODEL_TEXT;
import static dev.modelseal.agent.internal.SignedModels.keyId;
import static dev.modelseal.agent.internal.SignedModels.refused;
import static dev.modelseal.agent.internal.SignedModels.rule;
import static dev.modelseal.agent.internal.SignedModels.signBundle;
import static dev.modelseal.agent.internal.SignedModels.signSig;
import static dev.modelseal.agent.internal.SignedModels.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file's cosign signature ({@code X.sig}, or a cosign bundle {@code X.sigstore.json}), checked by the real
 * gate ({@link ModelChecker} and the {@link KeyRule}): what each failure is refused as, with the exact message.
 */
class CosignCheckTest {
  @TempDir Path tmp;
  private SignedModels m;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
  }

  private String rejected(String reason, String detail) {
    return "model rejected (" + reason + "): " + m.model + ": " + detail;
  }

  @Test
  void checkPath_signedFile_logsAllowWithTheSigningKey() throws Exception {
    signSig(m.prod, m.model);

    Path pinned = m.gate("").checkPath("test", m.model);

    assertEquals(MODEL_TEXT, Files.readString(pinned));
    String line = m.decisionLines().get(0);
    assertTrue(line.contains("\"keyId\":\"" + keyId(m.prod) + "\",\"decision\":\"allow\""), line);
  }

  @Test
  void checkPath_noSignature_refusedUnsigned() throws Exception {
    assertEquals(rejected("UNSIGNED", "model.onnx: not signed (no model.onnx.sigstore.json or model.onnx.sig)"),
        m.refusal("", m.model));
  }

  @Test
  void checkPath_fileChangedAfterSigning_refusedSignatureInvalid() throws Exception {
    signSig(m.prod, m.model);
    Files.writeString(m.model, "other bytes");

    assertEquals(rejected("SIGNATURE_INVALID", "model.onnx: signature does not verify with key " + keyId(m.prod)
        + " (tried [ECDSA_P256_SHA256])"), m.refusal("", m.model));
  }

  @Test
  void checkPath_sigByKeyNoGateTrusts_refusedSignatureInvalid() throws Exception {
    signSig(m.stranger, m.model);

    assertEquals(rejected("SIGNATURE_INVALID", "model.onnx: signature does not verify with key " + keyId(m.prod)
        + " (tried [ECDSA_P256_SHA256])"), m.refusal("", m.model));
  }

  @Test
  void checkPath_bundleWhoseHintNamesKeyNoGateTrusts_refusedUntrustedKey() throws Exception {
    signBundle(m.stranger, m.model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.onnx: signed by key " + keyId(m.stranger)
        + ", which is not trusted"), m.refusal("", m.model));
  }

  @Test
  void checkPath_signedByTrustedKeyNotAllowedHere_refusedUntrustedKey() throws Exception {
    signSig(m.lab, m.model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.onnx: signed by key " + keyId(m.lab)
        + ", which is not allowed to sign models at this location"),
        m.refusal(rule("prod", m.dir.resolve("models"), "prod"), m.model));
  }

  @Test
  void checkPath_fileUnderTheLongerOfTwoRules_allowedWithThatRulesKey() throws Exception {
    Path inner = write(m.dir.resolve("models/prod/model.onnx"), MODEL_TEXT);
    signSig(m.prod, inner);
    Gate gate = m.gate(rule("lab", m.dir.resolve("models"), "lab")
        + rule("prod", m.dir.resolve("models/prod"), "prod"));

    assertEquals(MODEL_TEXT, Files.readString(gate.checkPath("test", inner)));
  }

  @Test
  void checkPath_locationUnderNoRule_refusedUntrustedKey() throws Exception {
    signSig(m.stranger, m.model);

    assertEquals(rejected("UNTRUSTED_KEY", "model.onnx: no trusted key may sign models at this location"),
        m.refusal(rule("prod", m.dir.resolve("elsewhere"), "prod"), m.model));
  }

  @Test
  void checkPath_bundleRecordingAnotherDigest_refusedDigestMismatch() throws Exception {
    String bundle = SignedModels.cosignBundle(m.prod, m.model);
    String recorded = bundle.replaceAll(".*\"messageDigest\":\\{\"algorithm\":\"SHA2_256\",\"digest\":\"([^\"]+)\".*",
        "$1");
    Files.writeString(m.model.resolveSibling("model.onnx.sigstore.json"),
        bundle.replace(recorded, Base64.getEncoder().encodeToString(new byte[32])));

    assertEquals(rejected("DIGEST_MISMATCH", "model.onnx: artifact digest does not match the bundle's messageDigest"
        + " (SHA2_256)"), m.refusal("", m.model));
  }

  @Test
  void checkPath_sigThatIsNotASignature_refusedMalformedSignature() throws Exception {
    write(m.model.resolveSibling("model.onnx.sig"), "not a signature");

    assertEquals(rejected("MALFORMED_SIGNATURE", "model.onnx: signature is not valid base64"), m.refusal("", m.model));
  }

  @Test
  void checkPath_sigLargerThanItsBound_refusedTooLarge() throws Exception {
    Files.write(m.model.resolveSibling("model.onnx.sig"), new byte[64 * 1024 + 1]);

    assertEquals(rejected("TOO_LARGE", "model.onnx: signature model.onnx.sig is larger than 65536 bytes"),
        m.refusal("", m.model));
  }

  @Test
  void checkPath_sigThatIsASymbolicLink_refusedPathRefused() throws Exception {
    Path elsewhere = signSig(m.prod, m.model);
    Files.move(elsewhere, m.dir.resolve("elsewhere.sig"));
    Files.createSymbolicLink(elsewhere, m.dir.resolve("elsewhere.sig"));

    assertEquals(rejected("PATH_REFUSED", "model.onnx: signature model.onnx.sig is not a regular file"),
        m.refusal("", m.model));
  }

  @Test
  void checkBytes_copyOfFileSignedByKeyNotAllowedThere_refusedUntrustedKey() throws Exception {
    signSig(m.lab, m.model);
    Gate gate = m.gate("models = " + m.dir.resolve("models") + "\n"
        + rule("prod", m.dir.resolve("models"), "prod"));

    ModelVerificationException e = refused(() -> gate.checkBytes("test",
        MODEL_TEXT.getBytes(StandardCharsets.US_ASCII)));
    assertEquals("model rejected (UNTRUSTED_KEY): <byte[] 11 bytes>: " + m.model + ": signed by key " + keyId(m.lab)
        + ", which is not allowed to sign models at this location", e.getMessage());
  }
}
