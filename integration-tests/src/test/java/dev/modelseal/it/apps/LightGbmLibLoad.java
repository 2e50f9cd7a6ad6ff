package dev.modelseal.it.apps;

import dev.modelseal.examples.ExampleSupport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code LightGbmLibLoad file|string MODEL}: loads a LightGBM model through Microsoft's own SWIG build, {@code
 * com.microsoft.ml.lightgbm:lightgbmlib} (SynapseML's: the same class {@code com.microsoft.ml.lightgbm.lightgbmlib}
 * lightgbm4j ships, so the child has only this jar of the two), with {@code LGBM_BoosterCreateFromModelfile(path, ...)}
 * or {@code LGBM_BoosterLoadModelFromString(text, ...)} (the file read as UTF-8), predicts the four training rows of
 * the examples' {@code TinyTreeModels} with {@code LGBM_BoosterPredictForMat} and prints {@code prediction: [..]} (as
 * floats). Exit codes as the examples' {@code LoadTreeModel}: 0, 3 for a {@code SecurityException} in the cause chain,
 * 1 for any other failure (both print {@code rejected: <class> <message>} on stderr), 2 on bad usage.
 *
 * <p>The jar has no loader of its own: as SynapseML does, its two native libraries ({@code
 * com/microsoft/ml/lightgbm/linux/x86_64/lib_lightgbm.so}, then {@code lib_lightgbm_swig.so}, which needs the first)
 * are copied out of the jar into a new folder under {@code java.io.tmpdir} and loaded with {@code System.load}. Driven
 * by reflection: the jar is kept off the test classpath, where lightgbm4j's class of the same name is.
 */
public final class LightGbmLibLoad {
  private static final String NATIVES = "/com/microsoft/ml/lightgbm/linux/x86_64/";
  private static final double[] ROWS = {0, 0, 0, 1, 1, 0, 1, 1};

  private LightGbmLibLoad() {}

  public static void main(String[] args) {
    if (args.length != 2 || !(args[0].equals("file") || args[0].equals("string"))) {
      System.err.println("usage: LightGbmLibLoad file|string MODEL");
      System.exit(2);
    }
    try {
      System.out.println("prediction: " + Arrays.toString(predict(args[0], Path.of(args[1]))));
      System.exit(0);
    } catch (Exception | LinkageError e) {
      System.err.println("rejected: " + ExampleSupport.describe(e));
      System.exit(ExampleSupport.findSecurityException(e) != null ? 3 : 1);
    }
  }

  private static float[] predict(String mode, Path model) throws Exception {
    loadNatives();
    Class<?> lib = Class.forName("com.microsoft.ml.lightgbm.lightgbmlib");
    String jar = lib.getProtectionDomain().getCodeSource().getLocation().getPath();
    if (!jar.substring(jar.lastIndexOf('/') + 1).startsWith("lightgbmlib-")) {
      throw new IllegalStateException("the SWIG class comes from " + jar + ", not Microsoft's lightgbmlib jar");
    }
    Object out = call(lib, "new_voidpp");
    Object iterations = call(lib, "new_intp");
    int rc = mode.equals("file")
        ? (int) call(lib, "LGBM_BoosterCreateFromModelfile", model.toString(), iterations, out)
        : (int) call(lib, "LGBM_BoosterLoadModelFromString", Files.readString(model, StandardCharsets.UTF_8),
            iterations, out);
    check(lib, rc);
    Object booster = call(lib, "voidpp_value", out);
    Object data = call(lib, "new_doubleArray", (long) ROWS.length);
    for (int i = 0; i < ROWS.length; i++) {
      call(lib, "doubleArray_setitem", data, (long) i, ROWS[i]);
    }
    Object length = call(lib, "new_int64_tp");
    Object result = call(lib, "new_doubleArray", 4L);
    Class<?> constants = Class.forName("com.microsoft.ml.lightgbm.lightgbmlibConstants");
    int float64 = constants.getField("C_API_DTYPE_FLOAT64").getInt(null);
    int normal = constants.getField("C_API_PREDICT_NORMAL").getInt(null);
    check(lib, (int) call(lib, "LGBM_BoosterPredictForMat", booster, call(lib, "double_to_voidp_ptr", data), float64,
        4, 2, 1, normal, 0, -1, "", length, result));
    float[] p = new float[(int) (long) call(lib, "int64_tp_value", length)];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (double) call(lib, "doubleArray_getitem", result, (long) i);
    }
    check(lib, (int) call(lib, "LGBM_BoosterFree", booster));
    return p;
  }

  private static void loadNatives() throws IOException {
    Path dir = Files.createTempDirectory("lightgbmlib-");
    for (String name : new String[] {"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
      Path target = dir.resolve(name);
      try (InputStream in = LightGbmLibLoad.class.getResourceAsStream(NATIVES + name)) {
        if (in == null) {
          throw new IllegalStateException("no " + NATIVES + name + " on the classpath");
        }
        Files.copy(in, target);
      }
      System.load(target.toString());
    }
  }

  private static void check(Class<?> lib, int rc) throws Exception {
    if (rc != 0) {
      throw new IllegalStateException("LightGBM error " + rc + ": " + call(lib, "LGBM_GetLastError"));
    }
  }

  /** Calls the static method {@code name} of {@code type} with as many parameters (SWIG overloads none of these). */
  private static Object call(Class<?> type, String name, Object... args) throws Exception {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        return m.invoke(null, args);
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + "/" + args.length);
  }
}
