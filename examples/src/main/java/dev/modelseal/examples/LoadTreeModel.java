package dev.modelseal.examples;

import com.esotericsoftware.kryo.io.Input;
import com.microsoft.ml.lightgbm.PredictionType;
import io.github.metarank.lightgbm4j.LGBMBooster;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Loads a tree model ({@link TinyTreeModels}) through exactly one XGBoost4J or LightGBM API, predicts its four
 * training rows and prints {@code prediction: [..]} (as floats).
 *
 * <p>Usage: {@code LoadTreeModel MODE MODEL}. Modes: {@code xgb-path}, {@code xgb-bytes}, {@code xgb-stream}
 * ({@code XGBoost.loadModel(String | byte[] | InputStream)}), {@code xgb-java} (Java deserialization of a
 * {@code Booster}), {@code xgb-kryo} (Kryo deserialization), {@code lgbm-file}, {@code lgbm-string} (lightgbm4j
 * {@code LGBMBooster.createFromModelfile(String)} / {@code loadModelFromString(String)}, the text read as UTF-8).
 *
 * <p>Exit codes as {@link LoadModel}'s: 0 success; 3 when a {@link SecurityException} is in the failure's cause
 * chain; 1 on any other failure (both print {@code rejected: <class> <message>} on stderr); 2 on bad usage.
 */
public final class LoadTreeModel {
    /** All supported modes, in documentation order. */
    public static final List<String> MODES = List.of("xgb-path", "xgb-bytes", "xgb-stream", "xgb-java", "xgb-kryo",
            "lgbm-file", "lgbm-string");

    private LoadTreeModel() {
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 2 || !MODES.contains(args[0])) {
            System.err.println("usage: LoadTreeModel " + String.join("|", MODES) + " MODEL");
            return LoadModel.EXIT_USAGE;
        }
        try {
            float[] output = predict(args[0], Path.of(args[1]));
            System.out.println("prediction: " + Arrays.toString(output));
            return 0;
        } catch (Exception | LinkageError e) {
            System.err.println("rejected: " + ExampleSupport.describe(e));
            return ExampleSupport.findSecurityException(e) != null ? LoadModel.EXIT_REJECTED : LoadModel.EXIT_FAILED;
        }
    }

    static float[] predict(String mode, Path model) throws Exception {
        if (mode.startsWith("lgbm")) {
            try (LGBMBooster booster = mode.equals("lgbm-file") ? LGBMBooster.createFromModelfile(model.toString())
                    : LGBMBooster.loadModelFromString(Files.readString(model))) {
                double[] p = booster.predictForMat(TinyTreeModels.ROWS, 4, 2, true,
                        PredictionType.C_API_PREDICT_NORMAL);
                float[] out = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    out[i] = (float) p[i];
                }
                return out;
            }
        }
        Booster booster = xgboost(mode, model);
        try {
            float[][] p = booster.predict(new DMatrix(TinyTreeModels.ROWS, 4, 2, Float.NaN));
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } finally {
            booster.dispose();
        }
    }

    private static Booster xgboost(String mode, Path model) throws Exception {
        switch (mode) {
            case "xgb-path":
                return XGBoost.loadModel(model.toString());
            case "xgb-bytes":
                return XGBoost.loadModel(Files.readAllBytes(model));
            case "xgb-stream":
                try (InputStream in = Files.newInputStream(model)) {
                    return XGBoost.loadModel(in);
                }
            case "xgb-java":
                try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(model))) {
                    return (Booster) in.readObject();
                }
            case "xgb-kryo":
                try (Input in = new Input(Files.newInputStream(model))) {
                    return TinyTreeModels.kryo().readObject(in, Booster.class);
                }
            default:
                throw new IllegalArgumentException("unknown mode: " + mode);
        }
    }
}
