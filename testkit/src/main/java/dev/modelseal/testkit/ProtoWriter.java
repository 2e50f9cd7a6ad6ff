package dev.modelseal.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Minimal protobuf encoder: varint and length-delimited fields, enough to hand-write an ONNX model. */
final class ProtoWriter {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Writes a varint field (int32/int64/enum). */
    ProtoWriter varint(int field, long value) {
        tag(field, WIRE_VARINT);
        rawVarint(value);
        return this;
    }

    /** Writes a UTF-8 string field. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an embedded message field. */
    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** Writes a bytes field. */
    ProtoWriter bytes(int field, byte[] value) {
        tag(field, WIRE_LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** Writes a bytes field holding little-endian IEEE-754 floats (ONNX {@code raw_data}). */
    ProtoWriter floatsLittleEndian(int field, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return bytes(field, buffer.array());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
