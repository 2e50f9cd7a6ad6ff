package dev.modelseal.examples;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Tiny XGBoost and LightGBM regression models trained in code on four rows of two binary features (labels 1, 2,
 * 3, 4), so that a model predicts its training rows exactly: {@code [1.0, 2.0, 3.0, 4.0]}. Each has a tampered twin
 * with one leaf value changed that still loads and predicts {@code 10.0} (XGBoost) or {@code 9.0} (LightGBM) for
 * the first row.
 *
 * <p>Usage: {@code TinyTreeModels DIR} writes {@value #FILES} into DIR. The {@code .ser} files are Java
 * serializations of the booster ({@code Booster.writeObject}: its UBJSON bytes), the {@code .kryo} files Kryo
 * serializations ({@code Booster.write(Kryo, Output)}).
 */
public final class TinyTreeModels {
    /** The files {@link #main} writes. */
    public static final String FILES = "xgb.ubj xgb.json xgb.ser xgb.kryo lgbm.txt and each as *-tampered.*";
    /** The four training rows, row-major, two features each. */
    static final float[] ROWS = {0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f};
    private static final float[] LABELS = {1f, 2f, 3f, 4f};

    private TinyTreeModels() {
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Booster xgb = trainXgboost();
        Booster tampered = XGBoost.loadModel(tamperXgboostJson(xgb.toByteArray("json")));
        write(dir, "", xgb);
        write(dir, "-tampered", tampered);
        String lgbm = trainLightgbm();
        Files.writeString(dir.resolve("lgbm.txt"), lgbm);
        Files.writeString(dir.resolve("lgbm-tampered.txt"), tamperLightgbm(lgbm));
    }

    private static void write(Path dir, String suffix, Booster booster) throws Exception {
        Files.write(dir.resolve("xgb" + suffix + ".ubj"), booster.toByteArray("ubj"));
        Files.write(dir.resolve("xgb" + suffix + ".json"), booster.toByteArray("json"));
        ByteArrayOutputStream java = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(java)) {
            out.writeObject(booster);
        }
        Files.write(dir.resolve("xgb" + suffix + ".ser"), java.toByteArray());
        try (Output out = new Output(Files.newOutputStream(dir.resolve("xgb" + suffix + ".kryo")))) {
            kryo().writeObject(out, booster);
        }
    }

    /** A Kryo that reads and writes a {@link Booster} as XGBoost4J-Spark's does (no registration, Objenesis). */
    public static Kryo kryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
                new org.objenesis.strategy.StdInstantiatorStrategy()));
        return kryo;
    }

    /** Two rounds, depth 2, learning rate 1, no regularisation, one thread: deterministic leaves. */
    static Booster trainXgboost() throws Exception {
        DMatrix train = new DMatrix(ROWS, 4, 2, Float.NaN);
        train.setLabel(LABELS);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "reg:squarederror");
        params.put("max_depth", 2);
        params.put("eta", 1.0);
        params.put("lambda", 0.0);
        params.put("min_child_weight", 0);
        params.put("base_score", 0.5);
        params.put("nthread", 1);
        return XGBoost.train(train, params, 2, new HashMap<>(), null, null);
    }

    /** The JSON model with the first leaf of the first tree ({@code split_conditions} of a leaf) set to 9.5. */
    static byte[] tamperXgboostJson(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        int leaf = firstLeaf(listAt(text, "\"left_children\":["));
        int start = text.indexOf("\"split_conditions\":[") + "\"split_conditions\":[".length();
        String[] values = listAt(text, "\"split_conditions\":[");
        values[leaf] = "9.5E0";
        int end = text.indexOf(']', start);
        return (text.substring(0, start) + String.join(",", values) + text.substring(end))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String[] listAt(String text, String key) {
        int start = text.indexOf(key) + key.length();
        return text.substring(start, text.indexOf(']', start)).split(",");
    }

    private static int firstLeaf(String[] leftChildren) {
        for (int i = 0; i < leftChildren.length; i++) {
            if (leftChildren[i].equals("-1")) {
                return i;
            }
        }
        throw new IllegalStateException("no leaf");
    }

    /** Two iterations, four leaves, one thread, deterministic; the model as LightGBM's text format. */
    static String trainLightgbm() throws Exception {
        try (LGBMDataset data = LGBMDataset.createFromMat(ROWS, 4, 2, true,
                "min_data_in_bin=1 min_data_in_leaf=1 verbose=-1", null)) {
            data.setField("label", LABELS);
            try (LGBMBooster booster = LGBMBooster.create(data, "objective=regression num_leaves=4"
                    + " min_data_in_leaf=1 min_sum_hessian_in_leaf=0 learning_rate=1 verbose=-1 num_threads=1"
                    + " deterministic=true")) {
                booster.updateOneIter();
                booster.updateOneIter();
                return booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
            }
        }
    }

    /**
     * The text model with the first leaf value of the first tree changed from {@code 1.000…} to {@code 9.000…}: the
     * same length, so the {@code tree_sizes} header LightGBM parses the trees by still holds.
     */
    static String tamperLightgbm(String model) throws IOException {
        int at = model.indexOf("\nleaf_value=") + "\nleaf_value=".length();
        if (model.charAt(at) != '1') {
            throw new IOException("unexpected first leaf value: " + model.substring(at, model.indexOf(' ', at)));
        }
        return model.substring(0, at) + '9' + model.substring(at + 1);
    }
}
