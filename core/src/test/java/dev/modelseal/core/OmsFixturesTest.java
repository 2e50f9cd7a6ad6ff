package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The released model_signing fixtures (oms/scripts/tests), per testdata/vectors/oms/SOURCES.md §1. */
class OmsFixturesTest {
  private static void verifyKey(String dir, Path model, List<String> ignores) throws Exception {
    ModelVerifier.builder().publicKey(OmsVectors.publicKey()).ignorePaths(ignores).build()
        .verify(model, OmsVectors.sig(OmsVectors.fixture(dir)), ProgressListener.NONE);
  }

  private static void verifyCert(String dir, List<String> ignores) throws Exception {
    ModelVerifier.builder().trustAnchors(List.of(OmsVectors.cert("ca-cert.pem"))).ignorePaths(ignores).build()
        .verify(OmsVectors.fixture(dir), OmsVectors.sig(OmsVectors.fixture(dir)), ProgressListener.NONE);
  }

  @Test
  void verify_v110EllipticKey_passes() {
    assertDoesNotThrow(() -> verifyKey("v1.1.0-elliptic-key", OmsVectors.fixture("v1.1.0-elliptic-key"),
        List.of()));
  }

  @Test
  void verify_v110EllipticKeyWithIgnoreFlag_passes() {
    assertDoesNotThrow(() -> verifyKey("v1.1.0-elliptic-key", OmsVectors.fixture("v1.1.0-elliptic-key"),
        List.of("ignore-me")));
  }

  @Test
  void verify_v110Certificate_passes() {
    assertDoesNotThrow(() -> verifyCert("v1.1.0-certificate", List.of("model.sig")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.0.0-certificate", "v0.3.1-certificate", "v0.2.0-certificate"})
  void verify_olderCertificateFixture_passes(String dir) {
    assertDoesNotThrow(() -> verifyCert(dir, List.of("model.sig")));
  }

  @Test
  void verify_v101EllipticKeyWithIgnoreFlag_passes() {
    assertDoesNotThrow(() -> verifyKey("v1.0.1-elliptic-key", OmsVectors.fixture("v1.0.1-elliptic-key"),
        List.of("model.sig", "ignore-me")));
  }

  @Test
  void verify_v101EllipticKeyWithoutIgnoreFlag_failsWithExtraFile() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyKey("v1.0.1-elliptic-key", OmsVectors.fixture("v1.0.1-elliptic-key"), List.of("model.sig")));
    assertEquals(Reason.MANIFEST_MISMATCH, e.reason());
    assertEquals("model does not match its signature: extra files: ignore-me", e.getMessage());
  }

  @Test
  void verify_v101CertificateWithIgnoreFlag_passes() {
    assertDoesNotThrow(() -> verifyCert("v1.0.1-certificate", List.of("model.sig", "ignore-me")));
  }

  @Test
  void verify_v101CertificateWithoutIgnoreFlag_failsWithExtraFile() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyCert("v1.0.1-certificate", List.of("model.sig")));
    assertEquals("model does not match its signature: extra files: ignore-me", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.0.0-elliptic-key", "v0.3.1-elliptic-key"})
  void verify_singleFileFixtureWithFileAsModel_passes(String dir) {
    assertDoesNotThrow(() -> verifyKey(dir, OmsVectors.fixture(dir).resolve("signme-1"), List.of()));
  }

  @Test
  void verify_singleFileFixtureWithDirectoryAsModel_failsMissingDotExtraFile() {
    VerificationException e = assertThrows(VerificationException.class, () -> verifyKey("v1.0.0-elliptic-key",
        OmsVectors.fixture("v1.0.0-elliptic-key"), List.of("model.sig")));
    assertEquals("model does not match its signature: missing files: .; extra files: signme-1", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-sigstore", "v1.0.1-sigstore", "v1.0.0-sigstore", "v0.3.1-sigstore"})
  void readSigned_sigstoreFixtureWithKey_isUntrustedKeyless(String dir) throws Exception {
    VerificationException e = assertThrows(VerificationException.class,
        () -> OmsVectors.keyVerifier().readSigned(OmsVectors.sig(OmsVectors.fixture(dir))));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(ModelVerifier.KEYLESS, e.getMessage());
  }

  @Test
  void readSigned_v020Certificate_readsLegacyManifest() throws Exception {
    SignedModel m = OmsVectors.certVerifier().readSigned(OmsVectors.sig(OmsVectors.fixture("v0.2.0-certificate")));
    assertEquals("compat-undefined-not-present", m.modelName());
    assertEquals(List.of("signme-1", "signme-2"),
        m.manifest().entries().stream().map(ModelManifest.Entry::name).toList());
    assertEquals(KeyId.hex(OmsVectors.publicKey()), m.signerKeyId());
  }

  @Test
  void readSigned_v110EllipticKey_readsSignedSerialization() throws Exception {
    SignedModel m = OmsVectors.keyVerifier().readSigned(OmsVectors.sig(OmsVectors.fixture("v1.1.0-elliptic-key")));
    assertEquals("v1.1.0-elliptic-key", m.modelName());
    assertEquals("files", m.hashing().method());
    assertEquals(List.of(".git", ".gitattributes", ".github", ".gitignore", "ignore-me", "model.sig"),
        m.hashing().ignorePaths().stream().sorted().toList());
    assertEquals("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4", m.manifest().rootDigestHex());
  }

  @Test
  void readSigned_certificateFixtureWithKeyMethod_verifiesWithCallerKey() throws Exception {
    assertDoesNotThrow(() -> OmsVectors.keyVerifier().readSigned(
        OmsVectors.sig(OmsVectors.fixture("v1.1.0-certificate"))));
  }

  @Test
  void readSigned_keyFixtureWithCertificateMethod_isUntrusted() throws Exception {
    VerificationException e = assertThrows(VerificationException.class,
        () -> OmsVectors.certVerifier().readSigned(OmsVectors.sig(OmsVectors.fixture("v1.1.0-elliptic-key"))));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
  }

  @Test
  void readSigned_certificateFixtureWithWrongAnchor_isUntrusted() throws Exception {
    ModelVerifier v = ModelVerifier.builder().trustAnchors(List.of(OmsVectors.cert("signing-key-cert.pem"))).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.readSigned(OmsVectors.sig(OmsVectors.fixture("v1.1.0-certificate"))));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
  }

  @Test
  void pemHint_fixtureKey_matchesReferenceHint() throws Exception {
    assertEquals(OmsVectors.P384_HINT, ModelSigner.pemHint(OmsVectors.publicKey()));
  }
}
