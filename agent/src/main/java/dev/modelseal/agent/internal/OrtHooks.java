package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.BUFFER;
import static dev.modelseal.agent.internal.MethodHook.BYTES;
import static dev.modelseal.agent.internal.MethodHook.STRING;

import java.util.List;

/**
 * ONNX Runtime's Java API ({@code ai.onnxruntime}), used alone or under DJL's ONNX Runtime engine.
 * Every public model, LoRA adapter and custom-op library load funnels into one of the methods below,
 * so these hooks cover them all; each is required, so a version that renamed or reshaped one is
 * refused (fail closed) instead of running unguarded.
 */
final class OrtHooks implements RuntimeHooks {
  /**
   * The hook name ({@code type.method}, as {@link HookWeaver} writes it) of ORT's session loading:
   * {@link Gate} checks the external data of these loads' models too.
   */
  static final String CREATE_SESSION_HOOK = "ai.onnxruntime.OrtEnvironment.createSession";

  private static final String ORT_ALLOCATOR = "Lai/onnxruntime/OrtAllocator;";

  private static final List<TypeHooks> TYPES = List.of(
      // Every public createSession calls one of these package-private ones (the last parameter is
      // the SessionOptions, which the gate needs for in-memory models' external data).
      TypeHooks.exact("ai/onnxruntime/OrtEnvironment").hooks(
          // A path may come back as verified bytes (OnnxMemoryPins): the session is then made by the buffer overload.
          MethodHook.named("createSession").paramsStartWith(STRING, ORT_ALLOCATOR).paramCount(3).instanceMethod()
              .argument(0).check(Check.ORT_PATH).required(),
          MethodHook.named("createSession").paramsStartWith(BYTES, ORT_ALLOCATOR).paramCount(3).instanceMethod()
              .argument(0).check(Check.ORT_BYTES).required(),
          MethodHook.named("createSession").paramsStartWith(BUFFER, ORT_ALLOCATOR).paramCount(3).instanceMethod()
              .argument(0).check(Check.ORT_BUFFER).required()),
      // Every public OrtLoraAdapter.create calls one of these package-private ones.
      TypeHooks.exact("ai/onnxruntime/OrtLoraAdapter").hooks(
          MethodHook.named("create").paramsStartWith(STRING, ORT_ALLOCATOR).paramCount(2).staticMethod()
              .argument(0).check(Check.PATH_STRING).required(),
          MethodHook.named("create").paramsStartWith(BYTES, ORT_ALLOCATOR).paramCount(2).staticMethod()
              .argument(0).check(Check.BYTES).required(),
          MethodHook.named("create").paramsStartWith(BUFFER, ORT_ALLOCATOR).paramCount(2).staticMethod()
              .argument(0).check(Check.BUFFER).required()),
      // A custom-op library is native code loaded into the process: it must be signed like a model.
      TypeHooks.exact("ai/onnxruntime/OrtSession$SessionOptions").hooks(
          MethodHook.named("registerCustomOpLibrary").paramsStartWith(STRING).paramCount(1).instanceMethod()
              .argument(0).check(Check.PATH_STRING).required()));

  @Override
  public String name() {
    return "ONNX Runtime";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("ai/onnxruntime/");
  }

  @Override
  public String supportedVersions() {
    return "com.microsoft.onnxruntime:onnxruntime 1.21.1";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
