package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XGBoost4J ({@code ml.dmlc:xgboost4j_2.12}) through every load API: {@code XGBoost.loadModel(String)} of a
 * {@code .ubj} and a {@code .json} model (by path: XGBoost gets the pinned copy), {@code loadModel(byte[])} and
 * {@code loadModel(InputStream)} (by bytes: a verified private copy), and a {@code Booster} deserialized with Java
 * serialization or Kryo (its UBJSON bytes, checked right before the native {@code XGBoosterLoadModelFromBuffer}).
 * A signed model predicts what it was trained to; a tampered one (one leaf value changed: it loads and predicts
 * otherwise without the agent), an unsigned one and one signed by an untrusted key are refused before XGBoost
 * receives them (probe agent on {@code Booster.loadModel}); audit mode logs and loads.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class XGBoostIT {
  private static final String TAMPERED = "prediction: [10.0, 2.0, 3.0, 4.0]";
  private static final String LOAD = "ml.dmlc.xgboost4j.java.Booster.loadModel";
  private static final String RECEIVED = "PROBE runtime-received " + LOAD + " ";

  /** Each load API (LoadTreeModel mode) with the generated file it loads: {@code .ubj}, {@code .json} or a serialized booster. */
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"xgb-path, xgb.ubj", "xgb-path, xgb.json", "xgb-bytes, xgb.ubj", "xgb-stream, xgb.json",
      "xgb-java, xgb.ser", "xgb-kryo, xgb.kryo"})
  @interface EveryLoadApi {}

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  /** The file the child loads; the models root holds {@code model.<ext>} (UBJSON for a serialized booster). */
  private Path models() {
    return tmp.resolve("models");
  }

  private static boolean serialized(String file) {
    return file.endsWith(".ser") || file.endsWith(".kryo");
  }

  private static String ext(String file) {
    return file.substring(file.lastIndexOf('.') + 1);
  }

  private static String tampered(String file) {
    return "xgb-tampered." + ext(file);
  }

  /** Writes {@code models/model.<ext>} (the UBJSON twin for a serialized booster), unsigned. */
  private Path model(String file) {
    String name = serialized(file) ? "xgb.ubj" : file;
    return Fixtures.write(models().resolve("model." + ext(name)), TreeModels.bytes(name));
  }

  /** {@link #model} with a {@code .sig} by {@code signer}. */
  private Path signed(String file, Fixtures.Signer signer) {
    Path model = model(file);
    signer.sig(model);
    return model;
  }

  /** The path the child loads: the model itself, or the serialized booster ({@code loaded} file) beside the root. */
  private Path loaded(String file, Path model, String loadedFile) {
    if (serialized(file)) {
      return Fixtures.write(tmp.resolve("in/model." + ext(file)), TreeModels.bytes(loadedFile));
    }
    return Fixtures.write(model, TreeModels.bytes(loadedFile));
  }

  private static String hook(String mode) {
    return switch (mode) {
      case "xgb-java" -> "ml.dmlc.xgboost4j.java.Booster.readObject";
      case "xgb-kryo" -> "ml.dmlc.xgboost4j.java.Booster.read";
      default -> LOAD;
    };
  }

  /** What ModelSeal calls the model: its path, or the bytes XGBoost would load. */
  private static String location(String mode, Path model, byte[] bytes) {
    return mode.equals("xgb-path") ? model.toString() : "<byte[] " + bytes.length + " bytes>";
  }

  /** The UBJSON or JSON bytes XGBoost's native loader gets for {@code file}. */
  private static byte[] nativeBytes(String file) {
    return TreeModels.bytes(serialized(file) ? file.replaceAll("\\.(ser|kryo)$", ".ubj") : file);
  }

  private ForkedJvm.Result run(String mode, Path loaded, Fixtures.Signer trusted, String agentMode) throws Exception {
    return TreeModels.loadGuarded(jdk, mode, loaded, trusted.publicKeyFile, models(), agentMode,
        tmp.resolve("decisions.jsonl"));
  }

  @EveryLoadApi
  void loadModel_signedModel_predictsTheTrainedValues(String mode, String file) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = signed(file, trusted);
    Path loaded = loaded(file, model, file);

    ForkedJvm.Result r = run(mode, loaded, trusted, "enforce");

    List<String> received = TreeModels.assertAllowed(r, tmp.resolve("decisions.jsonl"), TreeModels.TRAINED,
        hook(mode), trusted.keyId());
    byte[] bytes = nativeBytes(file);
    String expected = switch (mode) {
      case "xgb-path" -> Pattern.quote(RECEIVED + Fixtures.CHILD_TMP) + "/modelseal-pins-[^/]+/\\d+/"
          + Pattern.quote(model.getFileName().toString());
      case "xgb-bytes", "xgb-stream" -> Pattern.quote(RECEIVED + "byte[" + bytes.length + "] " + Fixtures.sha256(bytes));
      default -> null; // deserialized inside Booster: the probe has no method between the check and native code
    };
    assertEquals(expected == null ? 0 : 1, received.size(), r::toString);
    assertTrue(expected == null || Pattern.matches(expected, received.get(0)), () -> received + "\n" + r);
  }

  @EveryLoadApi
  void loadModel_tamperedLeafValueWithoutAgent_predictsOtherValues(String mode, String file) throws Exception {
    Path loaded = loaded(file, model(file), tampered(file));

    ForkedJvm.Result r = TreeModels.load(jdk, mode, loaded);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(TAMPERED + Fixtures.NL, r.stdout(), r::toString);
  }

  @EveryLoadApi
  void loadModel_tamperedLeafValue_refusedBeforeXgboostReadsIt(String mode, String file) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = signed(file, trusted);
    Path loaded = loaded(file, model, tampered(file)); // over the signed model, or a serialized tampered booster

    ForkedJvm.Result r = run(mode, loaded, trusted, "enforce");

    byte[] bytes = nativeBytes(tampered(file));
    String detail = switch (mode) {
      case "xgb-path" -> TreeModels.doesNotVerify(model.getFileName().toString(), trusted);
      case "xgb-bytes", "xgb-stream" -> TreeModels.doesNotVerify(model.toString(), trusted);
      default -> unsignedBytes(bytes);
    };
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode),
        serialized(file) ? "UNSIGNED" : "SIGNATURE_INVALID", location(mode, model, bytes), detail);
  }

  @EveryLoadApi
  void loadModel_unsignedModel_refusedUnsigned(String mode, String file) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = model(file);
    Path loaded = loaded(file, model, file);

    ForkedJvm.Result r = run(mode, loaded, trusted, "enforce");

    byte[] bytes = nativeBytes(file);
    String name = model.getFileName().toString();
    String detail = mode.equals("xgb-path") ? name + ": not signed (no " + name + ".sigstore.json or " + name
        + ".sig)" : unsignedBytes(bytes);
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED",
        location(mode, model, bytes), detail);
  }

  @EveryLoadApi
  void loadModel_signedWithUntrustedKey_refusedUntrustedKey(String mode, String file) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path model = model(file);
    other.bundle(model);
    Path loaded = loaded(file, model, file);

    ForkedJvm.Result r = run(mode, loaded, trusted, "enforce");

    String shown = mode.equals("xgb-path") ? model.getFileName().toString() : model.toString();
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNTRUSTED_KEY",
        location(mode, model, nativeBytes(file)), shown + ": signed by key " + other.keyId() + ", which is not trusted");
  }

  @EveryLoadApi
  void loadModel_unsignedModelInAuditMode_loadsAndLogsAuditDeny(String mode, String file) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path loaded = loaded(file, model(file), file);

    ForkedJvm.Result r = run(mode, loaded, trusted, "audit");

    TreeModels.assertAuditLoaded(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED");
  }

  private String unsignedBytes(byte[] bytes) {
    return "no signed model of " + bytes.length + " bytes under [" + Expectations.real(models()) + "] matches <byte[] "
        + bytes.length + " bytes>" + Expectations.ALLOW_IN_MEMORY;
  }
}
