package dev.modelseal.agent.internal;

/**
 * Thrown by {@link AgentSettings#load} when the agent's configuration is unusable: an unknown or
 * repeated option, a bad value, an unreadable config or key file, or no trusted key at all.
 *
 * <p>The message is a single line meant to be printed as is before premain fails; it names the
 * source (agent argument, system property, config file and line) but never contains key material.
 * Line breaks and other control characters in user-supplied values are replaced by spaces so that
 * the message stays one line.
 */
final class SettingsException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a one-line message. */
  SettingsException(String oneLineMessage) {
    super(oneLine(oneLineMessage));
  }

  private static String oneLine(String message) {
    StringBuilder sb = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    return sb.toString();
  }
}
