package dev.modelseal.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF version 3 files (llama.cpp's model format): a header, typed metadata key/value pairs, tensor
 * infos, then the F32 tensor data, each tensor aligned to 32 bytes. The file ends with the last tensor's data.
 */
final class GgufWriter {
    private static final int ALIGNMENT = 32;
    private static final int UINT16 = 2;
    private static final int INT32 = 5;
    private static final int UINT32 = 4;
    private static final int FLOAT32 = 6;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int TYPE_F32 = 0;

    private final Buf kv = new Buf();
    private int kvCount;
    private final List<String> names = new ArrayList<>();
    private final List<long[]> shapes = new ArrayList<>();
    private final List<float[]> data = new ArrayList<>();

    GgufWriter string(String key, String value) {
        key(key, STRING).string(value);
        return this;
    }

    GgufWriter u32(String key, int value) {
        key(key, UINT32).i32(value);
        return this;
    }

    GgufWriter u16(String key, int value) {
        key(key, UINT16).i16(value);
        return this;
    }

    GgufWriter i32(String key, int value) {
        key(key, INT32).i32(value);
        return this;
    }

    GgufWriter f32(String key, float value) {
        key(key, FLOAT32).f32(value);
        return this;
    }

    GgufWriter strings(String key, List<String> values) {
        key(key, ARRAY).i32(STRING).i64(values.size());
        values.forEach(kv::string);
        return this;
    }

    GgufWriter floats(String key, float[] values) {
        key(key, ARRAY).i32(FLOAT32).i64(values.length);
        for (float v : values) {
            kv.f32(v);
        }
        return this;
    }

    GgufWriter ints(String key, int[] values) {
        key(key, ARRAY).i32(INT32).i64(values.length);
        for (int v : values) {
            kv.i32(v);
        }
        return this;
    }

    /** Adds an F32 tensor; {@code dims} in GGML order (the first is the fastest-varying). */
    GgufWriter tensor(String name, float[] values, long... dims) {
        names.add(name);
        shapes.add(dims);
        data.add(values);
        return this;
    }

    private Buf key(String key, int type) {
        kvCount++;
        return kv.string(key).i32(type);
    }

    byte[] toBytes() {
        Buf out = new Buf();
        out.raw(new byte[] {'G', 'G', 'U', 'F'}).i32(3).i64(names.size()).i64(kvCount).raw(kv.bytes());
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            out.string(names.get(i)).i32(shapes.get(i).length);
            for (long d : shapes.get(i)) {
                out.i64(d);
            }
            out.i32(TYPE_F32).i64(offset);
            offset = align(offset + 4L * data.get(i).length);
        }
        out.pad();
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) {
                out.pad();
            }
            for (float v : data.get(i)) {
                out.f32(v);
            }
        }
        return out.bytes();
    }

    private static long align(long x) {
        return (x + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Little-endian output. */
    private static final class Buf {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Buf raw(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        private Buf put(int n) {
            out.write(scratch.array(), 0, n);
            scratch.clear();
            return this;
        }

        Buf i16(int v) {
            scratch.putShort((short) v);
            return put(2);
        }

        Buf i32(int v) {
            scratch.putInt(v);
            return put(4);
        }

        Buf i64(long v) {
            scratch.putLong(v);
            return put(8);
        }

        Buf f32(float v) {
            scratch.putFloat(v);
            return put(4);
        }

        Buf string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return i64(b.length).raw(b);
        }

        void pad() {
            while (out.size() % ALIGNMENT != 0) {
                out.write(0);
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
