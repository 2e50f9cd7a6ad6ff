package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model signature parsed once and read with several verifiers, as the agent does per trusted key. */
class ModelSignatureBundleTest {
  @TempDir Path tmp;

  private byte[] signedBy(KeyPair kp) throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    TestKeys.write(m, "weights.bin", "0123456789");
    return ModelSigner.withKey(kp.getPrivate()).sign(m, ModelHashing.files().build(), ProgressListener.NONE)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static ModelVerifier verifier(KeyPair kp) {
    return ModelVerifier.builder().publicKey(kp.getPublic()).build();
  }

  @Test
  void readSigned_parsedOnceWithSigningKey_returnsSignedModel() throws Exception {
    KeyPair signer = TestKeys.generate("P-256");
    ModelSignatureBundle bundle = ModelSignatureBundle.parse(signedBy(signer));
    assertEquals(KeyId.hex(signer.getPublic()), verifier(signer).readSigned(bundle).signerKeyId());
  }

  @Test
  void readSigned_sameParsedBundleOtherKeyFirst_otherKeyRefusedSigningKeyAccepted() throws Exception {
    KeyPair signer = TestKeys.generate("P-256");
    KeyPair other = TestKeys.generate("P-256");
    ModelSignatureBundle bundle = ModelSignatureBundle.parse(signedBy(signer));
    VerificationException e = assertThrows(VerificationException.class, () -> verifier(other).readSigned(bundle));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("m", verifier(signer).readSigned(bundle).modelName());
  }

  @Test
  void parse_notJson_sameRefusalAsReadSignedBytes() {
    byte[] junk = "{\"mediaType\": 1e99999999999}".getBytes(StandardCharsets.UTF_8);
    VerificationException parsed = assertThrows(VerificationException.class, () -> ModelSignatureBundle.parse(junk));
    VerificationException read = assertThrows(VerificationException.class,
        () -> verifier(TestKeys.generate("P-256")).readSigned(junk));
    assertEquals("model signature is not valid JSON: number out of range at offset 14", parsed.getMessage());
    assertEquals(parsed.getMessage(), read.getMessage());
  }

  @Test
  void readSigned_sidecarWithTwoMebibyteNumber_refusedQuicklyNamingTheBound() {
    byte[] sig = ("{\"mediaType\":" + "1".repeat(2 << 20) + "}").getBytes(StandardCharsets.UTF_8);
    VerificationException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(
        VerificationException.class, () -> verifier(TestKeys.generate("P-256")).readSigned(sig)));
    assertEquals("model signature is not valid JSON: number longer than 1000 characters at offset 13",
        e.getMessage());
  }

  @Test
  void parse_overTheBound_tooLarge() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> ModelSignatureBundle.parse(new byte[ModelVerifier.MAX_BUNDLE_BYTES + 1]));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void parse_jsonArray_malformed() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> ModelSignatureBundle.parse("[]".getBytes(StandardCharsets.UTF_8)));
    assertEquals("model signature is missing or not a JSON object", e.getMessage());
  }
}
