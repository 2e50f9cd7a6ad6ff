package dev.modelseal.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Forks {@link LoadModel} for every mode on freshly generated tiny models and checks the exact prediction. */
class LoadModelForkedTest {
    private static final String NL = System.lineSeparator();
    private static final String EXPECTED = "prediction: [2.0, 3.0, 4.0, 5.0]" + NL;

    @TempDir
    static Path models;

    @BeforeAll
    static void writeModels() throws IOException {
        TinyModels.writeOnnx(models.resolve("add.onnx"));
        TinyModels.onnxModelDir(models.resolve("onnx-dir"));
        TinyModels.writeTorchScript(models.resolve("add.pt"));
        TinyModels.torchScriptModelDir(models.resolve("pt-dir"));
        Files.writeString(models.resolve("garbage.onnx"), "not a model");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "criteria, add.onnx", "criteria, onnx-dir",
        "model-load-path, add.onnx", "model-load-path, onnx-dir",
        "model-load-stream, add.onnx",
        "ort-path, add.onnx", "ort-bytes, add.onnx", "ort-buffer, add.onnx",
        "pytorch-criteria, add.pt", "pytorch-criteria, pt-dir"})
    void main_tinyModelThroughMode_printsXPlusOne(String mode, String model) throws InterruptedException {
        ForkedJvm.Result result = Children.fork(LoadModel.class, mode, models.resolve(model).toString()).run();

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(EXPECTED, result.stdout(), result::toString);
    }

    @Test
    void main_explicitInput_predictsThatInput() throws InterruptedException {
        ForkedJvm.Result result = Children.fork(LoadModel.class, "ort-bytes",
                models.resolve("add.onnx").toString(), "10,20,30,40").run();

        assertEquals("prediction: [11.0, 21.0, 31.0, 41.0]" + NL, result.stdout(), result::toString);
    }

    @Test
    void main_garbageModelViaOrtBytes_exits1WithRejectedLine() throws InterruptedException {
        ForkedJvm.Result result = Children.fork(LoadModel.class, "ort-bytes",
                models.resolve("garbage.onnx").toString()).run();

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("", result.stdout());
        assertEquals(List.of("rejected: ai.onnxruntime.OrtException Error code - ORT_INVALID_PROTOBUF - message: "
                + "Failed to load model because protobuf parsing failed."), rejectedLines(result));
    }

    @Test
    void main_garbageModelViaCriteria_exits1WithMalformedModel() throws InterruptedException {
        Path garbage = models.resolve("garbage.onnx");
        ForkedJvm.Result result = Children.fork(LoadModel.class, "criteria", garbage.toString()).run();

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("rejected: ai.djl.MalformedModelException ONNX Model cannot be loaded (caused by "
                + "ai.onnxruntime.OrtException: Error code - ORT_INVALID_PROTOBUF - message: Load model from "
                + garbage + " failed:Protobuf parsing failed.)"), rejectedLines(result));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ort-bytes", "model-load-stream"})
    void main_modelReadDeniedWithSecurityException_exits3(String mode) throws InterruptedException {
        Path model = models.resolve("add.onnx");
        ForkedJvm.Result result = Children.fork(DenyModelReadMain.class, mode, model.toString())
                .jvmArgs("-Djava.security.manager=allow").run();

        assertEquals(LoadModel.EXIT_REJECTED, result.exitCode(), result::toString);
        assertEquals("", result.stdout());
        assertEquals(List.of("rejected: java.lang.SecurityException read denied: " + model), rejectedLines(result));
    }

    @Test
    void main_unknownMode_exits2WithUsage() throws InterruptedException {
        ForkedJvm.Result result = Children.fork(LoadModel.class, "tensorflow", "x").run();

        assertEquals(LoadModel.EXIT_USAGE, result.exitCode(), result::toString);
        assertTrue(result.stderr().startsWith("usage: LoadModel criteria|model-load-path|"), result::toString);
    }

    private static List<String> rejectedLines(ForkedJvm.Result result) {
        return result.stderr().lines().filter(l -> l.startsWith("rejected: ")).toList();
    }
}
