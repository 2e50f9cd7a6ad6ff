package dev.modelseal.it.apps;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Loads a Jlama model and generates from it, in a child JVM on Java 21+ (Jlama's classes are Java 20 class files
 * and need {@code --add-modules jdk.incubator.vector}); driven by reflection, because this class is compiled for
 * Java 17. Usage: {@code JlamaLoad MODE PATH} with MODE
 *
 * <ul>
 *   <li>{@code directory}: {@code ModelSupport.loadModel(new File(PATH), F32, I8)};
 *   <li>{@code config-file}: the same with {@code PATH/config.json} (Jlama loads the file's directory);
 *   <li>{@code custom-loader}: the 9-argument {@code loadModel} with this class's own weight loader (a lambda that
 *       calls Jlama's {@code SafeTensorSupport.loadWeights}).
 * </ul>
 *
 * <p>Prints {@code generated <n> tokens, text sha256:<hex>} (greedy, 40 tokens at most, prompt "hello world") and
 * exits 0; on any failure prints {@code rejected: <class> <message>} on stderr and exits 3; bad usage exits 2.
 */
public final class JlamaLoad {
  private static final String JLAMA = "com.github.tjake.jlama.";

  private JlamaLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: JlamaLoad directory|config-file|custom-loader PATH");
      System.exit(2);
    }
    try {
      Object model = load(args[0], new File(args[1]));
      System.out.println(generate(model));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      System.err.println("rejected: " + cause.getClass().getName() + " " + cause.getMessage());
      System.exit(3);
    }
  }

  private static Object load(String mode, File dir) throws Exception {
    Class<?> support = Class.forName(JLAMA + "model.ModelSupport");
    Class<?> dtype = Class.forName(JLAMA + "safetensors.DType");
    Object f32 = enumValue(dtype, "F32");
    Object i8 = enumValue(dtype, "I8");
    switch (mode) {
      case "directory":
        return support.getMethod("loadModel", File.class, dtype, dtype).invoke(null, dir, f32, i8);
      case "config-file":
        return support.getMethod("loadModel", File.class, dtype, dtype)
            .invoke(null, new File(dir, "config.json"), f32, i8);
      case "custom-loader":
        Class<?> inference = Class.forName(JLAMA + "model.AbstractModel$InferenceType");
        Method defaultLoader = Class.forName(JLAMA + "safetensors.SafeTensorSupport")
            .getMethod("loadWeights", File.class);
        Function<File, Object> custom = f -> invoke(defaultLoader, f);
        return support.getMethod("loadModel", inference, File.class, File.class, dtype, dtype, Optional.class,
                Optional.class, Optional.class, Function.class)
            .invoke(null, enumValue(inference, "FULL_GENERATION"), dir, null, f32, i8, Optional.empty(),
                Optional.empty(), Optional.empty(), custom);
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static String generate(Object model) throws Exception {
    Object prompt = Class.forName(JLAMA + "safetensors.prompt.PromptContext").getMethod("of", String.class)
        .invoke(null, "hello world");
    java.util.function.BiConsumer<String, Float> ignore = (token, time) -> { };
    Method generate = model.getClass().getMethod("generate", UUID.class, prompt.getClass(), float.class, int.class,
        java.util.function.BiConsumer.class);
    Object response = generate.invoke(model, UUID.randomUUID(), prompt, 0.0f, 40, ignore);
    int tokens = response.getClass().getField("generatedTokens").getInt(response);
    String text = (String) response.getClass().getField("responseText").get(response);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return "generated " + tokens + " tokens, text sha256:" + HexFormat.of().formatHex(digest);
  }

  private static Object invoke(Method method, Object argument) {
    try {
      return method.invoke(null, argument);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name) {
    return Enum.valueOf((Class) type, name);
  }
}
