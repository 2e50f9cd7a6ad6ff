package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the external-data files an ONNX model names: the {@code location} of every {@code TensorProto}
 * {@code external_data} entry, wherever ONNX Runtime may read a tensor from (graph initializers, sparse
 * initializers, tensor attributes of nodes, nested graphs of {@code If}/{@code Loop}/{@code Scan}, model
 * functions, training graphs). A bounded protobuf wire-format walk with no protobuf dependency: it descends only
 * into the messages that can hold tensors and jumps over every other field (weights included), so it reads little
 * more than a model's structure. Repeated occurrences of a message field are all walked, as protobuf merges them.
 * An input that is not well-formed protobuf, nests deeper than {@link #MAX_DEPTH} or names more than
 * {@link #MAX_LOCATIONS} files is refused: what cannot be read cannot be checked.
 */
final class OnnxExternalData {
  /** Message nesting levels (protobuf's own default recursion limit is 100). */
  static final int MAX_DEPTH = 64;
  /** Distinct external-data files one model may name. */
  static final int MAX_LOCATIONS = 4096;
  /** Bytes of one entry's value (a path: Linux's PATH_MAX). */
  static final int MAX_LOCATION_BYTES = 4096;

  private static final String LOCATION = "location";
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  /** The message types that can hold tensors, and which of their fields lead to one. */
  private enum Kind { MODEL, GRAPH, NODE, FUNCTION, TRAINING_INFO, ATTRIBUTE, SPARSE_TENSOR, TENSOR }

  private final ByteBuffer in;
  private final Set<String> locations = new LinkedHashSet<>();

  private OnnxExternalData(ByteBuffer in) {
    this.in = in;
  }

  /**
   * The distinct external-data locations of the model in {@code model} (from its position to its limit), in
   * order of first appearance; empty for a model without external data and for an ORT-format model, which has
   * none. {@code model} is not modified.
   */
  static List<String> locations(ByteBuffer model) throws Rejection {
    ByteBuffer view = model.slice();
    if (isOrtFormat(view)) {
      return List.of();
    }
    OnnxExternalData reader = new OnnxExternalData(view);
    reader.message(Kind.MODEL, 0, view.limit(), 1);
    return new ArrayList<>(reader.locations);
  }

  /**
   * Why ONNX Runtime must not be allowed to follow {@code location}, or null when it names a file in the model's
   * own folder: absolute locations and those that climb out with {@code ..} are refused, as are backslashes and
   * NUL (another separator, and a string the native side would cut short).
   */
  static String refusal(String location) {
    if (location.isEmpty()) {
      return "an empty location";
    }
    if (location.indexOf('\0') >= 0 || location.indexOf('\\') >= 0) {
      return "a location with a backslash or NUL character";
    }
    if (location.startsWith("/")) {
      return "an absolute location (only files in the model's folder may be named)";
    }
    Path normalized;
    try {
      normalized = Path.of(location).normalize();
    } catch (InvalidPathException e) {
      return "not a valid path";
    }
    if (normalized.toString().isEmpty() || normalized.startsWith("..")) {
      return "a location outside the model's folder (only files in the model's folder may be named)";
    }
    return null;
  }

  /** ORT's own flatbuffer format carries the identifier {@code ORTM} at bytes 4..8. */
  private static boolean isOrtFormat(ByteBuffer b) {
    return b.limit() >= 8 && b.get(4) == 'O' && b.get(5) == 'R' && b.get(6) == 'T' && b.get(7) == 'M';
  }

  /** Walks one message occupying {@code [start, end)}. */
  private void message(Kind kind, int start, int end, int depth) throws Rejection {
    if (depth > MAX_DEPTH) {
      throw malformed("messages nested deeper than " + MAX_DEPTH + " levels", start);
    }
    int pos = start;
    while (pos < end) {
      int tagAt = pos;
      long tag = varint(pos, end);
      pos = next;
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field <= 0 || tag >>> 3 > Integer.MAX_VALUE) {
        throw malformed("invalid field number", tagAt);
      }
      switch (wire) {
        case VARINT -> {
          varint(pos, end);
          pos = next;
        }
        case FIXED64 -> pos = skip(pos, 8, end);
        case FIXED32 -> pos = skip(pos, 4, end);
        case LENGTH_DELIMITED -> {
          long length = varint(pos, end);
          pos = next;
          if (length > end - pos) {
            throw malformed("a field runs past the end of its message", tagAt);
          }
          int bodyEnd = pos + (int) length;
          Kind child = child(kind, field);
          if (child != null) {
            message(child, pos, bodyEnd, depth + 1);
          } else if (kind == Kind.TENSOR && field == 13) {
            entry(pos, bodyEnd, depth + 1);
          }
          pos = bodyEnd;
        }
        default -> throw malformed("unsupported wire type " + wire, tagAt);
      }
    }
    if (pos != end) {
      throw malformed("a field runs past the end of its message", pos);
    }
  }

  /** A {@code StringStringEntryProto} of a tensor's {@code external_data}: the last key and value win. */
  private void entry(int start, int end, int depth) throws Rejection {
    if (depth > MAX_DEPTH) {
      throw malformed("messages nested deeper than " + MAX_DEPTH + " levels", start);
    }
    String key = null;
    String value = null;
    int pos = start;
    while (pos < end) {
      int tagAt = pos;
      long tag = varint(pos, end);
      pos = next;
      int wire = (int) (tag & 7);
      long field = tag >>> 3;
      if (wire == LENGTH_DELIMITED) {
        long length = varint(pos, end);
        pos = next;
        if (length > end - pos) {
          throw malformed("a field runs past the end of its message", tagAt);
        }
        if (field == 2 && length > MAX_LOCATION_BYTES) {
          throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, "the ONNX model names an external data location of "
              + length + " bytes, over the bound of " + MAX_LOCATION_BYTES);
        }
        if (field == 1) {
          // Only the key "location" matters: any other length is another key, not worth decoding.
          key = length == LOCATION.length() ? string(pos, (int) length) : "";
        } else if (field == 2) {
          value = string(pos, (int) length);
        }
        pos += (int) length;
      } else if (wire == VARINT) {
        varint(pos, end);
        pos = next;
      } else if (wire == FIXED64 || wire == FIXED32) {
        pos = skip(pos, wire == FIXED64 ? 8 : 4, end);
      } else {
        throw malformed("unsupported wire type " + wire, tagAt);
      }
    }
    if (LOCATION.equals(key)) {
      locations.add(value == null ? "" : value);
      if (locations.size() > MAX_LOCATIONS) {
        throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, "the ONNX model names more than " + MAX_LOCATIONS
            + " external data files, over the bound");
      }
    }
  }

  private String string(int pos, int length) {
    byte[] b = new byte[length];
    in.get(pos, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The field numbers (onnx.proto3) that lead from one tensor-holding message to another. */
  private static Kind child(Kind kind, int field) {
    return switch (kind) {
      case MODEL -> field == 7 ? Kind.GRAPH : field == 25 ? Kind.FUNCTION : field == 20 ? Kind.TRAINING_INFO : null;
      case GRAPH -> field == 1 ? Kind.NODE : field == 5 ? Kind.TENSOR : field == 15 ? Kind.SPARSE_TENSOR : null;
      case NODE -> field == 5 ? Kind.ATTRIBUTE : null;
      case FUNCTION -> field == 7 ? Kind.NODE : null;
      case TRAINING_INFO -> field == 1 || field == 2 ? Kind.GRAPH : null;
      case ATTRIBUTE -> field == 5 || field == 10 ? Kind.TENSOR : field == 6 || field == 11 ? Kind.GRAPH
          : field == 22 || field == 23 ? Kind.SPARSE_TENSOR : null;
      case SPARSE_TENSOR -> field == 1 || field == 2 ? Kind.TENSOR : null;
      case TENSOR -> null;
    };
  }

  /** Position after the last {@link #varint}. */
  private int next;

  private long varint(int pos, int end) throws Rejection {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw malformed("a varint runs past the end of its message", pos);
      }
      byte b = in.get(pos++);
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        next = pos;
        return result;
      }
    }
    throw malformed("a varint longer than 10 bytes", pos);
  }

  private static int skip(int pos, int n, int end) throws Rejection {
    if (n > end - pos) {
      throw malformed("a field runs past the end of its message", pos);
    }
    return pos + n;
  }

  private static Rejection malformed(String what, int at) {
    return new Rejection(RejectReason.UNSUPPORTED_SOURCE, "cannot read the ONNX model to find its external data: "
        + what + " at byte " + at);
  }
}
