package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.agent.internal.AgentSettings.Mode;
import dev.modelseal.agent.internal.DecisionLog.Decision;
import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecisionLogTest {
  /** A log file that cannot be written (a full disk, a revoked mount). */
  private static final OutputStream UNWRITABLE = new OutputStream() {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }
  };

  /** Records the line an audit-mode failure stops the JVM with, then stops the caller as a halt would. */
  private static final class RecordingStop implements DecisionLog.Stop {
    final List<String> lines = new ArrayList<>();

    @Override
    public void stop(String line) {
      lines.add(line);
      throw new IllegalStateException("halted");
    }
  }

  private static void deny(DecisionLog log) {
    log.decision("hook", "/m/model.onnx", null, null, Decision.DENY, "UNSIGNED", 1_000_000, "not signed");
  }

  @Test
  void millis_nanoseconds_millisecondsWithUpToSixDecimals() {
    assertEquals(List.of("0.0", "0.000001", "1.5", "2000.0", "35.200032", "-0.25"),
        List.of(DecisionLog.millis(0), DecisionLog.millis(1), DecisionLog.millis(1_500_000),
            DecisionLog.millis(2_000_000_000L), DecisionLog.millis(35_200_032), DecisionLog.millis(-250_000)));
  }

  @Test
  void decision_enforceModeLogUnwritable_refusesLoadWithInternalError() {
    DecisionLog log = new DecisionLog(UNWRITABLE, "/var/log/ms.jsonl", Mode.ENFORCE, new RecordingStop());

    ModelVerificationException e = assertThrows(ModelVerificationException.class, () -> log.decision("hook",
        "/m/model.onnx", "sha256:00", "k", Decision.ALLOW, null, 1_000_000, "verified /m/model.onnx"));

    assertEquals(RejectReason.INTERNAL_ERROR, e.reason());
    assertEquals("/m/model.onnx", e.modelLocation());
    assertEquals("model rejected (INTERNAL_ERROR): /m/model.onnx: cannot write the decision log /var/log/ms.jsonl:"
        + " java.io.IOException: No space left on device", e.getMessage());
  }

  @Test
  void decision_auditModeLogUnwritable_stopsJvmWithOneFatalLine() {
    RecordingStop stop = new RecordingStop();
    DecisionLog log = new DecisionLog(UNWRITABLE, "/var/log/ms.jsonl", Mode.AUDIT, stop);

    assertThrows(IllegalStateException.class, () -> deny(log));

    assertEquals(List.of("modelseal: fatal: cannot write the decision log /var/log/ms.jsonl:"
        + " java.io.IOException: No space left on device"), stop.lines);
  }

  @Test
  void decision_enforceModeStandardErrorInError_refusesLoadWithInternalError() {
    PrintStream failing = new PrintStream(UNWRITABLE, true, StandardCharsets.UTF_8);
    DecisionLog log = new DecisionLog(failing, "(standard error)", Mode.ENFORCE, new RecordingStop());

    ModelVerificationException e = assertThrows(ModelVerificationException.class, () -> deny(log));

    assertEquals(RejectReason.INTERNAL_ERROR, e.reason());
  }

  @Test
  void event_auditModeLogUnwritable_stopsJvmWithOneFatalLine() {
    RecordingStop stop = new RecordingStop();
    DecisionLog log = new DecisionLog(UNWRITABLE, "/var/log/ms.jsonl", Mode.AUDIT, stop);

    assertThrows(IllegalStateException.class, () -> log.event("agent-started", "mode=audit"));

    assertEquals(1, stop.lines.size());
  }

  @Test
  void event_enforceModeLogUnwritable_doesNotThrow() {
    RecordingStop stop = new RecordingStop();
    DecisionLog log = new DecisionLog(UNWRITABLE, "/var/log/ms.jsonl", Mode.ENFORCE, stop);

    log.event("agent-started", "mode=enforce");

    assertEquals(List.of(), stop.lines);
  }

  @Test
  void decision_detailOfFourMillionCharacters_cutTo4KiBSayingHowMuchWasCut() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(out, "log", Mode.ENFORCE, new RecordingStop());
    String detail = "a/".repeat(2_000_000);

    log.decision("hook", "/m", null, null, Decision.DENY, "UNSIGNED", 0, detail);

    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.endsWith(",\"detail\":\"" + detail.substring(0, 4096) + "... (3995904 more characters)\"}\n"),
        () -> line.substring(0, 200));
    assertEquals(1, line.split("\n", -1).length - 1);
  }

  @Test
  void decision_signedByAnIdentity_logsKeyIdNullAndTheIdentitysName() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(out, "log", Mode.ENFORCE, new RecordingStop());

    log.decision("hook", "/m/a.bin", "sha256:00", "identity:ci", Decision.ALLOW, null, 0, "verified /m/a.bin");

    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.contains(",\"digest\":\"sha256:00\",\"keyId\":null,\"identity\":\"ci\",\"decision\":\"allow\","),
        line);
  }

  @Test
  void decision_signedByAKey_logsTheKeyIdAndNoIdentityField() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(out, "log", Mode.ENFORCE, new RecordingStop());

    log.decision("hook", "/m/a.bin", "sha256:00", "8e2b", Decision.ALLOW, null, 0, "verified /m/a.bin");

    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.contains(",\"keyId\":\"8e2b\",\"decision\":\"allow\",") && !line.contains("identity"), line);
  }

  @Test
  void cut_surrogatePairAtTheCut_keepsThePairWhole() {
    String s = "x".repeat(4095) + "\uD83D\uDE00" + "y".repeat(10);

    assertEquals("x".repeat(4095) + "... (12 more characters)", DecisionLog.cut(s));
  }

  @Test
  void cut_exactly4KiB_unchanged() {
    String s = "z".repeat(4096);

    assertEquals(s, DecisionLog.cut(s));
  }

  @Test
  void timestamp_epoch_matchesInstantToString() {
    assertEquals("1970-01-01T00:00:00Z", DecisionLog.timestamp(Instant.EPOCH));
  }

  @Test
  void timestamp_wholeMillis_printsThreeFractionDigits() {
    assertEquals("2026-11-25T19:22:24.360Z", DecisionLog.timestamp(Instant.parse("2026-11-25T19:22:24.360Z")));
  }

  @Test
  void timestamp_wholeMicros_printsSixFractionDigits() {
    assertEquals("2026-11-25T19:22:24.362240Z",
        DecisionLog.timestamp(Instant.parse("2026-11-25T19:22:24.362240Z")));
  }

  @Test
  void timestamp_nanos_printsNineFractionDigits() {
    assertEquals("2026-11-25T19:22:24.362243398Z",
        DecisionLog.timestamp(Instant.parse("2026-11-25T19:22:24.362243398Z")));
  }

  @Test
  void timestamp_leapDay_matchesInstantToString() {
    assertEquals("2024-02-29T23:59:59.999999999Z",
        DecisionLog.timestamp(Instant.parse("2024-02-29T23:59:59.999999999Z")));
  }

  @Test
  void timestamp_beforeEpoch_matchesInstantToString() {
    Instant t = Instant.parse("1969-12-31T23:59:59.5Z");
    assertEquals(t.toString(), DecisionLog.timestamp(t));
  }

  @Test
  void timestamp_outsideFourDigitYears_fallsBackToInstantToString() {
    Instant t = Instant.parse("+10000-01-01T00:00:00Z");
    assertEquals(t.toString(), DecisionLog.timestamp(t));
  }

  @Test
  void timestamp_randomInstantsInFourDigitYears_matchInstantToString() {
    Random r = new Random(42);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(min + Math.floorMod(r.nextLong(), max - min + 1), r.nextInt(1_000_000_000));
      assertEquals(t.toString(), DecisionLog.timestamp(t));
    }
  }
}
