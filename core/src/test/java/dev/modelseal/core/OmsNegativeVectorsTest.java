package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** oms/negative, the OSSF spec vectors and the ML-DSA vector (testdata/vectors/oms/SOURCES.md §2, §4, §5). */
class OmsNegativeVectorsTest {
  private static Path negative(String name) {
    return OmsVectors.oms("negative").resolve(name);
  }

  private static VerificationException rejected(ModelVerifier v, Path model, byte[] sig) {
    return assertThrows(VerificationException.class, () -> v.verify(model, sig, ProgressListener.NONE));
  }

  private static VerificationException rejectedNegative(String name) throws Exception {
    return rejected(OmsVectors.keyVerifier(), negative(name), OmsVectors.sig(negative(name)));
  }

  @Test
  void verify_tamperedContent_namesModifiedFile() throws Exception {
    VerificationException e = rejectedNegative("tampered-content");
    assertEquals(Reason.MANIFEST_MISMATCH, e.reason());
    assertEquals("model does not match its signature: modified files: signme-1", e.getMessage());
  }

  @Test
  void verify_extraFile_namesExtraFile() throws Exception {
    VerificationException e = rejectedNegative("extra-file");
    assertEquals(Reason.MANIFEST_MISMATCH, e.reason());
    assertEquals("model does not match its signature: extra files: extra.bin", e.getMessage());
  }

  @Test
  void verify_extraFileWithIgnoreUnsignedFiles_passes() throws Exception {
    ModelVerifier v = ModelVerifier.builder().publicKey(OmsVectors.publicKey()).ignoreUnsignedFiles(true).build();
    assertDoesNotThrow(() -> v.verify(negative("extra-file"), OmsVectors.sig(negative("extra-file")),
        ProgressListener.NONE));
  }

  @Test
  void verify_missingFile_namesMissingFile() throws Exception {
    VerificationException e = rejectedNegative("missing-file");
    assertEquals(Reason.MANIFEST_MISMATCH, e.reason());
    assertEquals("model does not match its signature: missing files: signme-2", e.getMessage());
  }

  @Test
  void verify_payloadModified_isSignatureInvalid() throws Exception {
    VerificationException e = rejectedNegative("payload-modified");
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals("model signature does not verify with key " + KeyId.hex(OmsVectors.publicKey()), e.getMessage());
  }

  @Test
  void verify_rootDigestMismatch_isInconsistentManifest() throws Exception {
    VerificationException e = rejectedNegative("root-digest-mismatch");
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
    assertEquals("manifest is inconsistent: root digest is " + "0".repeat(64)
        + ", but the included resources hash to 92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4",
        e.getMessage());
  }

  @Test
  void verify_unknownPredicateType_isUnsupported() throws Exception {
    VerificationException e = rejectedNegative("unknown-predicate-type");
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("unsupported predicate type https://model_signing/signature/v9.9 (supported: "
        + "https://model_signing/signature/v1.0, https://model_signing/Digests/v0.1)", e.getMessage());
  }

  @Test
  void verify_twoSubjects_isMalformed() throws Exception {
    VerificationException e = rejectedNegative("two-subjects");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("expected exactly one subject, found 2", e.getMessage());
  }

  @Test
  void verify_wrongPayloadType_isMalformed() throws Exception {
    VerificationException e = rejectedNegative("wrong-payload-type");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("unexpected DSSE payload type application/json (expected application/vnd.in-toto+json)",
        e.getMessage());
  }

  @Test
  void verify_wrongKeyOnHintedBundle_isKeyMismatch() throws Exception {
    PublicKey other = CosignKeyReader.readPublicKey(negative("wrong-key").resolve("other-pub.pem"));
    ModelVerifier v = ModelVerifier.builder().publicKey(other).build();
    VerificationException e = rejected(v, OmsVectors.fixture("v1.1.0-elliptic-key"),
        OmsVectors.sig(OmsVectors.fixture("v1.1.0-elliptic-key")));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("key mismatch: the signature names key hint " + OmsVectors.P384_HINT
        + ", but the given key's hint is " + ModelSigner.pemHint(other), e.getMessage());
  }

  @Test
  void verify_wrongKeyOnUnhintedBundle_isSignatureInvalid() throws Exception {
    PublicKey other = CosignKeyReader.readPublicKey(negative("wrong-key").resolve("other-pub.pem"));
    ModelVerifier v = ModelVerifier.builder().publicKey(other).build();
    VerificationException e = rejected(v, OmsVectors.fixture("v1.0.1-elliptic-key"),
        OmsVectors.sig(OmsVectors.fixture("v1.0.1-elliptic-key")));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ok-extra-predicate-field", "ok-shards-4", "ok-blake2b"})
  void verify_okVector_passes(String name) throws Exception {
    assertDoesNotThrow(() -> OmsVectors.keyVerifier().verify(negative(name), OmsVectors.sig(negative(name)),
        ProgressListener.NONE));
  }

  @Test
  void readSigned_okShards4_readsFloatShardSize() throws Exception {
    SignedModel m = OmsVectors.keyVerifier().readSigned(OmsVectors.sig(negative("ok-shards-4")));
    assertEquals("shards", m.hashing().method());
    assertEquals(4, m.hashing().shardSize());
    assertEquals("signme-1:0:4", m.manifest().entries().get(0).name());
  }

  private static Path spec(String relative) {
    return OmsVectors.oms("ossf-model-signing-spec").resolve(relative);
  }

  private static final Path SPEC_MODEL = OmsVectors.oms("ossf-model-signing-spec/model-for-valid-key-and-certificate");

  @Test
  void verify_specValidKeyBundle_passes() throws Exception {
    ModelVerifier v = ModelVerifier.builder().publicKey(OmsVectors.publicKey()).build();
    assertDoesNotThrow(() -> v.verify(SPEC_MODEL, Vectors.bytes(spec("test-vectors/v1.0/valid/key.bundle.json")),
        ProgressListener.NONE));
  }

  @Test
  void verify_specValidCertificateBundle_passes() throws Exception {
    ModelVerifier v = ModelVerifier.builder().trustAnchors(List.of(OmsVectors.cert("ca-cert.pem"))).build();
    assertDoesNotThrow(() -> v.verify(SPEC_MODEL,
        Vectors.bytes(spec("test-vectors/v1.0/valid/certificate.bundle.json")), ProgressListener.NONE));
  }

  @Test
  void readSigned_specValidSigstoreBundleWithKey_isUntrustedKeyless() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> OmsVectors.keyVerifier()
        .readSigned(Vectors.bytes(spec("test-vectors/v1.0/valid/sigstore.bundle.json"))));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(ModelVerifier.KEYLESS, e.getMessage());
  }

  @Test
  void readSigned_specWrongPredicate_isSignatureInvalid() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> OmsVectors.keyVerifier()
        .readSigned(Vectors.bytes(spec("test-vectors/v1.0/invalid-payload/wrong-predicate.bundle.json"))));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
  }

  @Test
  void readSigned_specEmptyBundle_isMalformed() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> OmsVectors.keyVerifier()
        .readSigned(Vectors.bytes(spec("test-vectors/v1.0/invalid/empty.bundle.json"))));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("model signature is empty", e.getMessage());
  }

  @Test
  void readSigned_specMissingEnvelope_isMalformed() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> OmsVectors.keyVerifier()
        .readSigned(Vectors.bytes(spec("test-vectors/v1.0/invalid/missing-envelope.bundle.json"))));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle dsseEnvelope is missing or not a JSON object", e.getMessage());
  }

  @Test
  void readSigned_specMissingVerificationMaterial_isMalformed() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> OmsVectors.keyVerifier()
        .readSigned(Vectors.bytes(spec("test-vectors/v1.0/invalid/missing-verification-material.bundle.json"))));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle verificationMaterial is missing or not a JSON object", e.getMessage());
  }

  @Test
  void readSigned_specMissingTlogEntriesWithKey_isUntrustedKeyless() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> OmsVectors.keyVerifier()
        .readSigned(Vectors.bytes(spec("test-vectors/v1.0/invalid/missing-tlog-entries.bundle.json"))));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(ModelVerifier.KEYLESS, e.getMessage());
  }

  @Test
  void readSigned_mlDsaBundle_isUnsupported() throws Exception {
    byte[] sig = Vectors.bytes(OmsVectors.oms("unmerged-pr596-ml-dsa/scripts/tests/v1.1.0-ml-dsa/model.sig"));
    VerificationException e = assertThrows(VerificationException.class,
        () -> OmsVectors.keyVerifier().readSigned(sig));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("ML-DSA model signatures are not supported", e.getMessage());
  }

  @Test
  void readSigned_oversizedBundle_isTooLarge() throws Exception {
    VerificationException e = assertThrows(VerificationException.class,
        () -> OmsVectors.keyVerifier().readSigned(new byte[ModelVerifier.MAX_BUNDLE_BYTES + 1]));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void verify_emptyBundle_isMalformed() throws Exception {
    VerificationException e = rejected(OmsVectors.keyVerifier(), SPEC_MODEL, new byte[0]);
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("model signature is empty", e.getMessage());
  }

  @Test
  void verify_oversizedBundle_isTooLarge() throws Exception {
    VerificationException e = rejected(OmsVectors.keyVerifier(), SPEC_MODEL,
        new byte[ModelVerifier.MAX_BUNDLE_BYTES + 1]);
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("model signature is larger than 16777216 bytes", e.getMessage());
  }

  @Test
  void verify_bundleNotUtf8_isMalformed() throws Exception {
    byte[] sig = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
    VerificationException e = rejected(OmsVectors.keyVerifier(), SPEC_MODEL, sig);
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("model signature is not UTF-8", e.getMessage());
  }

  @Test
  void verify_bundleNotJson_isMalformed() throws Exception {
    VerificationException e = rejected(OmsVectors.keyVerifier(), SPEC_MODEL, "hello".getBytes(StandardCharsets.UTF_8));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("model signature is not valid JSON: unexpected character 'h' at offset 0", e.getMessage());
  }

  @Test
  void verify_specMissingEnvelope_isMalformed() throws Exception {
    VerificationException e = rejected(OmsVectors.keyVerifier(), SPEC_MODEL,
        Vectors.bytes(spec("test-vectors/v1.0/invalid/missing-envelope.bundle.json")));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle dsseEnvelope is missing or not a JSON object", e.getMessage());
  }
}
