package dev.modelseal.agent.internal;

/**
 * How a verified model file reaches its runtime (setting {@code pin}, and the {@code pin} field of each decision
 * line). {@link #AUTO} (the default) picks, per file, the cheapest mode whose guarantee holds: {@link #IN_PLACE}
 * when the file's storage qualifies ({@link InPlaceQualifier}), else {@link #CLONE} where the file system can
 * clone, else {@link #COPY}; in-memory sources are always {@link #MEMORY}. Any other value forces that mode: a
 * forced {@code in-place} on storage that does not qualify is an opt-in stated at start and in every decision
 * line ({@link #IN_PLACE_FORCED}); a forced {@code clone} that fails refuses the load; a forced {@code memory}
 * refuses loads by path (a runtime that takes a path cannot be handed memory).
 */
enum PinMode {
  AUTO("auto"),
  IN_PLACE("in-place"),
  MEMORY("memory"),
  CLONE("clone"),
  COPY("copy");

  /** What a decision line says for a file pinned in place, by force, on storage that does not qualify. */
  static final String IN_PLACE_FORCED = "in-place-forced";

  /** The setting's value, and the decision line's {@code pin}. */
  final String label;

  PinMode(String label) {
    this.label = label;
  }

  /** Parses a {@code pin} value; {@code prefix} starts the one-line error. */
  static PinMode parse(String value, String prefix) throws SettingsException {
    for (PinMode m : values()) {
      if (m.label.equals(value)) {
        return m;
      }
    }
    throw new SettingsException(prefix + "invalid pin \"" + value + "\" (expected auto, in-place, memory, clone or copy)");
  }
}
