package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes one JSON object per line for every decision the agent takes: time, hook (runtime entry
 * point), model location, digest, key id (for a keyless signature: {@code "keyId":null,"identity":"<name>"}, the
 * trusted identity that signed), decision, reason, pin mode ({@link PinMode}; null before pinning),
 * duration and a one-line detail. Lines
 * go to the configured file (appended) or to standard error. Thread-safe; each line is written whole.
 * The model and detail fields are cut at {@link #MAX_FIELD_CHARS} characters.
 *
 * <p>A log that cannot be written is never ignored: in enforce mode the load whose decision it was
 * is refused ({@code INTERNAL_ERROR}, with one line on standard error); in audit mode, where the log
 * is the only outcome, the JVM stops with one line {@code modelseal: fatal: ...}.
 */
final class DecisionLog {
  /** The most characters of a model location or detail written to one line. */
  static final int MAX_FIELD_CHARS = 4096;

  /** Stops the JVM after printing one line: what an audit-mode log failure does. */
  interface Stop {
    void stop(String line);
  }

  /** Prints the line and halts the JVM, as other fatal errors do. */
  static final Stop HALT = new Stop() {
    @Override
    @SuppressWarnings("PMD.DoNotTerminateVM")
    public void stop(String line) {
      System.err.println(line);
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
  };

  /** What the agent decided for one load. */
  enum Decision {
    /** Verified; the runtime got the verified bytes. */
    ALLOW,
    /** Refused; the runtime got nothing. */
    DENY,
    /** Would have been refused; audit mode let the original through. */
    AUDIT_DENY,
    /** Under an exempt path; not verified. */
    EXEMPT
  }

  private final OutputStream out;
  private final String name;
  private final AgentSettings.Mode mode;
  private final Stop stop;

  /**
   * A log writing to {@code out}, named {@code name} in messages. A {@link PrintStream}, which keeps its
   * errors to itself, counts as failed when {@link PrintStream#checkError()} says so.
   */
  DecisionLog(OutputStream out, String name, AgentSettings.Mode mode, Stop stop) {
    this.out = out;
    this.name = name;
    this.mode = mode;
    this.stop = stop;
  }

  /** Opens the log: the file when given (created if missing, appended), else standard error. */
  static DecisionLog open(Path file, AgentSettings.Mode mode) throws IOException {
    if (file == null) {
      return new DecisionLog(System.err, "(standard error)", mode, HALT);
    }
    return new DecisionLog(new FileOutputStream(file.toFile(), true), file.toString(), mode, HALT);
  }

  /**
   * Records an event that is not a load decision (startup, hook installation). Never throws: if the
   * log cannot be written, enforce mode says so on standard error (the next load is refused) and audit
   * mode stops the JVM.
   */
  void event(String event, String detail) {
    eventLine("{\"time\":\"" + timestamp(Instant.now()) + "\",\"event\":" + quote(event) + ",\"detail\":"
        + quote(cut(detail)) + "}");
  }

  /**
   * Records the start ({@code nanos < 0}) or the end of a long verification ({@link VerifyProgress}): the hook, the
   * model as the caller named it, its size in bytes, the pin mode when one is known (else the field is left out),
   * and at the end the duration and the bytes verified per second. Never throws, as {@link #event}.
   */
  void verifyEvent(String event, String hook, String model, long bytes, String pinMode, long nanos) {
    StringBuilder b = new StringBuilder(200).append("{\"time\":\"").append(timestamp(Instant.now()))
        .append("\",\"event\":").append(quote(event)).append(",\"runtime\":").append(quote(hook))
        .append(",\"model\":").append(quote(cut(model))).append(",\"bytes\":").append(bytes);
    if (pinMode != null) {
      b.append(",\"pinMode\":").append(quote(pinMode));
    }
    if (nanos >= 0) {
      b.append(",\"durationMs\":").append(millis(nanos)).append(",\"bytesPerSecond\":")
          .append((long) (bytes * 1e9 / Math.max(1, nanos)));
    }
    eventLine(b.append('}').toString());
  }

  private void eventLine(String json) {
    try {
      line(json);
    } catch (IOException e) {
      if (mode == AgentSettings.Mode.AUDIT) {
        stop.stop("modelseal: fatal: " + cannotWrite(e));
      } else {
        System.err.println("modelseal: " + cannotWrite(e));
      }
    }
  }

  /**
   * Records one load decision; null fields are written as JSON null.
   *
   * @throws ModelVerificationException {@code INTERNAL_ERROR} in enforce mode if the line cannot be
   *     written: the load is refused (in audit mode the JVM stops instead)
   */
  void decision(String hook, String model, String digest, String keyId, Decision decision,
      String reason, long nanos, String detail) {
    decision(hook, model, digest, keyId, decision, reason, nanos, detail, null, null);
  }

  /**
   * Records one load decision with how the runtime got the verified bytes: {@code keyId} is the signer (a hex key id,
   * or an identity's {@link TrustedIdentity#signer}, written as {@code "keyId":null,"identity":"<name>"}); {@code
   * pin} is {@link PinMode}'s label
   * (null for a decision taken before anything was pinned: a refusal, an exemption), {@code pinNote} one line on how,
   * or why not in place (null: nothing to say).
   *
   * @throws ModelVerificationException as {@link #decision(String, String, String, String, Decision, String, long,
   *     String)}
   */
  void decision(String hook, String model, String digest, String keyId, Decision decision,
      String reason, long nanos, String detail, String pin, String pinNote) {
    try {
      line("{\"time\":\"" + timestamp(Instant.now()) + "\",\"runtime\":" + quote(hook) + ",\"model\":"
          + quote(cut(model)) + ",\"digest\":" + quote(digest) + signer(keyId)
          + ",\"decision\":" + quote(decision.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          + ",\"reason\":" + quote(reason) + ",\"pin\":" + quote(pin) + ",\"pinNote\":" + quote(cut(pinNote))
          + ",\"durationMs\":" + millis(nanos)
          + ",\"detail\":" + quote(cut(detail)) + "}");
    } catch (IOException e) {
      if (mode == AgentSettings.Mode.AUDIT) {
        stop.stop("modelseal: fatal: " + cannotWrite(e));
      }
      System.err.println("modelseal: " + cannotWrite(e) + "; load refused");
      throw new ModelVerificationException(RejectReason.INTERNAL_ERROR, model, cannotWrite(e));
    }
  }

  /**
   * The signer fields: {@code ,"keyId":"<hex>"} for a key (or null), {@code ,"keyId":null,"identity":"<name>"} for a
   * trusted identity ({@link TrustedIdentity#signer}).
   */
  static String signer(String signer) {
    if (TrustedIdentity.isIdentitySigner(signer)) {
      return ",\"keyId\":null,\"identity\":" + quote(signer.substring(TrustedIdentity.SIGNER_PREFIX.length()));
    }
    return ",\"keyId\":" + quote(signer);
  }

  /** Closes a log file (a late attach that was refused); standard error stays open. */
  void close() {
    if (!(out instanceof PrintStream)) {
      try {
        out.close();
      } catch (IOException e) {
        // nothing was written through it
      }
    }
  }

  private String cannotWrite(IOException e) {
    return "cannot write the decision log " + name + ": " + e;
  }

  /** {@code s} if at most {@link #MAX_FIELD_CHARS} long, else its start and how much was cut. */
  static String cut(String s) {
    if (s == null || s.length() <= MAX_FIELD_CHARS) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(MAX_FIELD_CHARS - 1)) ? MAX_FIELD_CHARS - 1 : MAX_FIELD_CHARS;
    return s.substring(0, end) + "... (" + (s.length() - end) + " more characters)";
  }

  /**
   * {@link Instant#toString()}'s ISO-8601 UTC form (years 0 to 9999), written by hand: the first
   * {@code Instant.toString()} of a JVM initialises {@code java.time.format}, a cost that would land on
   * the thread loading the first model.
   */
  static String timestamp(Instant t) {
    long days = Math.floorDiv(t.getEpochSecond(), 86_400L);
    int secs = (int) Math.floorMod(t.getEpochSecond(), 86_400L);
    // civil_from_days (H. Hinnant): days since 1970-01-01 to year, month, day
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      return t.toString();
    }
    StringBuilder b = new StringBuilder(30);
    pad(b, year, 4).append('-');
    pad(b, month, 2).append('-');
    pad(b, day, 2).append('T');
    pad(b, secs / 3600, 2).append(':');
    pad(b, secs / 60 % 60, 2).append(':');
    pad(b, secs % 60, 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      b.append('.');
      if (nanos % 1_000_000 == 0) {
        pad(b, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        pad(b, nanos / 1000, 6);
      } else {
        pad(b, nanos, 9);
      }
    }
    return b.append('Z').toString();
  }

  /**
   * {@code nanos} in milliseconds, with up to six decimals and at least one ({@code 2000.0}, {@code 35.200032}), written
   * by hand: the JVM's first conversion of a {@code double} to text initialises {@code FloatingDecimal}, which the
   * first model load at start-up would otherwise pay for.
   */
  static String millis(long nanos) {
    long abs = Math.abs(nanos);
    StringBuilder b = new StringBuilder(16);
    if (nanos < 0) {
      b.append('-');
    }
    b.append(abs / 1_000_000).append('.');
    int end = b.length();
    pad(b, abs % 1_000_000, 6);
    int last = b.length();
    while (last > end + 1 && b.charAt(last - 1) == '0') {
      last--;
    }
    b.setLength(last);
    return b.toString();
  }

  private static StringBuilder pad(StringBuilder b, long value, int width) {
    String s = Long.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }

  private synchronized void line(String json) throws IOException {
    out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    if (out instanceof PrintStream p && p.checkError()) {
      throw new IOException("write failed");
    }
  }

  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
