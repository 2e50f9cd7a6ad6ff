package dev.modelseal.core;

import java.security.GeneralSecurityException;

/**
 * Thrown when a key file cannot be used: it is not PEM, its encoding is corrupt or truncated, the
 * password is wrong, or the key type, curve or size is not one cosign supports.
 *
 * <p>The message is one line (control characters in quoted text become spaces; at most 1000
 * characters are kept), says what is wrong, and never contains key material or the password.
 */
public final class KeyFormatException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a one-line message. */
  public KeyFormatException(String message) {
    super(OneLine.of(message));
  }

  /** Creates an exception with a one-line message and a cause. */
  public KeyFormatException(String message, Throwable cause) {
    super(OneLine.of(message), cause);
  }
}
