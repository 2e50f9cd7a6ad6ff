package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.bootstrap.RejectReason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxExternalDataTest {
  private static final String ABSOLUTE = "an absolute location (only files in the model's folder may be named)";
  private static final String OUTSIDE = "a location outside the model's folder (only files in the model's folder"
      + " may be named)";

  @Test
  void locations_initializerWithExternalData_listsItsLocation() throws Exception {
    byte[] model = model(graph().message(5, externalTensor("B", "weights.bin")));

    assertEquals(List.of("weights.bin"), OnnxExternalData.locations(ByteBuffer.wrap(model)));
  }

  @Test
  void locations_inlineInitializerOnly_empty() throws Exception {
    byte[] model = model(graph().message(5, new Pb().varint(1, 4).varint(2, 1).string(8, "B")
        .bytes(9, new byte[16])));

    assertEquals(List.of(), OnnxExternalData.locations(ByteBuffer.wrap(model)));
  }

  @Test
  void locations_tensorsInSubgraphsSparseFunctionsAndTraining_listsEachOnceInOrder() throws Exception {
    Pb ifNode = new Pb().string(4, "If").message(5, new Pb().string(1, "then_branch")
        .message(6, graph().message(5, externalTensor("t", "then.bin"))));
    Pb sparse = new Pb().message(1, externalTensor("v", "values.bin")).message(2, externalTensor("i", "idx.bin"));
    Pb constant = new Pb().string(4, "Constant").message(5, new Pb().string(1, "value")
        .message(5, externalTensor("c", "const.bin")));
    Pb training = new Pb().message(1, graph().message(5, externalTensor("init", "train.bin")));
    byte[] model = new Pb().varint(1, 7)
        .message(7, graph().message(1, ifNode).message(15, sparse).message(5, externalTensor("w", "then.bin")))
        .message(25, new Pb().string(1, "f").message(7, constant))
        .message(20, training)
        .bytes();

    assertEquals(List.of("then.bin", "values.bin", "idx.bin", "const.bin", "train.bin"),
        OnnxExternalData.locations(ByteBuffer.wrap(model)));
  }

  @Test
  void locations_graphFieldRepeated_walksBothAsProtobufMergesThem() throws Exception {
    byte[] model = new Pb().message(7, graph().message(5, externalTensor("a", "a.bin")))
        .message(7, graph().message(5, externalTensor("b", "b.bin"))).bytes();

    assertEquals(List.of("a.bin", "b.bin"), OnnxExternalData.locations(ByteBuffer.wrap(model)));
  }

  @Test
  void locations_entryWithRepeatedKeyAndValue_lastOfEachWins() throws Exception {
    Pb entry = new Pb().string(1, "offset").string(2, "0").string(1, "location").string(2, "last.bin");
    byte[] model = model(graph().message(5, new Pb().string(8, "B").message(13, entry).varint(14, 1)));

    assertEquals(List.of("last.bin"), OnnxExternalData.locations(ByteBuffer.wrap(model)));
  }

  @Test
  void locations_ortFormatModel_empty() throws Exception {
    byte[] ort = {0x10, 0, 0, 0, 'O', 'R', 'T', 'M', (byte) 0xFF, (byte) 0xFF};

    assertEquals(List.of(), OnnxExternalData.locations(ByteBuffer.wrap(ort)));
  }

  @Test
  void locations_fieldPastItsMessage_refusedAsUnreadable() {
    byte[] model = model(graph().message(5, externalTensor("B", "weights.bin")));
    byte[] truncated = java.util.Arrays.copyOf(model, model.length - 3);

    Rejection r = assertThrows(Rejection.class, () -> OnnxExternalData.locations(ByteBuffer.wrap(truncated)));

    assertEquals(RejectReason.UNSUPPORTED_SOURCE, r.reason);
    // The last field, opset_import (tag, length 4, 4 bytes), starts 6 bytes before the end of the whole model.
    assertEquals("cannot read the ONNX model to find its external data: a field runs past the end of its message"
        + " at byte " + (model.length - 6), r.getMessage());
  }

  @Test
  void locations_groupWireType_refusedAsUnreadable() {
    byte[] model = {(byte) ((1 << 3) | 3)};

    Rejection r = assertThrows(Rejection.class, () -> OnnxExternalData.locations(ByteBuffer.wrap(model)));

    assertEquals("cannot read the ONNX model to find its external data: unsupported wire type 3 at byte 0",
        r.getMessage());
  }

  @Test
  void locations_subgraphsNestedTooDeep_refusedAtTheBound() {
    Pb g = graph().message(5, externalTensor("B", "weights.bin"));
    for (int i = 0; i < 30; i++) {
      g = graph().message(1, new Pb().string(4, "If").message(5, new Pb().message(6, g)));
    }
    byte[] model = model(g);

    Rejection r = assertThrows(Rejection.class, () -> OnnxExternalData.locations(ByteBuffer.wrap(model)));

    assertEquals(RejectReason.UNSUPPORTED_SOURCE, r.reason);
    assertEquals(true, r.getMessage().startsWith("cannot read the ONNX model to find its external data: messages"
        + " nested deeper than 64 levels at byte "), r.getMessage());
  }

  @Test
  void locations_moreFilesThanTheBound_refused() {
    Pb g = graph();
    for (int i = 0; i <= OnnxExternalData.MAX_LOCATIONS; i++) {
      g.message(5, externalTensor("t" + i, "w" + i + ".bin"));
    }
    byte[] model = model(g);

    Rejection r = assertThrows(Rejection.class, () -> OnnxExternalData.locations(ByteBuffer.wrap(model)));

    assertEquals("the ONNX model names more than 4096 external data files, over the bound", r.getMessage());
  }

  @Test
  void refusal_fileBesideModelOrBelowIt_allowed() {
    assertNull(OnnxExternalData.refusal("weights.bin"));
    assertNull(OnnxExternalData.refusal("./data/weights.bin"));
    assertNull(OnnxExternalData.refusal("data/../weights.bin"));
  }

  @Test
  void refusal_absoluteLocation_refused() {
    assertEquals(ABSOLUTE, OnnxExternalData.refusal("/srv/other/weights.bin"));
  }

  @Test
  void refusal_locationClimbingOut_refused() {
    assertEquals(OUTSIDE, OnnxExternalData.refusal("../other/weights.bin"));
    assertEquals(OUTSIDE, OnnxExternalData.refusal("data/../../weights.bin"));
    assertEquals(OUTSIDE, OnnxExternalData.refusal("."));
  }

  @Test
  void refusal_backslashNulOrEmpty_refused() {
    assertEquals("a location with a backslash or NUL character", OnnxExternalData.refusal("..\\weights.bin"));
    assertEquals("a location with a backslash or NUL character", OnnxExternalData.refusal("w.bin\0.txt"));
    assertEquals("an empty location", OnnxExternalData.refusal(""));
  }

  // ------------------------------------------------------------------ a minimal protobuf writer

  private static byte[] model(Pb graph) {
    return new Pb().varint(1, 7).message(7, graph).message(8, new Pb().string(1, "").varint(2, 13)).bytes();
  }

  private static Pb graph() {
    return new Pb().string(2, "g");
  }

  private static Pb externalTensor(String name, String location) {
    return new Pb().varint(1, 4).varint(2, 1).string(8, name)
        .message(13, new Pb().string(1, "location").string(2, location)).varint(14, 1);
  }

  private static final class Pb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pb varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Pb string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Pb message(int field, Pb m) {
      return bytes(field, m.bytes());
    }

    Pb bytes(int field, byte[] b) {
      raw(((long) field << 3) | 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
