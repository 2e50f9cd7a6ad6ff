package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.TestPki.SctMode;
import dev.modelseal.core.VerificationException.Reason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FulcioCertificatesTest {
  private static final String PROD = "trusted_root.production.json";
  private static final TestPki PKI = new TestPki();
  private static final Instant SIGNED = TestPki.T0.plus(Duration.ofMinutes(1));

  private static X509Certificate verifyVector(String caseName, String bundle, String rootCase, String rootFile)
      throws Exception {
    return FulcioCertificates.verify(SigstoreTestVectors.certificates(caseName, bundle),
        SigstoreTestVectors.root(rootCase, rootFile), SigstoreTestVectors.integratedTimes(caseName, bundle));
  }

  private static VerificationException refused(List<X509Certificate> certs, TrustedRoot root, Instant... times) {
    return assertThrows(VerificationException.class, () -> FulcioCertificates.verify(certs, root, List.of(times)));
  }

  @Test
  void verify_v01ChainWithProductionRoot_returnsLeaf() throws Exception {
    X509Certificate leaf = verifyVector("happy-path-v0.1", "bundle.sigstore.json", "happy-path-v0.1", PROD);
    assertEquals(SigstoreTestVectors.leaf("happy-path-v0.1", "bundle.sigstore.json"), leaf);
  }

  @Test
  void verify_v03CertificateWithProductionRoot_returnsLeaf() throws Exception {
    verifyVector("happy-path-v0.3", "bundle.sigstore.json", "happy-path-v0.1", PROD);
  }

  @Test
  void verify_rsa4096Leaf_returnsLeaf() throws Exception {
    verifyVector("java-keyless-rsa-pkcs1v15-4096-sha256", "PKIX_RSA_PKCS1V15_4096_SHA256.sigstore.json",
        "happy-path-v0.1", PROD);
  }

  @Test
  void verify_p384Leaf_returnsLeaf() throws Exception {
    verifyVector("java-keyless-ecdsa-p384-sha-384", "PKIX_ECDSA_P384_SHA_384.sigstore.json", "happy-path-v0.1", PROD);
  }

  @Test
  void verify_customTrustRoot_returnsLeaf() throws Exception {
    verifyVector("intoto-with-custom-trust-root", "bundle.sigstore.json", "intoto-with-custom-trust-root",
        "trusted_root.json");
  }

  @Test
  void verify_trustRootWithEndInclusiveWindows_returnsLeaf() throws Exception {
    verifyVector("trust-root-tlog-validity-end-inclusive", "bundle.sigstore.json",
        "trust-root-tlog-validity-end-inclusive", "trusted_root.json");
  }

  @Test
  void verify_rekorV2StagingBundleAtCertificateStart_returnsLeaf() throws Exception {
    List<X509Certificate> certs = SigstoreTestVectors.certificates("rekor2-happy-path", "bundle.sigstore.json");
    FulcioCertificates.verify(certs, SigstoreTestVectors.root("rekor2-happy-path", "trusted_root.json"),
        List.of(certs.get(0).getNotBefore().toInstant()));
  }

  @Test
  void verify_stagingBundleWithProductionRoot_untrusted() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> verifyVector(
        "bundle-from-wrong-instance_fail", "bundle.sigstore.json", "happy-path-v0.1", PROD));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("signing certificate (issuer CN=sigstore-intermediate,O=sigstore.dev) does not chain to any"
        + " certificate authority of the trusted root", e.getMessage());
  }

  @Test
  void verify_bundleChainWithRootCertificate_untrusted() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> verifyVector(
        "bundle-with-root-cert_fail", "bundle.sigstore.json", "happy-path-v0.1", PROD));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("bundle certificate chain contains a root certificate (CN=sigstore,O=sigstore.dev): the root"
        + " must come from the trusted root only", e.getMessage());
  }

  @Test
  void verify_sctFromLogNotInRoot_untrusted() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> verifyVector(
        "invalid-ct-key_fail", "bundle.sigstore.json", "invalid-ct-key_fail", "trusted_root.json"));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("no embedded SCT of the signing certificate verifies with a CT log of the trusted root; SCT 0:"
        + " CT log 3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4= is not in the trusted root", e.getMessage());
  }

  @Test
  void verify_certificateIssuedOutsideItsValidityAtLogTime_untrusted() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> verifyVector(
        "intoto-expired-certificate_fail", "bundle.sigstore.json", "intoto-expired-certificate_fail",
        "trusted_root.json"));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
  }

  @Test
  void verify_logTimeAfterCertificateExpiry_untrusted() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> verifyVector(
        "intoto-set-outside-signing-cert-validity_fail", "bundle.sigstore.json",
        "intoto-set-outside-signing-cert-validity_fail", "trusted_root.json"));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("signing certificate is not valid at signing time 2023-02-02T00:00:00Z (valid from"
        + " 2023-02-01T00:00:00Z to 2023-02-01T00:10:00Z)", e.getMessage());
  }

  @Test
  void verify_generatedLeaf_returnsLeaf() throws Exception {
    X509Certificate leaf = PKI.leaf().build();
    assertSame(leaf, FulcioCertificates.verify(List.of(leaf), PKI.trustedRoot(), List.of(SIGNED)));
  }

  @Test
  void verify_bundleIntermediatesIgnored_returnsLeaf() throws Exception {
    X509Certificate leaf = PKI.leaf().build();
    assertSame(leaf, FulcioCertificates.verify(List.of(leaf, PKI.intermediate), PKI.trustedRoot(), List.of(SIGNED)));
  }

  @Test
  void verify_bundleRootCertificate_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().build(), PKI.intermediate, PKI.root), PKI.trustedRoot(),
        SIGNED);
    assertEquals("bundle certificate chain contains a root certificate (CN=test root): the root must come from"
        + " the trusted root only", e.getMessage());
  }

  @Test
  void verify_noSigningTime_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().build()), PKI.trustedRoot());
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("no verified signing time (transparency log or timestamp) to check the signing certificate at",
        e.getMessage());
  }

  @Test
  void verify_emptyChain_malformed() {
    VerificationException e = refused(List.of(), PKI.trustedRoot(), SIGNED);
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle has no signing certificate", e.getMessage());
  }

  @Test
  void verify_leafWithoutCodeSigningEku_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().codeSigning(false).build()), PKI.trustedRoot(), SIGNED);
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("signing certificate is not for code signing: it has no EKU codeSigning", e.getMessage());
  }

  @Test
  void verify_leafIsCa_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().ca(true).build()), PKI.trustedRoot(), SIGNED);
    assertEquals("signing certificate is a CA certificate, not a Fulcio leaf", e.getMessage());
  }

  @Test
  void verify_leafFromUnknownCa_untrusted() {
    TestPki other = new TestPki();
    VerificationException e = refused(List.of(other.leaf().build()), PKI.trustedRoot(), SIGNED);
    assertEquals("signing certificate (issuer CN=test intermediate) does not chain to any certificate authority"
        + " of the trusted root", e.getMessage());
  }

  @Test
  void verify_signingTimeAfterLeafExpiry_untrusted() {
    Instant late = TestPki.T0.plus(Duration.ofMinutes(11));
    VerificationException e = refused(List.of(PKI.leaf().build()), PKI.trustedRoot(), SIGNED, late);
    assertEquals("signing certificate is not valid at signing time 2024-01-01T00:11:00Z (valid from"
        + " 2024-01-01T00:00:00Z to 2024-01-01T00:10:00Z)", e.getMessage());
  }

  @Test
  void verify_signingTimeAtLeafExpiry_returnsLeaf() throws Exception {
    X509Certificate leaf = PKI.leaf().build();
    FulcioCertificates.verify(List.of(leaf), PKI.trustedRoot(), List.of(TestPki.T0.plus(Duration.ofMinutes(10))));
  }

  @Test
  void verify_signingTimeAfterCaWindow_untrusted() {
    TrustedRoot root = PKI.trustedRoot(TestPki.T0.minus(Duration.ofDays(1)), TestPki.T0);
    VerificationException e = refused(List.of(PKI.leaf().build()), root, SIGNED);
    assertEquals("certificate authority https://fulcio.test is not valid at signing time 2024-01-01T00:01:00Z"
        + " (trusted root window 2023-12-31T00:00:00Z to 2024-01-01T00:00:00Z)", e.getMessage());
  }

  @Test
  void verify_signingTimeAtCaWindowEnd_returnsLeaf() throws Exception {
    TrustedRoot root = PKI.trustedRoot(TestPki.T0.minus(Duration.ofDays(1)), SIGNED);
    FulcioCertificates.verify(List.of(PKI.leaf().build()), root, List.of(SIGNED));
  }

  @Test
  void verify_leafWithoutSct_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().sct(SctMode.NONE).build()), PKI.trustedRoot(), SIGNED);
    assertEquals("signing certificate has no embedded SCT", e.getMessage());
  }

  @Test
  void verify_sctWithBadSignature_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().sct(SctMode.BAD_SIGNATURE).build()), PKI.trustedRoot(),
        SIGNED);
    assertEquals("no embedded SCT of the signing certificate verifies with a CT log of the trusted root; SCT 0:"
        + " signature does not verify with CT log " + b64(PKI.ctLogId()), e.getMessage());
  }

  @Test
  void verify_sctFromUnknownLog_untrusted() {
    VerificationException e = refused(List.of(PKI.leaf().sct(SctMode.UNKNOWN_LOG).build()), PKI.trustedRoot(),
        SIGNED);
    assertEquals("no embedded SCT of the signing certificate verifies with a CT log of the trusted root; SCT 0:"
        + " CT log " + b64(TestPki.sha256(new byte[] {1})) + " is not in the trusted root", e.getMessage());
  }

  @Test
  void verify_sctBeforeCtLogWindow_untrusted() {
    TrustedRoot root = PKI.trustedRootWithCtLog(new TrustedRoot.LogKey("https://ct.test", PKI.ctLogId(),
        PKI.ctKey.getPublic(), TestPki.T0.plusSeconds(1), null));
    VerificationException e = refused(List.of(PKI.leaf().build()), root, SIGNED);
    assertEquals("no embedded SCT of the signing certificate verifies with a CT log of the trusted root; SCT 0:"
        + " CT log " + b64(PKI.ctLogId()) + " is not valid at the SCT time 2024-01-01T00:00:00Z", e.getMessage());
  }

  @Test
  void verify_truncatedSctList_malformed() {
    VerificationException e = refused(List.of(PKI.leaf().sct(SctMode.TRUNCATED).build()), PKI.trustedRoot(), SIGNED);
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("signing certificate has a corrupt embedded SCT list: truncated", e.getMessage());
  }

  @Test
  void verify_intermediateExpiredAtSigningTime_untrusted() {
    TestPki pki = new TestPki(TestPki.T0.plus(Duration.ofMinutes(5)));
    Instant t = TestPki.T0.plus(Duration.ofMinutes(6));
    VerificationException e = refused(List.of(pki.leaf().build()), pki.trustedRoot(), t);
    assertEquals("certificate chain to https://fulcio.test is not valid at signing time 2024-01-01T00:06:00Z",
        e.getMessage());
  }

  @Test
  void verify_everySigningTimeChecked_untrustedWhenOneIsOutside() {
    VerificationException e = refused(List.of(PKI.leaf().build()), PKI.trustedRoot(), SIGNED,
        TestPki.T0.minusSeconds(1));
    assertEquals("signing certificate is not valid at signing time 2023-12-31T23:59:59Z (valid from"
        + " 2024-01-01T00:00:00Z to 2024-01-01T00:10:00Z)", e.getMessage());
  }

  private static String b64(byte[] b) {
    return java.util.Base64.getEncoder().encodeToString(b);
  }
}
