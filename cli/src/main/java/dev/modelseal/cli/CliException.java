package dev.modelseal.cli;

/**
 * A failure the user can act on. {@link Main} prints its message as one {@code Error: <message>} line
 * on stderr and exits with status 1; the message must therefore be a single line without a prefix.
 */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
