package dev.modelseal.agent.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes one JSON object per line for every decision the agent takes: time, hook (runtime entry
 * point), model location, digest, key id, decision, reason, duration and a one-line detail. Lines
 * go to the configured file (appended) or to standard error. Thread-safe; each line is written whole.
 */
final class DecisionLog {
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

  private final PrintStream out;

  private DecisionLog(PrintStream out) {
    this.out = out;
  }

  /** Opens the log: the file when given (created if missing, appended), else standard error. */
  static DecisionLog open(Path file) throws IOException {
    if (file == null) {
      return new DecisionLog(System.err);
    }
    OutputStream os = new FileOutputStream(file.toFile(), true);
    return new DecisionLog(new PrintStream(os, true, StandardCharsets.UTF_8));
  }

  /** Records an event that is not a load decision (startup, hook installation). */
  void event(String event, String detail) {
    line("{\"time\":\"" + Instant.now() + "\",\"event\":" + quote(event) + ",\"detail\":" + quote(detail) + "}");
  }

  /** Records one load decision; null fields are written as JSON null. */
  void decision(String hook, String model, String digest, String keyId, Decision decision,
      String reason, long nanos, String detail) {
    line("{\"time\":\"" + Instant.now() + "\",\"runtime\":" + quote(hook) + ",\"model\":" + quote(model)
        + ",\"digest\":" + quote(digest) + ",\"keyId\":" + quote(keyId)
        + ",\"decision\":" + quote(decision.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
        + ",\"reason\":" + quote(reason) + ",\"durationMs\":" + (nanos / 1_000_000.0)
        + ",\"detail\":" + quote(detail) + "}");
  }

  private synchronized void line(String json) {
    out.println(json);
    out.flush();
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
