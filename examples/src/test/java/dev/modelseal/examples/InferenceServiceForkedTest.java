package dev.modelseal.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.RunningJvm;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts {@link InferenceService} in a child JVM on an ephemeral port and talks HTTP to it. */
class InferenceServiceForkedTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @Test
    void main_djlModelDirectory_servesPredictionsOverHttp() throws Exception {
        Path dir = TinyModels.onnxModelDir(tmp.resolve("tiny"));

        try (RunningJvm service = Children.fork(InferenceService.class, dir.toString(), "0").start()) {
            String line = service.awaitStdoutLine(l -> l.startsWith("listening on port "), Duration.ofSeconds(60));
            URI predict = URI.create("http://127.0.0.1:" + line.substring("listening on port ".length()) + "/predict");

            HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(predict + "?x=1,2,3,4")).GET());
            HttpResponse<String> post = send(HttpRequest.newBuilder(predict)
                    .POST(HttpRequest.BodyPublishers.ofString("[10, 20, 30, 40]")));
            HttpResponse<String> wrongShape = send(HttpRequest.newBuilder(URI.create(predict + "?x=1,2,3")).GET());

            assertEquals(200, get.statusCode());
            assertEquals("{\"prediction\":[2.0,3.0,4.0,5.0]}", get.body());
            assertEquals("application/json", get.headers().firstValue("Content-Type").orElse(""));
            assertEquals("{\"prediction\":[11.0,21.0,31.0,41.0]}", post.body());
            assertEquals(400, wrongShape.statusCode());
            assertTrue(wrongShape.body().contains("Got: 3 Expected: 4"), wrongShape.body());
            assertEquals("listening on port " + predict.getPort() + System.lineSeparator(), service.stdout());
        }
    }

    @Test
    void main_unloadableModel_printsErrorAndExits1() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.onnx"), "not a model");

        ForkedJvm.Result result = Children.fork(InferenceService.class, garbage.toString(), "0").run();

        assertEquals(1, result.exitCode(), result::toString);
        assertFalse(result.stdout().contains("listening"), result::toString);
        assertTrue(result.stderr().lines().anyMatch(l -> l.equals("Error: ai.djl.MalformedModelException ONNX Model "
                + "cannot be loaded (caused by ai.onnxruntime.OrtException: Error code - ORT_INVALID_PROTOBUF - "
                + "message: Load model from " + garbage + " failed:Protobuf parsing failed.)")), result::toString);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
