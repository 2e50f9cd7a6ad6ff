package dev.modelseal.examples;

import ai.djl.ModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A small real inference service: loads an ONNX model (an {@code .onnx} file or a DJL model directory) with DJL
 * {@code Criteria} and the OnnxRuntime engine, then serves predictions over HTTP on the loopback interface.
 *
 * <p>Usage: {@code InferenceService MODEL PORT} (port 0 picks an ephemeral one). Once ready it prints exactly one
 * stdout line {@code listening on port N}. Endpoints: {@code GET /predict?x=1,2,3,4} and {@code POST /predict} with
 * body {@code [1,2,3,4]} (or {@code 1,2,3,4}); both answer {@code {"prediction":[2.0,3.0,4.0,5.0]}}, or status 400
 * with {@code {"error":"..."}}. If the model cannot be loaded it prints {@code Error: <class> <message>} on stderr
 * and exits 1.
 */
public final class InferenceService implements AutoCloseable {
    private final ZooModel<NDList, NDList> model;
    private final HttpServer server;

    private InferenceService(ZooModel<NDList, NDList> model, int port) throws IOException {
        this.model = model;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/predict", this::handle);
        server.start();
    }

    /** Loads the model and starts serving on {@code port} (0 = ephemeral). */
    public static InferenceService start(Path modelPath, int port) throws IOException, ModelException {
        ExampleSupport.keepOrtStandalone();
        ZooModel<NDList, NDList> model = ExampleSupport.loadWithCriteria(modelPath, "OnnxRuntime");
        try {
            return new InferenceService(model, port);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Runs one prediction with input shape {@code [1, x.length]}; calls are serialised. */
    public synchronized float[] predict(float[] x) throws TranslateException {
        return ExampleSupport.predict(model, x);
    }

    /** Stops the server and releases the model. */
    @Override
    public void close() {
        server.stop(0);
        synchronized (this) {
            model.close();
        }
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: InferenceService MODEL PORT");
            System.exit(2);
        }
        InferenceService service;
        try {
            service = start(Path.of(args[0]), Integer.parseInt(args[1]));
        } catch (Exception | LinkageError e) {
            System.err.println("Error: " + ExampleSupport.describe(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "inference-service-shutdown"));
        System.out.println("listening on port " + service.port());
        System.out.flush();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/predict".equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, "{\"error\":\"not found\"}");
                return;
            }
            String input;
            if ("GET".equals(exchange.getRequestMethod())) {
                input = queryParameter(exchange.getRequestURI().getRawQuery(), "x");
            } else if ("POST".equals(exchange.getRequestMethod())) {
                input = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            } else {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                respond(exchange, 405, "{\"error\":\"method not allowed\"}");
                return;
            }
            if (input == null || input.isBlank()) {
                respond(exchange, 400, "{\"error\":\"missing input x\"}");
                return;
            }
            try {
                respond(exchange, 200, "{\"prediction\":" + toJson(predict(ExampleSupport.parseFloats(input))) + "}");
            } catch (IllegalArgumentException | TranslateException | ai.djl.engine.EngineException e) {
                respond(exchange, 400, "{\"error\":" + jsonString(ExampleSupport.describe(e)) + "}");
            }
        }
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && name.equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Formats floats as a JSON array; non-finite values become {@code null}. */
    static String toJson(float[] values) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            json.append(i == 0 ? "" : ",").append(Float.isFinite(values[i]) ? Float.toString(values[i]) : "null");
        }
        return json.append(']').toString();
    }

    private static String jsonString(String s) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
