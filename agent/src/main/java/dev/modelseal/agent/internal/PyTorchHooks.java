package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STREAM;

import java.util.List;

/**
 * DJL's PyTorch engine ({@code ai.djl.pytorch}): the last Java methods before a TorchScript module
 * reaches native PyTorch, for loads that do not come through a DJL {@code Model} (and, for those that
 * do, a second check of the already pinned path, which the gate lets through). Both hooks are
 * required: a version without them is refused (fail closed).
 */
final class PyTorchHooks implements RuntimeHooks {
  private static final String PT_ND_MANAGER = "Lai/djl/pytorch/engine/PtNDManager;";

  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact("ai/djl/pytorch/jni/JniUtils").hooks(
          MethodHook.named("loadModule").paramsStartWith(PT_ND_MANAGER, PATH).anyParamCount().staticMethod()
              .argument(1).check(Check.PATH).required(),
          MethodHook.named("loadModuleHandle").paramsStartWith(STREAM).anyParamCount().staticMethod()
              .argument(0).check(Check.STREAM).required()));

  @Override
  public String name() {
    return "PyTorch (DJL engine)";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("ai/djl/pytorch/");
  }

  @Override
  public String supportedVersions() {
    return "ai.djl.pytorch:pytorch-engine 0.36.0";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
