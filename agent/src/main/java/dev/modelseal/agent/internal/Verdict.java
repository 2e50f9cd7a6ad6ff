package dev.modelseal.agent.internal;

/**
 * A successful verification: what the runtime must load instead of the original, and what to log.
 *
 * @param pinned the verified private copy (a path, or null for in-memory sources)
 * @param digest {@code sha256:<hex>} of the model file, or of the largest file of a directory
 * @param keyId hex key id of the key that verified (the first one, for a directory)
 * @param detail one line for the decision log
 * @param pin how the runtime gets the verified bytes, the decision line's {@code pin} ({@link PinMode}: in-place,
 *     in-place-forced, clone, copy, memory; several joined with {@code +} for a directory of mixed files)
 * @param pinNote the decision line's {@code pinNote}: how it was pinned, or why not in place (null: nothing to say)
 */
record Verdict(java.nio.file.Path pinned, String digest, String keyId, String detail, String pin, String pinNote) {
  /** A verdict of a copy ({@code pin} "copy"; "memory" without a path), as every verification made before pinning modes. */
  Verdict(java.nio.file.Path pinned, String digest, String keyId, String detail) {
    this(pinned, digest, keyId, detail, pinned == null ? PinMode.MEMORY.label : PinMode.COPY.label, null);
  }
}
