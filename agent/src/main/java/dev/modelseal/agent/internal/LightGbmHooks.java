package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.STRING;

import java.util.List;

/**
 * LightGBM's SWIG class {@code com.microsoft.ml.lightgbm.lightgbmlib}, shipped alike by lightgbm4j and by
 * Microsoft's lightgbmlib: a model file by path, and a model as text (verified as the JNI modified UTF-8 bytes
 * native code reads, {@link ModifiedUtf8}). Both are required: a version without them is refused (fail closed).
 */
final class LightGbmHooks implements RuntimeHooks {
  private static final String SWIG_INT = "Lcom/microsoft/ml/lightgbm/SWIGTYPE_p_int;";

  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact("com/microsoft/ml/lightgbm/lightgbmlib").hooks(
          MethodHook.named("LGBM_BoosterCreateFromModelfile").paramsStartWith(STRING, SWIG_INT).paramCount(3)
              .staticMethod().argument(0).check(Check.PATH_STRING).required(),
          MethodHook.named("LGBM_BoosterLoadModelFromString").paramsStartWith(STRING, SWIG_INT).paramCount(3)
              .staticMethod().argument(0).check(Check.STRING_CONTENT).required()));

  @Override
  public String name() {
    return "LightGBM";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("com/microsoft/ml/lightgbm/");
  }

  @Override
  public String supportedVersions() {
    return "io.github.metarank:lightgbm4j 4.3.0-1, com.microsoft.ml.lightgbm:lightgbmlib 3.3.510";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
