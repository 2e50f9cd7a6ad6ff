package dev.modelseal.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import dev.modelseal.testkit.TinyModels;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a model through exactly one runtime API, runs one prediction and prints {@code prediction: [..]}.
 *
 * <p>Usage: {@code LoadModel MODE MODEL [x1,x2,...]} (input defaults to {@code 1,2,3,4}, shape {@code [1,n]}).
 * Modes: {@code criteria}, {@code model-load-path}, {@code model-load-stream} (DJL + ONNX Runtime engine),
 * {@code ort-path}, {@code ort-bytes}, {@code ort-buffer} (plain ONNX Runtime {@code createSession(String |
 * byte[] | direct ByteBuffer)}), {@code pytorch-criteria} (DJL + PyTorch engine); {@code ort-bytes-folder}
 * ({@code createSession(byte[])} with the session option naming MODEL's folder as the external-data folder);
 * {@code ort-lora-path}, {@code ort-lora-bytes}, {@code ort-lora-buffer}: MODEL is an ONNX Runtime LoRA adapter,
 * loaded with {@code OrtLoraAdapter.create(String | byte[] | direct ByteBuffer)} and applied to the
 * {@code model.onnx} beside it (loaded by path); {@code criteria-url} (DJL + ONNX Runtime through
 * {@code Criteria.optModelUrls}: MODEL is a URL such as {@code jar:/model.zip}, or a path, passed as its
 * {@code file:} URL).
 *
 * <p>Exit codes: 0 success; 3 when a {@link SecurityException} is anywhere in the failure's cause chain; 1 on
 * any other failure (both print {@code rejected: <class> <message>} on stderr); 2 on bad usage.
 */
public final class LoadModel {
    /** All supported modes, in documentation order. */
    public static final List<String> MODES = List.of("criteria", "model-load-path", "model-load-stream",
            "ort-path", "ort-bytes", "ort-buffer", "pytorch-criteria", "ort-bytes-folder", "ort-lora-path",
            "ort-lora-bytes", "ort-lora-buffer", "criteria-url");
    /** ONNX Runtime's session option naming the external-data folder of a model loaded from memory. */
    static final String EXTERNAL_DATA_FOLDER = "session.model_external_initializers_file_folder_path";
    /** Exit code when the load was refused with a {@link SecurityException}. */
    public static final int EXIT_REJECTED = 3;
    /** Exit code for any other failure. */
    public static final int EXIT_FAILED = 1;
    /** Exit code for bad usage. */
    public static final int EXIT_USAGE = 2;

    private LoadModel() {
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the program and returns its exit code instead of exiting. */
    static int run(String[] args) {
        if (args.length < 2 || args.length > 3 || !MODES.contains(args[0])) {
            System.err.println("usage: LoadModel " + String.join("|", MODES) + " MODEL [x1,x2,...]");
            return EXIT_USAGE;
        }
        try {
            float[] input = args.length == 3 ? ExampleSupport.parseFloats(args[2]) : TinyModels.INPUT.clone();
            float[] output = args[0].equals("criteria-url") ? viaModelUrl(args[1], input)
                    : predict(args[0], Path.of(args[1]), input);
            System.out.println("prediction: " + Arrays.toString(output));
            return 0;
        } catch (Exception | LinkageError e) {
            System.err.println("rejected: " + ExampleSupport.describe(e));
            return ExampleSupport.findSecurityException(e) != null ? EXIT_REJECTED : EXIT_FAILED;
        }
    }

    /**
     * Loads {@code model} through the API named by {@code mode} and predicts {@code input}; public for programs
     * that load many models in one JVM (the integration tests' child applications). {@code criteria-url} takes
     * {@code model} as a path and passes its {@code file:} URL.
     */
    public static float[] predict(String mode, Path model, float[] input) throws Exception {
        if (!mode.startsWith("pytorch")) {
            ExampleSupport.keepOrtStandalone();
        }
        switch (mode) {
            case "criteria-url":
                return viaModelUrl(model.toString(), input);
            case "criteria":
                return viaCriteria(model, "OnnxRuntime", input);
            case "pytorch-criteria":
                return viaCriteria(model, "PyTorch", input);
            case "model-load-path":
                try (Model m = Model.newInstance("model", "OnnxRuntime")) {
                    m.load(model);
                    return ExampleSupport.predict(m, input);
                }
            case "model-load-stream":
                try (Model m = Model.newInstance("model", "OnnxRuntime");
                        InputStream in = Files.newInputStream(model)) {
                    m.load(in);
                    return ExampleSupport.predict(m, input);
                }
            case "ort-path":
                return viaOrt(env -> env.createSession(model.toString(), new OrtSession.SessionOptions()), input);
            case "ort-bytes":
                return viaOrt(env -> env.createSession(Files.readAllBytes(model), new OrtSession.SessionOptions()),
                        input);
            case "ort-buffer":
                return viaOrt(env -> env.createSession(directBuffer(Files.readAllBytes(model)),
                        new OrtSession.SessionOptions()), input);
            case "ort-bytes-folder":
                return viaOrt(env -> {
                    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                    options.addConfigEntry(EXTERNAL_DATA_FOLDER, model.toAbsolutePath().getParent().toString());
                    return env.createSession(Files.readAllBytes(model), options);
                }, input);
            case "ort-lora-path":
                return viaLora(model, () -> OrtLoraAdapter.create(model.toString()), input);
            case "ort-lora-bytes":
                return viaLora(model, () -> OrtLoraAdapter.create(Files.readAllBytes(model)), input);
            case "ort-lora-buffer":
                return viaLora(model, () -> OrtLoraAdapter.create(directBuffer(Files.readAllBytes(model))), input);
            default:
                throw new IllegalArgumentException("unknown mode: " + mode);
        }
    }

    private static float[] viaCriteria(Path model, String engine, float[] input) throws Exception {
        try (ZooModel<NDList, NDList> m = ExampleSupport.loadWithCriteria(model, engine)) {
            return ExampleSupport.predict(m, input);
        }
    }

    /** Loads through {@code Criteria.optModelUrls(url)}; a {@code model} without a scheme is a path. */
    private static float[] viaModelUrl(String model, float[] input) throws Exception {
        ExampleSupport.keepOrtStandalone();
        String url = model.matches("[a-z]+:.*") ? model : Path.of(model).toAbsolutePath().toUri().toString();
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelUrls(url)
                .optEngine("OnnxRuntime")
                .optTranslator(new NoopTranslator())
                .build();
        try (ZooModel<NDList, NDList> m = criteria.loadModel()) {
            return ExampleSupport.predict(m, input);
        }
    }

    /** Creates an ORT session and runs {@code input} (shape {@code [1,n]}) through its first input/output. */
    private static float[] viaOrt(SessionFactory factory, float[] input) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long start = System.nanoTime();
        try (OrtSession session = timed(factory.create(env), start);
                OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {input});
                OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), x))) {
            return ((float[][]) result.get(0).getValue())[0];
        }
    }

    /**
     * With {@code -Dexamples.timing=true} (the benchmarks), prints {@code session-ms <n>} to standard error: how long
     * creating the session took, a guarding agent's check included.
     */
    private static OrtSession timed(OrtSession session, long start) {
        if (Boolean.getBoolean("examples.timing")) {
            System.err.println("session-ms " + (System.nanoTime() - start) / 1_000_000);
        }
        return session;
    }

    /** Runs {@code input} through the {@code model.onnx} beside {@code adapter} with the adapter active. */
    private static float[] viaLora(Path adapter, AdapterFactory factory, float[] input) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String model = adapter.toAbsolutePath().resolveSibling("model.onnx").toString();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OrtLoraAdapter lora = factory.create();
                OrtSession.RunOptions run = new OrtSession.RunOptions();
                OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {input})) {
            run.addActiveLoraAdapter(lora);
            try (OrtSession.Result result = session.run(Map.of(TinyModels.ONNX_INPUT_NAME, x), run)) {
                return ((float[][]) result.get(0).getValue())[0];
            }
        }
    }

    private static ByteBuffer directBuffer(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }

    /** Loads an ORT LoRA adapter through one specific {@code OrtLoraAdapter.create} overload. */
    @FunctionalInterface
    private interface AdapterFactory {
        OrtLoraAdapter create() throws OrtException, java.io.IOException;
    }

    /** Opens an ORT session through one specific {@code createSession} overload. */
    @FunctionalInterface
    private interface SessionFactory {
        OrtSession create(OrtEnvironment env) throws OrtException, java.io.IOException;
    }
}
