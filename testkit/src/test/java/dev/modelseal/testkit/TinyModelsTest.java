package dev.modelseal.testkit;

import static dev.modelseal.testkit.ProtoReader.all;
import static dev.modelseal.testkit.ProtoReader.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelseal.testkit.ProtoReader.Field;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelsTest {
    @TempDir
    Path tmp;

    @Test
    void onnx_decoded_isModelProtoWithIrVersion7Opset13AndProducer() {
        List<Field> model = ProtoReader.parse(TinyModels.onnx());

        assertEquals(List.of(1, 2, 7, 8), model.stream().map(Field::number).toList());
        assertEquals(7, one(model, 1).value());
        assertEquals("modelseal-testkit", one(model, 2).string());
        List<Field> opset = one(model, 8).message();
        assertEquals("", one(opset, 1).string());
        assertEquals(13, one(opset, 2).value());
    }

    @Test
    void onnx_decodedGraph_isOneAddNodeWithOnesInitializerAndFloat1x4Io() {
        List<Field> graph = one(ProtoReader.parse(TinyModels.onnx()), 7).message();

        List<Field> node = one(graph, 1).message();
        assertEquals(List.of("X", "B"), all(node, 1).stream().map(Field::string).toList());
        assertEquals("Y", one(node, 2).string());
        assertEquals("Add", one(node, 4).string());
        List<Field> bias = one(graph, 5).message();
        assertEquals(List.of(4L), all(bias, 1).stream().map(Field::value).toList());
        assertEquals(1, one(bias, 2).value());
        assertEquals("B", one(bias, 8).string());
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, littleEndianFloats(one(bias, 9).bytes()));
        assertEquals("X", one(one(graph, 11).message(), 1).string());
        assertEquals("Y", one(one(graph, 12).message(), 1).string());
        assertEquals(List.of(1L, 4L), dims(one(graph, 11).message()));
        assertEquals(List.of(1L, 4L), dims(one(graph, 12).message()));
    }

    @Test
    void onnx_calledTwice_returnsIdentical133Bytes() {
        assertArrayEquals(TinyModels.onnx(), TinyModels.onnx());
        assertEquals(133, TinyModels.onnx().length);
    }

    @Test
    void torchScript_unzipped_hasFourStoredTorchScriptEntries() throws IOException {
        Map<String, byte[]> entries = unzipStored(TinyModels.torchScript());

        assertEquals(List.of("archive/version", "archive/constants.pkl", "archive/data.pkl",
                "archive/code/__torch__.py"), new ArrayList<>(entries.keySet()));
        assertEquals("3\n", ascii(entries.get("archive/version")));
        assertArrayEquals(new byte[] {(byte) 0x80, 2, ')', '.'}, entries.get("archive/constants.pkl"));
        String code = ascii(entries.get("archive/code/__torch__.py"));
        assertEquals("class Model(Module):", code.lines().findFirst().orElseThrow());
        assertEquals("    return torch.add(x, 1.)", code.lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void torchScript_dataPickle_isProtocol2ModelWithTrainingFalse() throws IOException {
        byte[] pickle = unzipStored(TinyModels.torchScript()).get("archive/data.pkl");

        assertEquals("80 02 63 5f 5f 74 6f 72 63 68 5f 5f 0a 4d 6f 64 65 6c 0a 29 81 7d 58 08 00 00 00 74 72 61 69 6e 69"
                + " 6e 67 89 73 62 2e", hex(pickle));
    }

    @Test
    void torchScript_calledTwice_returnsIdenticalBytes() {
        assertArrayEquals(TinyModels.torchScript(), TinyModels.torchScript());
    }

    @Test
    void writeOnnx_missingParentDirectories_createsThemAndWritesBytes() throws IOException {
        Path file = TinyModels.writeOnnx(tmp.resolve("a/b/tiny.onnx"));

        assertEquals(tmp.resolve("a/b/tiny.onnx"), file);
        assertArrayEquals(TinyModels.onnx(), Files.readAllBytes(file));
    }

    @Test
    void djlModelDir_withServingProperties_writesModelAndPropertiesInOrder() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("engine", "OnnxRuntime");
        props.put("option.modelName", "model");

        Path dir = TinyModels.djlModelDir(tmp.resolve("m"), "model.onnx", TinyModels.onnx(), props);

        assertArrayEquals(TinyModels.onnx(), Files.readAllBytes(dir.resolve("model.onnx")));
        assertEquals("engine=OnnxRuntime\noption.modelName=model\n",
                Files.readString(dir.resolve("serving.properties")));
    }

    @Test
    void djlModelDir_withoutServingProperties_writesOnlyModel() throws IOException {
        Path dir = TinyModels.djlModelDir(tmp.resolve("m"), "model.pt", TinyModels.torchScript(), Map.of());

        assertArrayEquals(TinyModels.torchScript(), Files.readAllBytes(dir.resolve("model.pt")));
        assertFalse(Files.exists(dir.resolve("serving.properties")));
    }

    @Test
    void torchScriptModelDir_default_writesModelPtAndPyTorchEngine() throws IOException {
        Path dir = TinyModels.torchScriptModelDir(tmp.resolve("pt"));

        assertArrayEquals(TinyModels.torchScript(), Files.readAllBytes(dir.resolve("model.pt")));
        assertEquals("engine=PyTorch\n", Files.readString(dir.resolve("serving.properties")));
    }

    private static Map<String, byte[]> unzipStored(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static List<Long> dims(List<Field> valueInfo) {
        List<Field> tensorType = one(one(one(valueInfo, 2).message(), 1).message(), 2).message();
        return all(tensorType, 1).stream().map(d -> one(d.message(), 1).value()).toList();
    }

    private static float[] littleEndianFloats(byte[] raw) {
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[raw.length / Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
