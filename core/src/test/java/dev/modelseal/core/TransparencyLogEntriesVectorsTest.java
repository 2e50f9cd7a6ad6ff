package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TransparencyLogEntries} on real Sigstore bundles (sigstore-conformance, sigstore-java; see
 * {@code src/test/resources/sigstore/NOTICE.md}): the accepted ones and the tampered ones, with the
 * exact failure each tampering must cause.
 */
class TransparencyLogEntriesVectorsTest {
  private static final String E0 = "transparency log entry 0";

  private static void assertFails(String name, Reason reason, String message) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> SigstoreBundleFixture.load(name).verify());
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  @Test
  void verify_bundleV01WithSetProofAndCheckpoint_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2023-07-12T15:56:36Z")), SigstoreBundleFixture.load("happy-path-v0.1").verify());
  }

  @Test
  void verify_bundleV03HashedRekord_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2024-03-19T17:26:26Z")), SigstoreBundleFixture.load("happy-path-v0.3").verify());
  }

  @Test
  void verify_bundleV01WithSetOnly_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2023-10-11T14:28:04Z")),
        SigstoreBundleFixture.load("java-bundle-v0.1-no-inclusion-proof").verify());
  }

  @Test
  void verify_sha384MessageDigest_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2026-05-26T14:22:03Z")),
        SigstoreBundleFixture.load("java-keyless-ecdsa-p384-sha-384").verify());
  }

  @Test
  void verify_managedKeyEntry_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2026-01-07T18:36:05Z")),
        SigstoreBundleFixture.load("managed-key-and-trusted-root").verify());
  }

  @Test
  void verify_dsseV001Entry_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2024-12-16T18:42:56Z")),
        SigstoreBundleFixture.load("happy-path-intoto-in-dsse-v3").verify());
  }

  @Test
  void verify_intotoV002Entry_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2023-02-01T00:00:00Z")),
        SigstoreBundleFixture.load("intoto-with-custom-trust-root").verify());
  }

  @Test
  void verify_integratedTimeAtLogKeyValidityEnd_returnsIt() throws Exception {
    assertEquals(List.of(Instant.parse("2023-07-12T15:56:36Z")),
        SigstoreBundleFixture.load("trust-root-tlog-validity-end-inclusive").verify());
  }

  /** The entry records the artifact; the bundle's messageDigest hint is checked by the bundle verifier. */
  @Test
  void verify_messageDigestHintDiffersButEntryRecordsArtifact_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(Instant.parse("2024-03-19T17:26:26Z")),
        SigstoreBundleFixture.load("message-digest-mismatch_fail").verify());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rekor2-happy-path", "rekor2-checkpoint-cosigned", "rekor2-checkpoint-two-sigs-cosigned",
      "rekor2-checkpoint-two-sigs-from-origin", "rekor2-dsse-happy-path"})
  void verify_rekorV2Entry_returnsNoTime(String name) throws Exception {
    assertEquals(List.of(), SigstoreBundleFixture.load(name).verify());
  }

  @Test
  void verify_v02BundleWithoutInclusionProof_fails() {
    assertFails("java-bundle-v0.2-no-inclusion-proof_fail", Reason.MALFORMED_SIGNATURE,
        E0 + " has no inclusion proof, which a v0.2 or later bundle needs");
  }

  @Test
  void verify_v02BundleProofWithoutCheckpoint_fails() {
    assertFails("invalid-inclusion-proof_fail", Reason.MALFORMED_SIGNATURE,
        E0 + " has no checkpoint in its inclusion proof, which a v0.2 or later bundle needs");
  }

  @Test
  void verify_checkpointKeyHintAltered_fails() {
    assertFails("checkpoint-bad-keyhint_fail", Reason.SIGNATURE_INVALID,
        E0 + ": checkpoint has no signature by the transparency log's key");
  }

  @Test
  void verify_checkpointSignatureAltered_fails() {
    assertFails("invalid-checkpoint-signature_fail", Reason.SIGNATURE_INVALID,
        E0 + ": checkpoint signature by the log's key does not verify");
  }

  @Test
  void verify_setForAnotherEntry_fails() {
    assertFails("java-mismatched-set_fail", Reason.SIGNATURE_INVALID,
        E0 + ": signed entry timestamp does not verify with the log's key");
  }

  @Test
  void verify_checkpointWithoutSignatureLines_fails() {
    assertFails("rekor2-checkpoint-missing-log-signature_fail", Reason.MALFORMED_SIGNATURE,
        E0 + ": checkpoint is malformed: it has no signature line or more than 100");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rekor2-checkpoint-missing-origin_fail", "rekor2-checkpoint-missing-root-hash_fail"})
  void verify_checkpointMissingBodyLine_fails(String name) {
    assertFails(name, Reason.MALFORMED_SIGNATURE, E0 + ": checkpoint is malformed: it has fewer than 3 body lines");
  }

  @Test
  void verify_checkpointFromAnotherOrigin_fails() {
    assertFails("rekor2-checkpoint-no-matching-signature_fail", Reason.UNTRUSTED_KEY,
        E0 + ": checkpoint origin \"log2025-alpha1.rekor.github.dev\" is not the transparency log's host"
            + " log2025-alpha1.rekor.sigstage.dev");
  }

  @Test
  void verify_rekorV2WithoutTimestamp_fails() {
    assertFails("rekor2-no-timestamp_fail", Reason.MALFORMED_SIGNATURE, E0 + " has no integrated time (Rekor v2)"
        + " and the bundle has no verified RFC 3161 timestamp to prove the signing time");
  }

  @Test
  void verify_logKeyWithoutValidityStart_fails() {
    assertFails("trust-root-tlog-missing-validity-start_fail", Reason.UNTRUSTED_KEY, E0 + ": key of transparency log"
        + " f30d5a999d92e662484244263f174cb8eacbfe8264bc583d32741799e3825dc9 is not valid at each RFC 3161 timestamp time");
  }

  @Test
  void verify_hashedRekordWithOtherCertificateAndSignature_fails() {
    assertFails("wrong-hashedrekord-cert-and-sig_fail", Reason.SIGNATURE_INVALID,
        E0 + ": logged signature differs from the bundle's signature");
  }

  @Test
  void verify_rekorV2DsseWithOtherSignature_fails() {
    assertFails("rekor2-dsse-mismatch-sig_fail", Reason.SIGNATURE_INVALID,
        E0 + ": logged signature differs from the bundle's signature");
  }

  @Test
  void verify_dsseEntryForOtherPayload_fails() {
    assertFails("dsse-mismatch-envelope_fail", Reason.DIGEST_MISMATCH,
        E0 + ": logged payload hash differs from the DSSE envelope's payload");
  }

  @Test
  void verify_intotoEntryForOtherSignature_fails() {
    assertFails("intoto-log-entry-mismatch_fail", Reason.SIGNATURE_INVALID,
        E0 + ": logged signature differs from the bundle's signature");
  }

  @Test
  void verify_dsseV002EntryOnRekorV2_fails() {
    assertFails("java-dsse-rekor2-dsse-entry-type_fail", Reason.UNSUPPORTED,
        E0 + ": kind dsse 0.0.2 is not accepted; Rekor v2 records DSSE envelopes as hashedrekord 0.0.2");
  }
}
