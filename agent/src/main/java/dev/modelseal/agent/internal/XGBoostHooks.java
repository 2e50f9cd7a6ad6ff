package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.BYTES;
import static dev.modelseal.agent.internal.MethodHook.STRING;

import java.util.List;

/**
 * XGBoost4J ({@code ml.dmlc.xgboost4j.java}): every {@code XGBoost.loadModel} (Java and Scala; {@code String},
 * {@code InputStream}, {@code byte[]}) funnels into the two static {@code Booster.loadModel} (javap on 3.4.0); Java
 * and Kryo deserialization read the model inside the method and are checked at its native call ({@link
 * NativeCallCheck}). All four are required: a version without them is refused (fail closed).
 */
final class XGBoostHooks implements RuntimeHooks {
  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact("ml/dmlc/xgboost4j/java/Booster").hooks(
          MethodHook.named("loadModel").paramsStartWith(STRING).paramCount(1).staticMethod()
              .argument(0).check(Check.PATH_STRING).required(),
          MethodHook.named("loadModel").paramsStartWith(BYTES).paramCount(1).staticMethod()
              .argument(0).check(Check.BYTES).required(),
          MethodHook.named("readObject").paramsStartWith("Ljava/io/ObjectInputStream;").paramCount(1)
              .instanceMethod().check(Check.NATIVE_BYTES).required(),
          MethodHook.named("read").paramsStartWith("Lcom/esotericsoftware/kryo/Kryo;",
              "Lcom/esotericsoftware/kryo/io/Input;").paramCount(2).instanceMethod()
              .check(Check.NATIVE_BYTES).required()));

  @Override
  public String name() {
    return "XGBoost4J";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("ml/dmlc/xgboost4j/java/");
  }

  @Override
  public String supportedVersions() {
    return "ml.dmlc:xgboost4j_2.12 3.4.0";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
