package dev.modelseal.examples;

import ai.djl.Model;
import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;

/** Shared plumbing of the example programs: DJL loading and prediction, input parsing, error descriptions. */
public final class ExampleSupport {
    /** DJL system property that stops the ONNX Runtime engine from also initialising PyTorch for NDArray ops. */
    public static final String ORT_DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

    private ExampleSupport() {
    }

    /**
     * Keeps ONNX Runtime runs independent of libtorch (which is on the same classpath and would otherwise be
     * extracted and loaded as ORT's "alternative engine"), unless the caller set the property explicitly.
     */
    public static void keepOrtStandalone() {
        if (System.getProperty(ORT_DISABLE_ALTERNATIVE) == null) {
            System.setProperty(ORT_DISABLE_ALTERNATIVE, "true");
        }
    }

    /** Loads {@code modelPath} (file or DJL model directory) through DJL {@link Criteria} with {@code engine}. */
    public static ZooModel<NDList, NDList> loadWithCriteria(Path modelPath, String engine)
            throws IOException, ModelException {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelPath)
                .optEngine(engine)
                .optTranslator(new NoopTranslator())
                .build();
        return criteria.loadModel();
    }

    /** Runs one prediction on a loaded model with input shape {@code [1, input.length]}. */
    public static float[] predict(Model model, float[] input) throws TranslateException {
        try (NDManager manager = model.getNDManager().newSubManager();
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDList x = new NDList(manager.create(input, new Shape(1, input.length)));
            return predictor.predict(x).singletonOrThrow().toFloatArray();
        }
    }

    /** Parses {@code "1,2,3,4"} or {@code "[1, 2, 3, 4]"} into floats. */
    public static float[] parseFloats(String text) {
        String body = text.strip();
        if (body.startsWith("[") && body.endsWith("]")) {
            body = body.substring(1, body.length() - 1);
        }
        String[] parts = body.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: '" + parts[i].strip() + "'", e);
            }
        }
        return values;
    }

    /** Returns the first {@link SecurityException} in the cause chain of {@code t}, or {@code null}. */
    public static SecurityException findSecurityException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SecurityException) {
                return (SecurityException) c;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /**
     * Describes a failure as {@code "<class> <message>"}: the first {@link SecurityException} in the chain if
     * there is one, else {@code t} followed by {@code " (caused by <class>: <message>)"} for its root cause
     * unless {@code t}'s message already contains the root cause's message.
     */
    public static String describe(Throwable t) {
        SecurityException security = findSecurityException(t);
        if (security != null) {
            return security.getClass().getName() + " " + security.getMessage();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = t.getClass().getName() + " " + t.getMessage();
        if (root == t || String.valueOf(t.getMessage()).contains(String.valueOf(root.getMessage()))) {
            return text;
        }
        return text + " (caused by " + root.getClass().getName() + ": " + root.getMessage() + ")";
    }
}
