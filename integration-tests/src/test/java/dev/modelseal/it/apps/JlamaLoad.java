package dev.modelseal.it.apps;

import java.io.File;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Loads a Jlama model and generates from it, in a child JVM on Java 21+ (Jlama's classes are Java 20 class files
 * and need {@code --add-modules jdk.incubator.vector}); driven by reflection, because this class is compiled for
 * Java 17. Usage: {@code JlamaLoad MODE PATH [OTHER]} with MODE
 *
 * <ul>
 *   <li>{@code directory}: {@code ModelSupport.loadModel(new File(PATH), F32, I8)};
 *   <li>{@code config-file}: the same with {@code PATH/config.json} (Jlama loads the file's directory);
 *   <li>{@code method-reference}: the 9-argument {@code loadModel} with {@code SafeTensorSupport::loadWeights} as
 *       written in this class (as LangChain4j's {@code JlamaModel.Loader.load()} passes it): the same {@code
 *       invokedynamic} bootstrap javac emits for it, with this class's lookup, so a lambda nested in this class;
 *   <li>{@code other-directory-loader}: the 9-argument {@code loadModel} with a lambda that ignores the directory
 *       it is given and returns {@code SafeTensorSupport.loadWeights(new File(OTHER))};
 *   <li>{@code constructor-read-weights}: {@code new LlamaModel(config, weights, tokenizer, F32, I8,
 *       Optional.empty())} with config and tokenizer from PATH and weights from {@code
 *       SafeTensorSupport.readWeights(ByteBuffer)} over the bytes of {@code OTHER/model.safetensors};
 *   <li>{@code constructor-index}: the same with weights from {@code SafeTensorIndex.loadSingleFile(OTHER,
 *       "model.safetensors")};
 *   <li>{@code langchain4j}: LangChain4j's {@code JlamaLanguageModel} with PATH as its model cache (see
 *       {@link #langChain4j}).
 * </ul>
 *
 * <p>Prints {@code generated <n> tokens, text sha256:<hex>} (greedy, 40 tokens at most, prompt "hello world") and
 * exits 0; on any failure prints {@code rejected: <class> <message>} on stderr and exits 3; bad usage exits 2.
 */
public final class JlamaLoad {
  private static final String JLAMA = "com.github.tjake.jlama.";

  private JlamaLoad() {}

  public static void main(String[] args) throws Throwable {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: JlamaLoad MODE PATH [OTHER]");
      System.exit(2);
    }
    try {
      File other = args.length == 3 ? new File(args[2]) : null;
      if (args[0].equals("langchain4j")) {
        System.out.println(langChain4j(new File(args[1])));
        return;
      }
      Object model = args[0].startsWith("constructor-") ? construct(args[0], new File(args[1]), other)
          : load(args[0], new File(args[1]), other);
      System.out.println(generate(model));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      System.err.println("rejected: " + cause.getClass().getName() + " " + cause.getMessage());
      System.exit(3);
    }
  }

  private static Object load(String mode, File dir, File other) throws Throwable {
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
      case "method-reference":
      case "other-directory-loader":
        Method defaultLoader = loadWeights();
        Function<?, ?> loader = mode.equals("method-reference") ? methodReference()
            : (Function<File, Object>) f -> invoke(defaultLoader, other);
        Class<?> inference = Class.forName(JLAMA + "model.AbstractModel$InferenceType");
        return support.getMethod("loadModel", inference, File.class, File.class, dtype, dtype, Optional.class,
                Optional.class, Optional.class, Function.class)
            .invoke(null, enumValue(inference, "FULL_GENERATION"), dir, null, f32, i8, Optional.empty(),
                Optional.empty(), Optional.empty(), loader);
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  /** {@code SafeTensorSupport::loadWeights} written in this class: what javac's invokedynamic bootstrap makes. */
  private static Function<?, ?> methodReference() throws Throwable {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Method target = loadWeights();
    MethodType erased = MethodType.methodType(Object.class, Object.class);
    return (Function<?, ?>) LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
        erased, lookup.unreflect(target), MethodType.methodType(target.getReturnType(), File.class))
        .getTarget().invokeExact();
  }

  private static Method loadWeights() throws ReflectiveOperationException {
    return Class.forName(JLAMA + "safetensors.SafeTensorSupport").getMethod("loadWeights", File.class);
  }

  /** A model made with its constructor, as {@code ModelSupport.loadModel} makes it, but with the mode's weights. */
  private static Object construct(String mode, File dir, File other) throws Exception {
    Class<?> dtype = Class.forName(JLAMA + "safetensors.DType");
    Object llama = enumValue(Class.forName(JLAMA + "model.ModelSupport$ModelType"), "LLAMA");
    Class<?> configClass = (Class<?>) llama.getClass().getField("configClass").get(llama);
    Object mapper = Class.forName(JLAMA + "util.JsonSupport").getField("om").get(null);
    Object config = mapper.getClass().getMethod("readValue", File.class, Class.class)
        .invoke(mapper, new File(dir, "config.json"), configClass);
    Class<?> tokenizerClass = (Class<?>) llama.getClass().getField("tokenizerClass").get(llama);
    Object tokenizer = tokenizerClass.getConstructor(java.nio.file.Path.class).newInstance(dir.toPath());
    Object weights;
    if (mode.equals("constructor-read-weights")) {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(new File(other, "model.safetensors").toPath()))
          .order(ByteOrder.LITTLE_ENDIAN);
      weights = Class.forName(JLAMA + "safetensors.SafeTensorSupport").getMethod("readWeights", ByteBuffer.class)
          .invoke(null, bytes);
    } else if (mode.equals("constructor-index")) {
      weights = Class.forName(JLAMA + "safetensors.SafeTensorIndex")
          .getMethod("loadSingleFile", java.nio.file.Path.class, String.class)
          .invoke(null, other.toPath(), "model.safetensors");
    } else {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    Class<?> modelClass = (Class<?>) llama.getClass().getField("modelClass").get(llama);
    return modelClass.getConstructor(Class.forName(JLAMA + "safetensors.Config"),
            Class.forName(JLAMA + "safetensors.WeightLoader"), Class.forName(JLAMA + "safetensors.tokenizer.Tokenizer"),
            dtype, dtype, Optional.class)
        .newInstance(config, weights, tokenizer, enumValue(dtype, "F32"), enumValue(dtype, "I8"), Optional.empty());
  }

  /**
   * LangChain4j ({@code langchain4j-jlama}): {@code JlamaLanguageModel.builder().modelName("modelseal/tiny")
   * .modelCachePath(CACHE).temperature(0f).maxTokens(40).build().generate("hello world")}, whose registry finds the
   * model in {@code CACHE/modelseal_tiny} (marked complete by its {@code .finished} file, so nothing is fetched) and
   * whose {@code JlamaModel.Loader.load()} passes {@code SafeTensorSupport::loadWeights} to {@code loadModel}.
   */
  private static String langChain4j(File cache) throws Exception {
    Class<?> type = Class.forName("dev.langchain4j.model.jlama.JlamaLanguageModel");
    Object builder = type.getMethod("builder").invoke(null);
    Class<?> b = builder.getClass();
    b.getMethod("modelName", String.class).invoke(builder, "modelseal/tiny");
    b.getMethod("modelCachePath", java.nio.file.Path.class).invoke(builder, cache.toPath());
    b.getMethod("temperature", Float.class).invoke(builder, 0.0f);
    b.getMethod("maxTokens", Integer.class).invoke(builder, 40);
    Object model = b.getMethod("build").invoke(builder);
    Object response = type.getMethod("generate", String.class).invoke(model, "hello world");
    String text = (String) response.getClass().getMethod("content").invoke(response);
    Object usage = response.getClass().getMethod("tokenUsage").invoke(response);
    Object tokens = usage.getClass().getMethod("outputTokenCount").invoke(usage);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return "generated " + tokens + " tokens, text sha256:" + HexFormat.of().formatHex(digest);
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
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // the agent's refusal, as the caller of Jlama's method would see it
      }
      throw new IllegalStateException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name) {
    return Enum.valueOf((Class) type, name);
  }
}
