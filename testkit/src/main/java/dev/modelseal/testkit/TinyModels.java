package dev.modelseal.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Tiny, real ML models generated in code, byte-for-byte deterministic.
 *
 * <p>Both models compute {@code y = x + 1} element-wise over a float tensor of shape {@code [1, 4]}: for
 * {@link #INPUT} the output is {@link #EXPECTED_OUTPUT}.
 * <ul>
 *   <li>{@link #onnx()}: an ONNX {@code ModelProto} (ir_version 7, opset 13) with one {@code Add} node
 *       {@code Y = X + B}, input {@code X: float[1,4]}, initializer {@code B = [1,1,1,1]}.</li>
 *   <li>{@link #torchScript()}: a TorchScript zip (STORED entries) whose {@code forward} returns
 *       {@code torch.add(x, 1.)}.</li>
 * </ul>
 */
public final class TinyModels {
    /** ONNX input name of the model's single input. */
    public static final String ONNX_INPUT_NAME = "X";
    /** ONNX output name of the model's single output. */
    public static final String ONNX_OUTPUT_NAME = "Y";
    /** Shape of the input and output tensors. */
    public static final long[] SHAPE = {1, 4};
    /** A known input. */
    public static final float[] INPUT = {1f, 2f, 3f, 4f};
    /** The output both models produce for {@link #INPUT}. */
    public static final float[] EXPECTED_OUTPUT = {2f, 3f, 4f, 5f};
    /** The name DJL's engines look for first in a model directory, without the extension. */
    public static final String DJL_MODEL_NAME = "model";

    private static final int ONNX_FLOAT = 1;
    private static final int ONNX_UINT8 = 2;
    /** {@code TensorProto.DataLocation.EXTERNAL}. */
    private static final int ONNX_EXTERNAL = 1;
    private static final LocalDateTime ZIP_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);

    private TinyModels() {
    }

    /** Returns the ONNX model bytes ({@code Y = X + 1}, float[1,4]). */
    public static byte[] onnx() {
        return onnxWithPadding(0);
    }

    /**
     * Returns the same model ({@code Y = X + 1}) plus an unused {@code uint8} initializer of
     * {@code padBytes} bytes, so that benchmarks can load a real ONNX file of a chosen size.
     */
    public static byte[] onnxWithPadding(int padBytes) {
        return onnx(padBytes, null, false);
    }

    /**
     * Returns the same model ({@code Y = X + B}) with the bias {@code B} stored outside it, as ONNX external data:
     * its initializer has {@code data_location = EXTERNAL} and {@code external_data {location: <location>}}, and
     * ONNX Runtime reads its four floats from that file ({@link #externalBias} makes {@code y = x + 1}).
     */
    public static byte[] onnxWithExternalBias(String location) {
        return onnx(0, location, false);
    }

    /** {@link #onnxWithExternalBias} plus an unused {@code uint8} initializer of {@code padBytes} bytes. */
    public static byte[] onnxWithExternalBiasAndPadding(String location, int padBytes) {
        return onnx(padBytes, location, false);
    }

    /** The content of the external bias file: {@code values} as little-endian floats. */
    public static byte[] externalBias(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * Float.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * Returns the same model ({@code Y = X + 1}) with {@code B} also a graph input, so that a caller, or an ONNX
     * Runtime LoRA adapter with a parameter named {@code B} ({@link OrtAdapters}), can override the bias.
     */
    public static byte[] onnxWithOverridableBias() {
        return onnx(0, null, true);
    }

    private static byte[] onnx(int padBytes, String externalBias, boolean biasInput) {
        ProtoWriter addNode = new ProtoWriter()
                .string(1, ONNX_INPUT_NAME).string(1, "B").string(2, ONNX_OUTPUT_NAME)
                .string(3, "add").string(4, "Add");
        ProtoWriter bias = new ProtoWriter()
                .varint(1, SHAPE[1]).varint(2, ONNX_FLOAT).string(8, "B");
        if (externalBias == null) {
            bias.floatsLittleEndian(9, new float[] {1f, 1f, 1f, 1f});
        } else {
            bias.message(13, new ProtoWriter().string(1, "location").string(2, externalBias))
                    .varint(14, ONNX_EXTERNAL);
        }
        ProtoWriter graph = new ProtoWriter()
                .message(1, addNode)
                .string(2, "tiny_add_one")
                .message(5, bias);
        if (padBytes > 0) {
            graph.message(5, new ProtoWriter().varint(1, padBytes).varint(2, ONNX_UINT8).string(8, "pad")
                    .bytes(9, new byte[padBytes]));
        }
        graph.message(11, valueInfo(ONNX_INPUT_NAME));
        if (biasInput) {
            ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().varint(1, SHAPE[1]));
            graph.message(11, new ProtoWriter().string(1, "B").message(2, new ProtoWriter()
                    .message(1, new ProtoWriter().varint(1, ONNX_FLOAT).message(2, shape))));
        }
        graph.message(12, valueInfo(ONNX_OUTPUT_NAME));
        ProtoWriter opset = new ProtoWriter().string(1, "").varint(2, 13);
        return new ProtoWriter()
                .varint(1, 7)
                .string(2, "modelseal-testkit")
                .message(7, graph)
                .message(8, opset)
                .toByteArray();
    }

    /** Returns the TorchScript zip bytes ({@code forward(x) = torch.add(x, 1.)}). */
    public static byte[] torchScript() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/version", ascii("3\n"));
        entries.put("archive/constants.pkl", new byte[] {(byte) 0x80, 0x02, ')', '.'});
        entries.put("archive/data.pkl", torchScriptDataPickle());
        entries.put("archive/code/__torch__.py", ascii(""
                + "class Model(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__.Model,\n"
                + "    x: Tensor) -> Tensor:\n"
                + "    return torch.add(x, 1.)\n"));
        return storedZip(entries);
    }

    /** Writes {@link #onnx()} to {@code file}, creating parent directories; returns {@code file}. */
    public static Path writeOnnx(Path file) {
        return write(file, onnx());
    }

    /** Writes {@link #torchScript()} to {@code file}, creating parent directories; returns {@code file}. */
    public static Path writeTorchScript(Path file) {
        return write(file, torchScript());
    }

    /**
     * Creates a DJL model directory: {@code dir/<fileName>} holding {@code model}, plus
     * {@code dir/serving.properties} when {@code servingProperties} is non-empty (written in iteration order).
     *
     * @return {@code dir}
     */
    public static Path djlModelDir(Path dir, String fileName, byte[] model, Map<String, String> servingProperties) {
        write(dir.resolve(fileName), model);
        if (servingProperties != null && !servingProperties.isEmpty()) {
            StringBuilder text = new StringBuilder();
            servingProperties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            write(dir.resolve("serving.properties"), ascii(text.toString()));
        }
        return dir;
    }

    /** Creates a DJL ONNX Runtime model directory: {@code dir/model.onnx} and {@code engine=OnnxRuntime}. */
    public static Path onnxModelDir(Path dir) {
        return djlModelDir(dir, DJL_MODEL_NAME + ".onnx", onnx(), Map.of("engine", "OnnxRuntime"));
    }

    /** Creates a DJL PyTorch model directory: {@code dir/model.pt} and {@code engine=PyTorch}. */
    public static Path torchScriptModelDir(Path dir) {
        return djlModelDir(dir, DJL_MODEL_NAME + ".pt", torchScript(), Map.of("engine", "PyTorch"));
    }

    private static ProtoWriter valueInfo(String name) {
        ProtoWriter shape = new ProtoWriter();
        for (long dim : SHAPE) {
            shape.message(1, new ProtoWriter().varint(1, dim));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, ONNX_FLOAT).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, name).message(2, type);
    }

    /** Protocol-2 pickle of {@code __torch__.Model} with state {@code {"training": False}}. */
    private static byte[] torchScriptDataPickle() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 0x02});          // PROTO 2
        out.writeBytes(ascii("c__torch__\nModel\n"));          // GLOBAL __torch__ Model
        out.write(')');                                         // EMPTY_TUPLE
        out.write(0x81);                                        // NEWOBJ
        out.write('}');                                         // EMPTY_DICT
        byte[] key = ascii("training");
        out.write('X');                                         // BINUNICODE, 4-byte little-endian length
        out.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        out.writeBytes(key);
        out.write(0x89);                                        // NEWFALSE
        out.write('s');                                         // SETITEM
        out.write('b');                                         // BUILD
        out.write('.');                                         // STOP
        return out.toByteArray();
    }

    private static byte[] storedZip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] data = e.getValue();
                CRC32 crc = new CRC32();
                crc.update(data);
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(data.length);
                entry.setCompressedSize(data.length);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(ZIP_TIME);
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Path write(Path file, byte[] data) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
