package dev.modelseal.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * ONNX Runtime LoRA adapters generated in code: the {@code .onnx_adapter} flatbuffer of ORT's
 * {@code adapter_schema.fbs} (file identifier {@code TORT}, format version 1), with one float parameter. Applied
 * to {@link TinyModels#onnxWithOverridableBias()} with a parameter {@code B}, it replaces the bias.
 */
public final class OrtAdapters {
    private static final int ONNX_FLOAT = 1;

    private OrtAdapters() {
    }

    /**
     * An adapter with one parameter {@code name}: a float tensor of shape {@code [values.length]}.
     *
     * <p>Layout, written front to back (every offset points forward, as flatbuffers require): root offset and
     * identifier; the {@code Adapter} vtable and table (format_version, adapter_version, model_version,
     * parameters); the parameters vector; the {@code Parameter} vtable and table (name, dims, data_type,
     * raw_data); the name string; the dims vector and raw data, their elements 8-byte aligned.
     */
    public static byte[] loraAdapter(String name, float[] values) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int nameAt = 80;
        int dimsAt = align(nameAt + 4 + n.length + 1, 8) + 4;
        int rawAt = align(dimsAt + 4 + Long.BYTES, 8) + 4;
        int size = align(rawAt + 4 + values.length * Float.BYTES, 8);
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 20);
        b.put(4, (byte) 'T').put(5, (byte) 'O').put(6, (byte) 'R').put(7, (byte) 'T');
        vtable(b, 8);
        b.putInt(20, 20 - 8).putInt(24, 1).putInt(28, 0).putInt(32, 0).putInt(36, 40 - 36);
        b.putInt(40, 1).putInt(44, 60 - 44);
        vtable(b, 48);
        b.putInt(60, 60 - 48).putInt(64, nameAt - 64).putInt(68, dimsAt - 68).putInt(72, ONNX_FLOAT)
                .putInt(76, rawAt - 76);
        b.putInt(nameAt, n.length).put(nameAt + 4, n);
        b.putInt(dimsAt, 1).putLong(dimsAt + 4, values.length);
        b.putInt(rawAt, values.length * Float.BYTES);
        for (int i = 0; i < values.length; i++) {
            b.putFloat(rawAt + 4 + Float.BYTES * i, values[i]);
        }
        return b.array();
    }

    /** A vtable of four fields laid out at table offsets 4, 8, 12, 16 in a 20-byte table. */
    private static void vtable(ByteBuffer b, int at) {
        b.putShort(at, (short) 12).putShort(at + 2, (short) 20).putShort(at + 4, (short) 4)
                .putShort(at + 6, (short) 8).putShort(at + 8, (short) 12).putShort(at + 10, (short) 16);
    }

    private static int align(int x, int a) {
        return (x + a - 1) / a * a;
    }
}
