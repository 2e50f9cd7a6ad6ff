package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON members; every failure is {@code MALFORMED_SIGNATURE}. */
final class BundleFields {
  private BundleFields() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String what) throws VerificationException {
    if (!(v instanceof Map<?, ?> m)) {
      throw malformed(what + " is missing or not a JSON object");
    }
    return (Map<String, Object>) m;
  }

  static String string(Map<String, Object> m, String name, String where) throws VerificationException {
    if (!(m.get(name) instanceof String s)) {
      throw malformed(where + " has no string " + name);
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String name, String where) throws VerificationException {
    if (!(m.get(name) instanceof List<?> l)) {
      throw malformed(where + " has no array " + name);
    }
    return (List<Object>) l;
  }

  static byte[] base64(Map<String, Object> m, String name, String where) throws VerificationException {
    try {
      return Base64.getDecoder().decode(string(m, name, where));
    } catch (IllegalArgumentException e) {
      throw malformed(where + " " + name + " is not valid base64");
    }
  }

  private static VerificationException malformed(String message) {
    return new VerificationException(Reason.MALFORMED_SIGNATURE, message);
  }
}
