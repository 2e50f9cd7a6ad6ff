package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link TransparencyLogEntries} on entries made here ({@link LogEntryFixture}: own log keys, own Merkle
 * tree): one test per rule, each failing if that rule is removed.
 */
class TransparencyLogEntriesTest {
  private static final String E0 = "transparency log entry 0";
  private static final Instant SIGNED = Instant.ofEpochSecond(1_700_000_000L);
  private static final List<Instant> TSA = List.of(Instant.parse("2024-06-01T00:00:00Z"));

  private static void assertFails(Reason reason, String message, Executable run) {
    VerificationException e = assertThrows(VerificationException.class, run);
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  @Test
  void verify_rekorV1EntryWithSetAndCheckpoint_returnsIntegratedTime() throws Exception {
    assertEquals(List.of(SIGNED), LogEntryFixture.rekorV1().verify(3, List.of()));
  }

  @Test
  void verify_rekorV1EntryWithoutSet_returnsNoTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withSet = false;
    assertEquals(List.of(), f.verify(3, List.of()));
  }

  @Test
  void verify_rekorV2Ed25519Entry_returnsNoTime() throws Exception {
    assertEquals(List.of(), LogEntryFixture.rekorV2().verify(3, TSA));
  }

  @Test
  void verify_rekorV2EcdsaEntry_returnsNoTime() throws Exception {
    assertEquals(List.of(), LogEntryFixture.rekorV2Ecdsa().verify(3, TSA));
  }

  @Test
  void verify_unsupportedBundleVersion_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    assertFails(Reason.UNSUPPORTED, "bundle version 0.4 is not supported for transparency log entries",
        () -> f.verify(4, List.of()));
  }

  @Test
  void verify_noEntries_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    assertFails(Reason.MALFORMED_SIGNATURE, "bundle has no transparency log entry",
        () -> TransparencyLogEntries.verify(List.of(), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_33Entries_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    List<Object> entries = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      f.logIndex = i;
      entries.add(f.entry());
    }
    assertFails(Reason.TOO_LARGE, "bundle has 33 transparency log entries, more than 32",
        () -> TransparencyLogEntries.verify(entries, f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_sameEntryTwice_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    assertFails(Reason.MALFORMED_SIGNATURE, "transparency log entry 1 duplicates transparency log entry 0",
        () -> TransparencyLogEntries.verify(List.of(e, e), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_twoEntriesInLog_returnsBothTimes() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> first = f.entry();
    f.logIndex = 9002;
    f.integratedTime = 1_700_000_001L;
    Map<String, Object> second = f.entry();
    assertEquals(List.of(SIGNED, SIGNED.plusSeconds(1)),
        TransparencyLogEntries.verify(List.of(first, second), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_logNotInTrustedRoot_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    TrustedRoot other = LogEntryFixture.rekorV1().root();
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": transparency log " + HexFormat.of().formatHex(f.logId)
        + " is not in the trusted root",
        () -> TransparencyLogEntries.verify(List.of(f.entry()), f.content(), other, 3, List.of()));
  }

  @Test
  void verify_logKeyExpiredBeforeIntegratedTime_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.keyEnd = SIGNED.minusSeconds(1);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": key of transparency log " + HexFormat.of().formatHex(f.logId)
        + " is not valid at the entry's integrated time 2023-11-14T22:13:20Z", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_rekorV2LogKeyNotValidAtOneTimestamp_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.keyStart = Instant.parse("2024-01-01T00:00:00Z");
    List<Instant> times = List.of(Instant.parse("2024-06-01T00:00:00Z"), Instant.parse("2023-06-01T00:00:00Z"));
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": key of transparency log " + HexFormat.of().formatHex(f.logId)
        + " is not valid at each RFC 3161 timestamp time", () -> f.verify(3, times));
  }

  @Test
  void verify_rekorV2WithoutTimestamp_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " has no integrated time (Rekor v2) and the bundle has no verified"
        + " RFC 3161 timestamp to prove the signing time", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_v01BundleWithoutSet_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withSet = false;
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " has no signed entry timestamp (inclusion promise), which a v0.1"
        + " bundle needs", () -> f.verify(1, List.of()));
  }

  @Test
  void verify_v01BundleWithSetOnly_returnsIntegratedTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withProof = false;
    assertEquals(List.of(SIGNED), f.verify(1, List.of()));
  }

  @Test
  void verify_v01BundleProofWithoutCheckpoint_returnsIntegratedTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withCheckpoint = false;
    assertEquals(List.of(SIGNED), f.verify(1, List.of()));
  }

  @Test
  void verify_v02BundleWithoutProof_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withProof = false;
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " has no inclusion proof, which a v0.2 or later bundle needs",
        () -> f.verify(2, List.of()));
  }

  @Test
  void verify_v03BundleProofWithoutCheckpoint_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withCheckpoint = false;
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " has no checkpoint in its inclusion proof, which a v0.2 or later"
        + " bundle needs", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_setOverOtherIntegratedTime_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    e.put("integratedTime", "1700000001");
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": signed entry timestamp does not verify with the log's key",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_setOverOtherLogIndex_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    e.put("logIndex", "9002");
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": signed entry timestamp does not verify with the log's key",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 1, List.of()));
  }

  @Test
  void verify_rekorV1EntryWithoutIntegratedTime_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    e.remove("integratedTime");
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " has no integrated time",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, List.of()));
  }

  @Test
  void verify_rekorV2EntryWithIntegratedTime_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    Map<String, Object> e = f.entry();
    e.put("integratedTime", "1700000000");
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " is a Rekor v2 entry with an integrated time, which Rekor v2 never"
        + " records", () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, TSA));
  }

  @Test
  void verify_rekorV2EntryWithSet_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    Map<String, Object> e = f.entry();
    e.put("inclusionPromise", Map.of("signedEntryTimestamp", "AAAA"));
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " is a Rekor v2 entry with a signed entry timestamp, which Rekor v2"
        + " never issues", () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, TSA));
  }

  @Test
  void verify_logIndexNotANumber_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    Map<String, Object> e = f.entry();
    e.put("logIndex", "-1");
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " logIndex is not a non-negative 64-bit integer",
        () -> TransparencyLogEntries.verify(List.of(e), f.content(), f.root(), 3, List.of()));
  }
}
