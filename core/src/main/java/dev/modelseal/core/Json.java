package dev.modelseal.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON (RFC 8259) reader for the small documents ModelSeal handles: key envelopes,
 * bundles, manifests ({@link JsonWriter} writes them). Objects become {@code LinkedHashMap<String,Object>}
 * (duplicate names are an error), arrays {@code List<Object>}, numbers {@code BigDecimal}, literals
 * {@code Boolean} or {@link #NULL}. Parsing is linear in the input: nesting is limited to
 * {@value #MAX_DEPTH} levels and a number token to {@value #MAX_NUMBER_CHARS} characters (so that no
 * {@code BigDecimal} conversion is quadratic); strings are bounded only by the input, which callers
 * bound. Every error is a {@link ParseException} with a one-line message naming the offset.
 *
 * <p>Public for the agent, which reads a runtime's own JSON metadata with the same strict rules (a Jlama safetensors
 * index, to check the weights files it names); everything else here stays package-private.
 */
public final class Json {
  /** The JSON {@code null} value (maps cannot hold Java null distinctly from "absent"). */
  public static final Object NULL = new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  /** The deepest nesting of arrays and objects accepted. */
  static final int MAX_DEPTH = 64;
  /** The longest number token accepted, far beyond any field ModelSeal reads (sizes, scrypt costs). */
  static final int MAX_NUMBER_CHARS = 1000;
  /** How much of a member name an error message quotes. */
  private static final int QUOTED_CHARS = 64;

  /** A syntax error; the message is one line with the offset. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Parses a whole document; trailing non-space text is an error. */
  public static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.skipSpace();
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != p.s.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return v;
  }

  /** A value inside {@code depth} arrays and objects. */
  private Object value(int depth) throws ParseException {
    if (pos >= s.length()) {
      throw error("unexpected end of JSON");
    }
    char c = s.charAt(pos);
    if ((c == '{' || c == '[') && depth >= MAX_DEPTH) {
      throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character " + describe(c));
    }
  }

  private Map<String, Object> object(int depth) throws ParseException {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      Object v = value(depth + 1);
      if (map.put(name, v) != null) {
        throw error("duplicate member " + quote(name));
      }
      skipSpace();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws ParseException {
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipSpace();
      list.add(value(depth + 1));
      skipSpace();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() throws ParseException {
    pos++;
    int run = pos;
    while (run < s.length() && s.charAt(run) != '"' && s.charAt(run) != '\\' && s.charAt(run) >= 0x20) {
      run++;
    }
    if (run < s.length() && s.charAt(run) == '"') { // no escapes: the common case, one copy
      String plain = s.substring(pos, run);
      pos = run + 1;
      return plain;
    }
    StringBuilder b = new StringBuilder(run - pos + 16).append(s, pos, run);
    pos = run;
    while (true) {
      char c = next();
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
          }
          String hex = s.substring(pos, pos + 4);
          if (!isHex(hex)) {
            throw error("bad \\u escape");
          }
          b.append((char) Integer.parseInt(hex, 16));
          pos += 4;
        }
        default -> throw error("bad escape \\ followed by " + describe(e));
      }
    }
  }

  /** True if {@code s} is non-empty and all hex digits. */
  static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** RFC 8259's number grammar, {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, by hand. */
  static boolean isNumber(String t) {
    int i = 0;
    int n = t.length();
    if (i < n && t.charAt(i) == '-') {
      i++;
    }
    if (i < n && t.charAt(i) == '0') {
      i++;
    } else {
      int d = i;
      i = digits(t, i);
      if (i == d) {
        return false;
      }
    }
    if (i < n && t.charAt(i) == '.') {
      int d = ++i;
      i = digits(t, i);
      if (i == d) {
        return false;
      }
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int d = i;
      i = digits(t, i);
      if (i == d) {
        return false;
      }
    }
    return i == n;
  }

  private static int digits(String t, int i) {
    while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  /**
   * Reads a number token of at most {@link #MAX_NUMBER_CHARS} characters: {@code new BigDecimal} is
   * quadratic in the digits, so a longer token is refused before any conversion.
   */
  private BigDecimal number() throws ParseException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < s.length() && isNumberChar(s.charAt(pos))) {
      if (pos - start >= MAX_NUMBER_CHARS) {
        throw new ParseException("number longer than " + MAX_NUMBER_CHARS + " characters at offset " + start);
      }
      pos++;
    }
    String t = s.substring(start, pos);
    if (!isNumber(t)) {
      String shown = t.length() > QUOTED_CHARS ? t.substring(0, QUOTED_CHARS) + "..." : t;
      throw new ParseException("bad number '" + shown + "' at offset " + start);
    }
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException | ArithmeticException e) { // an exponent beyond the int range
      throw new ParseException("number out of range at offset " + start);
    }
  }

  private static boolean isNumberChar(char c) {
    return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  }

  /** A character for a one-line message: quoted if printable ASCII, else its code point. */
  private static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /** A member name for a one-line message: quoted, cut to {@link #QUOTED_CHARS}, controls escaped. */
  private static String quote(String name) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < name.length() && i < QUOTED_CHARS; i++) {
      char c = name.charAt(i);
      b.append(c >= 0x20 && c != 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return b.append(name.length() > QUOTED_CHARS ? "...\"" : "\"").toString();
  }

  private Object literal(String word, Object v) throws ParseException {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected literal");
    }
    pos += word.length();
    return v;
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() throws ParseException {
    if (pos >= s.length()) {
      throw error("unexpected end of JSON");
    }
    return s.charAt(pos);
  }

  private char next() throws ParseException {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) throws ParseException {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private ParseException error(String what) {
    return new ParseException(what + " at offset " + pos);
  }
}
