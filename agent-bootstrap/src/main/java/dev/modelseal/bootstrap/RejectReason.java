package dev.modelseal.bootstrap;

/**
 * Why ModelSeal refused a model load. The names are stable: programs may switch on them and logs
 * record them.
 */
public enum RejectReason {
  /** No signature was found for the model, or for a file in its directory. */
  UNSIGNED,
  /** A signature was found but does not verify with a trusted key. */
  SIGNATURE_INVALID,
  /** The signature names or carries a key that is not trusted for this model location. */
  UNTRUSTED_KEY,
  /** A digest recorded next to the signature does not match the model. */
  DIGEST_MISMATCH,
  /** The signature or bundle could not be parsed. */
  MALFORMED_SIGNATURE,
  /** A model directory does not match its signed manifest: a file is missing, extra, renamed or changed. */
  MANIFEST_MISMATCH,
  /** The model path is not acceptable: a symbolic link, outside its root, or not a regular file. */
  PATH_REFUSED,
  /** The model is larger than the configured bound for in-memory sources. */
  TOO_LARGE,
  /** The load came through an API the agent cannot verify. */
  UNSUPPORTED_SOURCE,
  /** A load happened before the agent finished starting. */
  GUARD_NOT_READY,
  /** The agent failed inside; the load was refused rather than let through unverified. */
  INTERNAL_ERROR
}
