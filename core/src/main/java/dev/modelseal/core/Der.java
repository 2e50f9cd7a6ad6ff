package dev.modelseal.core;

import java.math.BigInteger;

/**
 * A minimal strict DER reader for the few structures on the verification path (SubjectPublicKeyInfo
 * and ECDSA signatures), so that verifying needs only the JDK. Non-minimal lengths, indefinite
 * lengths and trailing bytes are errors ({@link IllegalArgumentException}).
 */
final class Der {
  static final int SEQUENCE = 0x30;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OID = 0x06;

  private final byte[] b;
  private int pos;
  private final int end;

  private Der(byte[] b, int pos, int end) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  /** Returns a reader over exactly one top-level element that must fill {@code der}. */
  static Der whole(byte[] der, int tag) {
    Der outer = new Der(der, 0, der.length);
    Der inner = outer.next(tag);
    outer.requireEnd();
    return inner;
  }

  boolean atEnd() {
    return pos == end;
  }

  int peekTag() {
    if (pos >= end) {
      throw new IllegalArgumentException("unexpected end of DER");
    }
    return b[pos] & 0xff;
  }

  void requireEnd() {
    if (pos != end) {
      throw new IllegalArgumentException("trailing bytes in DER");
    }
  }

  /** Reads the next element, which must have {@code tag}; returns a reader over its contents. */
  Der next(int tag) {
    if (peekTag() != tag) {
      throw new IllegalArgumentException("unexpected DER tag");
    }
    pos++;
    if (pos >= end) {
      throw new IllegalArgumentException("truncated DER length");
    }
    int first = b[pos++] & 0xff;
    int len;
    if (first < 0x80) {
      len = first;
    } else {
      int n = first & 0x7f;
      if (n == 0 || n > 3 || pos + n > end || b[pos] == 0) {
        throw new IllegalArgumentException("bad DER length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[pos++] & 0xff);
      }
      if (len < 0x80) {
        throw new IllegalArgumentException("non-minimal DER length");
      }
    }
    if (len > end - pos) {
      throw new IllegalArgumentException("truncated DER");
    }
    Der content = new Der(b, pos, pos + len);
    pos += len;
    return content;
  }

  /** Returns the remaining content bytes. */
  byte[] bytes() {
    byte[] out = new byte[end - pos];
    System.arraycopy(b, pos, out, 0, out.length);
    pos = end;
    return out;
  }

  /** Reads a strictly encoded positive INTEGER. */
  BigInteger positiveInteger() {
    byte[] v = next(INTEGER).bytes();
    if (v.length == 0 || (v[0] & 0x80) != 0 || (v.length > 1 && v[0] == 0 && (v[1] & 0x80) == 0)) {
      throw new IllegalArgumentException("not a minimal positive DER INTEGER");
    }
    BigInteger i = new BigInteger(1, v);
    if (i.signum() == 0) {
      throw new IllegalArgumentException("zero DER INTEGER");
    }
    return i;
  }

  /** Returns the dotted form of OID content bytes. */
  static String dotted(byte[] oid) {
    StringBuilder s = new StringBuilder();
    long v = 0;
    boolean first = true;
    for (byte x : oid) {
      v = (v << 7) | (x & 0x7f);
      if ((x & 0x80) == 0) {
        if (first) {
          long a = Math.min(2, v / 40);
          s.append(a).append('.').append(v - 40 * a);
          first = false;
        } else {
          s.append('.').append(v);
        }
        v = 0;
      }
    }
    return s.toString();
  }
}
