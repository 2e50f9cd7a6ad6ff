package dev.modelseal.agent.internal;

/**
 * A successful verification: what the runtime must load instead of the original, and what to log.
 *
 * @param pinned the verified private copy (a path, or null for in-memory sources)
 * @param digest {@code sha256:<hex>} of the model file, or of the largest file of a directory
 * @param keyId hex key id of the key that verified (the first one, for a directory)
 * @param detail one line for the decision log
 */
record Verdict(java.nio.file.Path pinned, String digest, String keyId, String detail) {}
