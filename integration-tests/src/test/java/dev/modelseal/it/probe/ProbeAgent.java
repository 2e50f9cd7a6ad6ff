package dev.modelseal.it.probe;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.utility.JavaModule;

/**
 * A test-only second agent that observes what the model runtimes receive. It advises:
 *
 * <ul>
 *   <li>{@code ai.onnxruntime.OrtSession}'s package-private constructors (path, byte[], ByteBuffer): the runtime's
 *       own loading step, called by {@code OrtEnvironment.createSession(..., OrtAllocator, ...)} after ModelSeal's
 *       check and immediately before the native read: {@code runtime-received};
 *   <li>{@code ai.djl.pytorch.jni.JniUtils.loadModule(PtNDManager, Path, ...)}: the method ModelSeal guards itself
 *       (its native callee cannot be advised): {@code runtime-received}, correct only if ModelSeal's advice runs
 *       before this one (checked by the ordering tests);
 *   <li>{@code ai.onnxruntime.OrtLoraAdapter.create(String|byte[]|ByteBuffer, OrtAllocator)}: the method ModelSeal
 *       guards itself, right before the native read: {@code runtime-received}, correct only if ModelSeal's advice
 *       runs before this one (it does for this non-retransformable probe, see {@code ProbeOrderingIT});
 *   <li>XGBoost4J's static {@code ml.dmlc.xgboost4j.java.Booster.loadModel(String|byte[])} and LightGBM's SWIG
 *       {@code com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterCreateFromModelfile(String, ...)} /
 *       {@code LGBM_BoosterLoadModelFromString(String, ...)} (the model text, shown as {@code text[length] sha256}
 *       of its UTF-8): the methods ModelSeal guards itself, right before the native call: {@code runtime-received},
 *       correct for the same reason as {@code OrtLoraAdapter.create};
 *   <li>{@code OrtEnvironment.createSession(String|byte[]|ByteBuffer, OrtAllocator, SessionOptions)} and
 *       {@code ai.djl.onnxruntime.engine.OrtModel.load(Path, String, Map)}: {@code entered} (ordering, swap point);
 *   <li>Jlama's first reads after {@code ModelSupport.loadModel}'s check: {@code SafeTensorSupport.detectModel(File)}
 *       (config.json), {@code SafeTensorSupport.loadTokenizer(Path)} and {@code SafeTensorIndex.loadWeights(
 *       SafeTensorIndex, Path)} (maps the weights): {@code runtime-received}.
 * </ul>
 *
 * <p>{@code -Dprobe.retransform=true} registers its transformer as retransformation-capable (default: not), which
 * decides where its advice lands relative to ModelSeal's; see {@code ProbeOrderingIT}.
 */
public final class ProbeAgent {
  private ProbeAgent() {}

  public static void premain(String args, Instrumentation inst) {
    AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
        .include(ProbeAgent.class.getClassLoader());
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges();
    if (Boolean.getBoolean("probe.retransform")) {
      // Registers the probe's transformer as retransformation-capable, like ModelSeal's (ordering tests).
      builder = builder.with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
    }
    builder
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .ignore(not(nameStartsWith("ai.onnxruntime.").or(nameStartsWith("ai.djl."))
            .or(nameStartsWith("ml.dmlc.xgboost4j.java.")).or(nameStartsWith("com.microsoft.ml.lightgbm."))
            .or(nameStartsWith("com.github.tjake.jlama.safetensors."))))
        .with(new AgentBuilder.Listener.Adapter() {
          @Override
          public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
              Throwable t) {
            System.err.println("PROBE error " + typeName + " " + t);
          }
        })
        .type(named("ai.onnxruntime.OrtSession"))
        .transform(advice.advice(isConstructor().and(takesArguments(4)), RuntimeArg1.class.getName()))
        .type(named("ai.onnxruntime.OrtEnvironment"))
        .transform(advice.advice(named("createSession").and(takesArguments(3)), EnteredArg0.class.getName()))
        .type(named("ai.djl.pytorch.jni.JniUtils"))
        .transform(advice.advice(isStatic().and(named("loadModule")).and(takesArgument(1, Path.class)),
            RuntimeArg1.class.getName()))
        .type(named("ai.onnxruntime.OrtLoraAdapter"))
        .transform(advice.advice(isStatic().and(named("create")).and(takesArguments(2)),
            RuntimeArg0.class.getName()))
        .type(named("ai.djl.onnxruntime.engine.OrtModel"))
        .transform(advice.advice(named("load").and(takesArgument(0, Path.class)), EnteredArg0.class.getName()))
        .type(named("ml.dmlc.xgboost4j.java.Booster"))
        .transform(advice.advice(isStatic().and(named("loadModel")).and(takesArguments(1)),
            RuntimeArg0.class.getName()))
        .type(named("com.microsoft.ml.lightgbm.lightgbmlib"))
        .transform(advice.advice(named("LGBM_BoosterCreateFromModelfile"), RuntimeArg0.class.getName())
            .advice(named("LGBM_BoosterLoadModelFromString"), RuntimeTextArg0.class.getName()))
        .type(named("com.github.tjake.jlama.safetensors.SafeTensorSupport"))
        .transform(advice.advice(isStatic().and(named("detectModel").or(named("loadTokenizer"))),
            RuntimeArg0.class.getName()))
        .type(named("com.github.tjake.jlama.safetensors.SafeTensorIndex"))
        .transform(advice.advice(isStatic().and(named("loadWeights")).and(takesArguments(2)),
            RuntimeArg1.class.getName()))
        .installOn(inst);
    System.err.println("PROBE installed");
  }

  /** Argument 1 is the model the runtime is about to read. */
  public static final class RuntimeArg1 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String where, @Advice.Argument(1) Object model) {
      Probe.runtimeReceived(where, model);
    }
  }

  /** Argument 0 is the model (adapter) the runtime is about to read. */
  public static final class RuntimeArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String where, @Advice.Argument(0) Object model) {
      Probe.runtimeReceived(where, model);
    }
  }

  /** Argument 0 is the model's text the runtime is about to read. */
  public static final class RuntimeTextArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String where, @Advice.Argument(0) String text) {
      Probe.runtimeReceivedText(where, text);
    }
  }

  /** Argument 0 is the model a guarded entry point was called with (after any advice that ran before). */
  public static final class EnteredArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String where, @Advice.Argument(0) Object model) {
      Probe.entered(where, model);
    }
  }

}
