package dev.modelseal.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test-side protobuf decoder: splits a message into (field, value) pairs for varint and length-delimited fields. */
final class ProtoReader {
    /** One decoded field: {@code number} plus either a varint {@code value} or {@code bytes}. */
    record Field(int number, long value, byte[] bytes) {
        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        List<Field> message() {
            return parse(bytes);
        }
    }

    private ProtoReader() {
    }

    static List<Field> parse(byte[] data) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long tag = varint(data, pos);
            int wireType = (int) (tag & 7);
            int number = (int) (tag >>> 3);
            if (wireType == 0) {
                fields.add(new Field(number, varint(data, pos), null));
            } else if (wireType == 2) {
                int length = (int) varint(data, pos);
                fields.add(new Field(number, 0, Arrays.copyOfRange(data, pos[0], pos[0] + length)));
                pos[0] += length;
            } else {
                throw new IllegalArgumentException("unexpected wire type " + wireType + " at " + pos[0]);
            }
        }
        return fields;
    }

    static List<Field> all(List<Field> fields, int number) {
        return fields.stream().filter(f -> f.number() == number).toList();
    }

    static Field one(List<Field> fields, int number) {
        List<Field> matches = all(fields, number);
        if (matches.size() != 1) {
            throw new AssertionError("expected one field " + number + " but found " + matches.size());
        }
        return matches.get(0);
    }

    private static long varint(byte[] data, int[] pos) {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = data[pos[0]++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }
}
