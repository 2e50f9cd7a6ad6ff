package dev.modelseal.core;

/**
 * Keeps exception messages to one bounded line, as {@link VerificationException} and
 * {@link KeyFormatException} promise, whatever the untrusted text they quote (a PEM label, a media
 * type): control characters (line breaks included) become spaces, and text past {@link #MAX_CHARS}
 * is cut, ending in "...".
 */
final class OneLine {
  /** The longest message kept. */
  static final int MAX_CHARS = 1000;

  private OneLine() {}

  static String of(String message) {
    if (message == null) {
      return null;
    }
    int n = Math.min(message.length(), MAX_CHARS);
    StringBuilder b = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = message.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return message.length() > MAX_CHARS ? b.append("...").toString() : b.toString();
  }
}
