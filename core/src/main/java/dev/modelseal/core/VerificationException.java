package dev.modelseal.core;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Thrown when a signature does not prove that an artifact is what a trusted key signed.
 *
 * <p>Every verification in ModelSeal returns {@code void} and throws this exception on failure, so a
 * caller cannot forget to check a result. The {@link #reason()} is stable and meant for programs; the
 * message is one line meant for people (control characters in quoted text become spaces; at most
 * 1000 characters are kept). Messages never contain key material or file contents.
 */
public final class VerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why a verification failed. The names are stable across releases. */
  public enum Reason {
    /** No signature was found for the artifact. */
    UNSIGNED,
    /** The signature does not verify over the artifact with the key. */
    SIGNATURE_INVALID,
    /** The signature names or carries a key that is not the trusted key. */
    UNTRUSTED_KEY,
    /** A digest recorded next to the signature does not match the artifact. */
    DIGEST_MISMATCH,
    /** The signature or bundle could not be parsed. */
    MALFORMED_SIGNATURE,
    /** The key, algorithm or format is not supported. */
    UNSUPPORTED,
    /** The artifact or signature is larger than the bound for its kind. */
    TOO_LARGE,
    /** A model's files differ from its signed manifest (missing, extra, renamed or modified files). */
    MANIFEST_MISMATCH,
    /**
     * A model path was refused: it escapes the model root ({@code ..}, absolute, a link outside), is a
     * special file, or is a symbolic link where links are not allowed.
     */
    PATH_REFUSED
  }

  private final Reason reason;

  /**
   * Creates an exception with a reason and a one-line message.
   *
   * @param reason why verification failed; never null
   * @param message one line for people
   */
  public VerificationException(Reason reason, String message) {
    super(OneLine.of(message));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates an exception with a reason, a one-line message and a cause.
   *
   * @param reason why verification failed; never null
   * @param message one line for people
   * @param cause the underlying failure
   */
  public VerificationException(Reason reason, String message, Throwable cause) {
    super(OneLine.of(message), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Returns the stable reason for the failure. */
  public Reason reason() {
    return reason;
  }
}
