package dev.modelseal.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE v1 pre-authentication encoding, plus the buggy v0.2 encoding of model_signing that verifiers
 * still accept: {@code "DSSEV1 <len> <type> <len> " + python_repr(payload)}.
 */
final class Dsse {
  static final String IN_TOTO = "application/vnd.in-toto+json";

  private Dsse() {}

  /** {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload}. */
  static byte[] pae(String type, byte[] payload) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + t.length + 40);
    out.writeBytes(("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(t);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** The model_signing v0.2 encoding: upper-case {@code V} and Python's {@code repr(bytes)}. */
  static byte[] legacyPae(String type, byte[] payload) {
    String s = "DSSEV1 " + type.getBytes(StandardCharsets.UTF_8).length + " " + type + " " + payload.length
        + " " + pythonRepr(payload);
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Python's {@code repr()} of a {@code bytes} value. */
  static String pythonRepr(byte[] data) {
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (byte b : data) {
      hasSingle |= b == '\'';
      hasDouble |= b == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    StringBuilder s = new StringBuilder(data.length + 3).append('b').append(quote);
    for (byte x : data) {
      int b = x & 0xff;
      if (b == quote || b == '\\') {
        s.append('\\').append((char) b);
      } else if (b == '\t') {
        s.append("\\t");
      } else if (b == '\n') {
        s.append("\\n");
      } else if (b == '\r') {
        s.append("\\r");
      } else if (b >= 0x20 && b < 0x7f) {
        s.append((char) b);
      } else {
        s.append(String.format("\\x%02x", b));
      }
    }
    return s.append(quote).toString();
  }

  /** The JCA signature algorithm for ECDSA on a curve with its standard hash. */
  static String ecdsaAlgorithm(EcCurve curve) {
    return switch (curve) {
      case P256 -> "SHA256withECDSA";
      case P384 -> "SHA384withECDSA";
      case P521 -> "SHA512withECDSA";
    };
  }
}
