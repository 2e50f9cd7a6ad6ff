package dev.modelseal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the password for a private key the way cosign does: {@code COSIGN_PASSWORD} if it is set
 * (even to the empty string) is used verbatim; otherwise, if stdin is a terminal, the user is
 * prompted on stderr without echo; otherwise all of stdin is the password, trailing newline
 * included (cosign does not trim it).
 */
final class PasswordSource {
  /** The environment variable cosign reads. */
  static final String ENV = "COSIGN_PASSWORD";
  static final String PROMPT = "Enter password for private key: ";
  static final String PROMPT_AGAIN = "Enter password for private key again: ";
  /** Bound on a password read from stdin, so a wrong pipe cannot exhaust memory. */
  static final int MAX_STDIN_BYTES = 64 * 1024;

  private PasswordSource() {}

  /**
   * Returns the password as UTF-8 bytes.
   *
   * @param confirm ask twice on a terminal (when creating a key)
   * @param stdinBusy stdin carries other data (the blob), so it cannot also carry the password
   */
  static byte[] read(CliIo io, boolean confirm, boolean stdinBusy) throws CliException {
    String fromEnv = io.env.get(ENV);
    if (fromEnv != null) {
      return fromEnv.getBytes(StandardCharsets.UTF_8);
    }
    if (io.stdinIsTerminal) {
      return prompt(io, confirm);
    }
    if (stdinBusy) {
      throw new CliException("the blob is read from stdin, so the password cannot be; set " + ENV);
    }
    try {
      InputStream in = io.in;
      byte[] pw = in.readNBytes(MAX_STDIN_BYTES + 1);
      if (pw.length > MAX_STDIN_BYTES) {
        Arrays.fill(pw, (byte) 0);
        throw new CliException("password on stdin is longer than " + MAX_STDIN_BYTES + " bytes");
      }
      return pw;
    } catch (IOException e) {
      throw new CliException("cannot read the password from stdin: " + e.getMessage(), e);
    }
  }

  private static byte[] prompt(CliIo io, boolean confirm) throws CliException {
    try {
      byte[] first = io.prompt.readPassword(PROMPT);
      if (!confirm) {
        return first;
      }
      byte[] second = io.prompt.readPassword(PROMPT_AGAIN);
      try {
        if (!Arrays.equals(first, second)) {
          Arrays.fill(first, (byte) 0);
          throw new CliException("passwords do not match");
        }
      } finally {
        Arrays.fill(second, (byte) 0);
      }
      return first;
    } catch (IOException e) {
      throw new CliException("cannot read the password from the terminal: " + e.getMessage(), e);
    }
  }
}
