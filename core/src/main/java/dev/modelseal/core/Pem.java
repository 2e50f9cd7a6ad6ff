package dev.modelseal.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads and writes single PEM blocks (RFC 7468), strictly: bad base64 is an error, not skipped. */
final class Pem {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  /** One decoded PEM block. */
  record Block(String label, byte[] der) {}

  private Pem() {}

  /**
   * Decodes the first PEM block in {@code text}.
   *
   * @throws KeyFormatException if there is no complete block or its body is not valid base64
   */
  static Block decode(byte[] text) throws KeyFormatException {
    String s = new String(text, StandardCharsets.US_ASCII);
    int begin = s.indexOf(BEGIN);
    if (begin < 0) {
      throw new KeyFormatException("not a PEM file: no -----BEGIN line");
    }
    int labelEnd = s.indexOf(DASHES, begin + BEGIN.length());
    if (labelEnd < 0) {
      throw new KeyFormatException("not a PEM file: malformed -----BEGIN line");
    }
    String label = s.substring(begin + BEGIN.length(), labelEnd);
    String endLine = END + label + DASHES;
    int end = s.indexOf(endLine, labelEnd + DASHES.length()); // not overlapping the BEGIN line's dashes
    if (end < 0) {
      throw new KeyFormatException("truncated PEM file: no " + endLine + " line");
    }
    String body = s.substring(labelEnd + DASHES.length(), end);
    if (body.contains(":")) {
      throw new KeyFormatException("unsupported PEM headers in " + label + " block");
    }
    StringBuilder b64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
        b64.append(c);
      }
    }
    try {
      byte[] der = Base64.getDecoder().decode(b64.toString());
      if (der.length == 0) {
        throw new KeyFormatException("empty PEM block " + label);
      }
      return new Block(label, der);
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("corrupt PEM file: invalid base64 in " + label + " block");
    }
  }

  /** Encodes one block with 64-column base64 lines and LF line ends, as Go's pem package does. */
  static String encode(String label, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder out = new StringBuilder(b64.length() + 100);
    out.append(BEGIN).append(label).append(DASHES).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    out.append(END).append(label).append(DASHES).append('\n');
    return out.toString();
  }
}
