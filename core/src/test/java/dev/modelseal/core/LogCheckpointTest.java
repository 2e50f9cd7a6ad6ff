package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The inclusion-proof and checkpoint parsing rules of {@link TransparencyLogEntries} ({@link LogCheckpoint})
 * and the entry field bounds, on entries of a made-up log ({@link LogEntryFixture}).
 */
class LogCheckpointTest {
  private static final String E0 = "transparency log entry 0";
  private static final Instant SIGNED = Instant.ofEpochSecond(1_700_000_000L);
  private static final List<Instant> TSA = List.of(Instant.parse("2024-06-01T00:00:00Z"));

  private static void assertFails(Reason reason, String message, org.junit.jupiter.api.function.Executable run) {
    VerificationException e = assertThrows(VerificationException.class, run);
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  private static void assertFails(LogEntryFixture f, Map<String, Object> entry, Reason reason, String message) {
    VerificationException e = assertThrows(VerificationException.class,
        () -> TransparencyLogEntries.verify(List.of(entry), f.content(), f.root(), 3, List.of()));
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> proof(Map<String, Object> entry) {
    return (Map<String, Object>) entry.get("inclusionProof");
  }

  /** The entry with its checkpoint replaced by {@code note}. */
  private static Map<String, Object> withCheckpoint(LogEntryFixture f, String note) throws Exception {
    Map<String, Object> e = f.entry();
    proof(e).put("checkpoint", Map.of("envelope", note));
    return e;
  }

  private static String body(LogEntryFixture f) {
    return f.origin + "\n" + f.treeSize + "\n" + LogEntryFixture.B64.encodeToString(f.rootHash) + "\n";
  }

  @Test
  void verify_rootHashNot32Bytes_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    proof(e).put("rootHash", LogEntryFixture.B64.encodeToString(new byte[31]));
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + " inclusionProof rootHash is 31 bytes, expected 32");
  }

  @Test
  void verify_proofHashNot32Bytes_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    proof(e).put("hashes", List.of(LogEntryFixture.B64.encodeToString(new byte[33])));
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + " inclusionProof hashes[0] is 33 bytes, expected 32");
  }

  @Test
  void verify_auditPathWithExtraHash_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    List<Object> hashes = new ArrayList<>((List<?>) proof(e).get("hashes"));
    hashes.add(LogEntryFixture.B64.encodeToString(new byte[32]));
    proof(e).put("hashes", hashes);
    assertFails(f, e, Reason.SIGNATURE_INVALID, E0 + ": inclusion proof does not lead to its root hash");
  }

  @Test
  void verify_checkpointLongerThan64KiB_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = withCheckpoint(f, "x".repeat(64 * 1024 + 1));
    assertFails(f, e, Reason.TOO_LARGE, E0 + " inclusionProof checkpoint is longer than 65536 characters");
  }

  @Test
  void verify_checkpointWithoutBlankLine_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, body(f));
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + ": checkpoint is malformed: it is not a signed note");
  }

  @Test
  void verify_checkpointSizeNotDecimal_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, body(f).replace("\n11\n", "\n+11\n") + "\n\u2014 x AAAAAAAA\n");
    assertFails(f, e, Reason.MALFORMED_SIGNATURE,
        E0 + ": checkpoint is malformed: its size or root hash line is not valid");
  }

  @Test
  void verify_checkpointOriginEmpty_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, "\n" + body(f).substring(body(f).indexOf('\n') + 1) + "\n\u2014 x AAAAAAAA\n");
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + ": checkpoint is malformed: its origin is empty");
  }

  @Test
  void verify_checkpointWith101SignatureLines_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, body(f) + "\n" + "\u2014 w AAAAAAAA\n".repeat(101));
    assertFails(f, e, Reason.MALFORMED_SIGNATURE,
        E0 + ": checkpoint is malformed: it has no signature line or more than 100");
  }

  @Test
  void verify_checkpointSignatureLineWithoutEmDash_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, body(f) + "\n- w AAAAAAAA\n");
    assertFails(f, e, Reason.MALFORMED_SIGNATURE,
        E0 + ": checkpoint is malformed: signature line 0 is not \"\u2014 name signature\"");
  }

  @Test
  void verify_checkpointSignatureNotBase64_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, body(f) + "\n\u2014 w AA*AAAAA\n");
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + ": checkpoint is malformed: signature line 0 is not valid base64");
  }

  @Test
  void verify_checkpointSignatureShorterThanKeyHint_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.entry();
    Map<String, Object> e = withCheckpoint(f, body(f) + "\n\u2014 w AAAA\n");
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + ": checkpoint is malformed: signature line 0 is too short");
  }

  @Test
  void verify_logIdLongerThanBound_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    e.put("logId", Map.of("keyId", "A".repeat(132)));
    assertFails(f, e, Reason.TOO_LARGE, E0 + " logId keyId is longer than 128 characters");
  }

  @Test
  void verify_bodyLongerThanBound_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    int max = (TransparencyLogEntries.MAX_BODY_BYTES / 3 + 1) * 4;
    e.put("canonicalizedBody", "A".repeat(max + 4));
    assertFails(f, e, Reason.TOO_LARGE, E0 + " canonicalizedBody is longer than " + max + " characters");
  }

  @Test
  void verify_integratedTimeBeyondYear9999_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    e.put("integratedTime", "253402300800");
    assertFails(f, e, Reason.MALFORMED_SIGNATURE, E0 + " integratedTime is beyond the year 9999");
  }
  @Test
  void verify_treeOfOneLeaf_returnsIntegratedTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.treeSize = 1;
    f.leafIndex = 0;
    assertEquals(List.of(SIGNED), f.verify(3, List.of()));
  }

  @Test
  void verify_lastLeafOfOddTree_returnsIntegratedTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.leafIndex = 10;
    assertEquals(List.of(SIGNED), f.verify(3, List.of()));
  }

  @Test
  void verify_tamperedAuditPathHash_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withCheckpoint = false;
    Map<String, Object> e = f.entry();
    List<Object> hashes = new ArrayList<>(list(proof(e).get("hashes")));
    hashes.set(0, LogEntryFixture.B64.encodeToString(LogEntryFixture.random(32)));
    proof(e).put("hashes", hashes);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": inclusion proof does not lead to its root hash",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 1, List.of()));
  }

  @Test
  void verify_auditPathMissingLastHash_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    List<Object> hashes = new ArrayList<>(list(proof(e).get("hashes")));
    hashes.remove(hashes.size() - 1);
    proof(e).put("hashes", hashes);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": inclusion proof does not lead to its root hash",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_proofIndexNotBelowTreeSize_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    proof(e).put("logIndex", "11");
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + ": inclusion proof index 11 is not below the tree size 11",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_65ProofHashes_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    List<Object> hashes = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      hashes.add(LogEntryFixture.B64.encodeToString(new byte[32]));
    }
    proof(e).put("hashes", hashes);
    assertFails(Reason.TOO_LARGE, E0 + " inclusionProof has 65 hashes, more than 64",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_checkpointForOtherTreeSize_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.checkpointSize = 12L;
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": checkpoint's tree size or root hash differs from the inclusion"
        + " proof's", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_checkpointForOtherRootHash_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.checkpointRoot = new byte[32];
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": checkpoint's tree size or root hash differs from the inclusion"
        + " proof's", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_checkpointWithExtensionAndWitnessLines_returnsIntegratedTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.extensionLines = "Timestamp: 1700000000123456789\n";
    f.otherSignatureLines.add("\u2014 witness.example O8PH5AAAAABopO8+4O9uzScQrNEnGdKLYXSPoUjH1Se4n92W+wT/j5Kel/4J2XWE");
    assertEquals(List.of(SIGNED), f.verify(3, List.of()));
  }

  @Test
  void verify_checkpointLineWithLogHintButOtherKeysSignature_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    LogEntryFixture other = LogEntryFixture.rekorV1();
    byte[] sig = other.sign("anything".getBytes(StandardCharsets.UTF_8));
    byte[] hs = new byte[4 + sig.length];
    System.arraycopy(f.hint(), 0, hs, 0, 4);
    System.arraycopy(sig, 0, hs, 4, sig.length);
    f.otherSignatureLines.add("\u2014 " + LogEntryFixture.HOST + " " + LogEntryFixture.B64.encodeToString(hs));
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": checkpoint signature by the log's key does not verify",
        () -> f.verify(3, List.of()));
  }

  @Test
  void verify_rekorV2CheckpointWithSpkiKeyHint_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.checkpointHint = f.logId;
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": checkpoint has no signature by the transparency log's key",
        () -> f.verify(3, TSA));
  }

  @Test
  void verify_rekorV2CheckpointLineNamedOtherThanOrigin_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.signatureLineName = "other.example.dev";
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": checkpoint has no signature by the transparency log's key",
        () -> f.verify(3, TSA));
  }

  @Test
  void verify_rekorV2CheckpointOriginNotLogHost_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.origin = "other.example.dev";
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": checkpoint origin \"other.example.dev\" is not the transparency log's"
        + " host log.example.dev", () -> f.verify(3, TSA));
  }


  @Test
  void verify_rekorV2LogWithoutBaseUrl_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    TrustedRoot.LogKey k = f.logKey();
    TrustedRoot root = new TrustedRoot(List.of(), List.of(),
        List.of(new TrustedRoot.LogKey(null, k.logId(), k.key(), k.start(), k.end())), List.of());
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": checkpoint origin \"log.example.dev\" is not the transparency log's host"
        + " (the log has no base URL)",
        () -> TransparencyLogEntries.verify(List.of(f.entry()), f.content(), root, 3, TSA));
  }

}
