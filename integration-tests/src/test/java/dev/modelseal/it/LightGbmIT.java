package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LightGBM through lightgbm4j ({@code LGBMBooster.createFromModelfile(String)}: by path, LightGBM gets the pinned
 * copy; {@code loadModelFromString(String)}: the model text, verified as the JNI modified UTF-8 bytes SWIG hands
 * native code). Both go through the SWIG class {@code com.microsoft.ml.lightgbm.lightgbmlib} that Microsoft's
 * {@code lightgbmlib} ships too. A signed model predicts what it was trained to; a tampered one (one leaf value
 * changed: it loads and predicts otherwise without the agent), an unsigned one and one signed by an untrusted key
 * are refused before the SWIG method passes it on (probe agent); audit mode logs and loads.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LightGbmIT {
  private static final String TAMPERED = "prediction: [9.0, 2.0, 3.0, 4.0]";
  private static final String SWIG = "com.microsoft.ml.lightgbm.lightgbmlib.";

  /** Each load API: LoadTreeModel's {@code lgbm-file} and {@code lgbm-string}. */
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lgbm-file", "lgbm-string"})
  @interface EveryLoadApi {}

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Path model(String file) {
    return Fixtures.write(tmp.resolve("models/model.txt"), TreeModels.bytes(file));
  }

  /** {@code models/model.txt}, the trained model, with a {@code .sig} by {@code signer}. */
  private Path signed(Fixtures.Signer signer) {
    Path model = model("lgbm.txt");
    signer.sig(model);
    return model;
  }

  private static String hook(String mode) {
    return SWIG + (mode.equals("lgbm-file") ? "LGBM_BoosterCreateFromModelfile" : "LGBM_BoosterLoadModelFromString");
  }

  private static String location(String mode, Path model, int bytes) {
    return mode.equals("lgbm-file") ? model.toString() : "<String " + bytes + " bytes>";
  }

  private ForkedJvm.Result run(String mode, Path model, Fixtures.Signer trusted, String agentMode) throws Exception {
    return TreeModels.loadGuarded(jdk, mode, model, trusted.publicKeyFile, tmp.resolve("models"), agentMode,
        tmp.resolve("decisions.jsonl"));
  }

  private String unsigned(int bytes) {
    return "no signed model of " + bytes + " bytes under [" + Expectations.real(tmp.resolve("models"))
        + "] matches <String " + bytes + " bytes>" + Expectations.ALLOW_IN_MEMORY;
  }

  @EveryLoadApi
  void load_signedModel_predictsTheTrainedValues(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = signed(trusted);

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    List<String> received = TreeModels.assertAllowed(r, tmp.resolve("decisions.jsonl"), TreeModels.TRAINED,
        hook(mode), trusted.keyId());
    byte[] text = TreeModels.bytes("lgbm.txt");
    String expected = "PROBE runtime-received " + hook(mode) + " " + (mode.equals("lgbm-file")
        ? Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/model\\.txt"
        : Pattern.quote("text[" + text.length + "] " + Fixtures.sha256(text)));
    assertEquals(1, received.size(), r::toString);
    assertTrue(Pattern.matches(expected, received.get(0)), () -> received + "\n" + r);
  }

  @EveryLoadApi
  void load_tamperedLeafValueWithoutAgent_predictsOtherValues(String mode) throws Exception {
    ForkedJvm.Result r = TreeModels.load(jdk, mode, model("lgbm-tampered.txt"));

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(TAMPERED + Fixtures.NL, r.stdout(), r::toString);
  }

  @EveryLoadApi
  void load_tamperedLeafValue_refusedBeforeLightgbmReadsIt(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = signed(trusted);
    Fixtures.write(model, TreeModels.bytes("lgbm-tampered.txt"));

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    int n = TreeModels.bytes("lgbm-tampered.txt").length;
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "SIGNATURE_INVALID",
        location(mode, model, n), TreeModels.doesNotVerify(mode.equals("lgbm-file") ? "model.txt" : model.toString(),
            trusted));
  }

  @EveryLoadApi
  void load_unsignedModel_refusedUnsigned(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = model("lgbm.txt");

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    int n = TreeModels.bytes("lgbm.txt").length;
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED", location(mode, model, n),
        mode.equals("lgbm-file") ? "model.txt: not signed (no model.txt.sigstore.json or model.txt.sig)"
            : unsigned(n));
  }

  @EveryLoadApi
  void load_signedWithUntrustedKey_refusedUntrustedKey(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path model = model("lgbm.txt");
    other.bundle(model);

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    String shown = mode.equals("lgbm-file") ? "model.txt" : model.toString();
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNTRUSTED_KEY",
        location(mode, model, TreeModels.bytes("lgbm.txt").length),
        shown + ": signed by key " + other.keyId() + ", which is not trusted");
  }

  @EveryLoadApi
  void load_unsignedModelInAuditMode_loadsAndLogsAuditDeny(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");

    ForkedJvm.Result r = run(mode, model("lgbm.txt"), trusted, "audit");

    TreeModels.assertAuditLoaded(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED");
  }

  /**
   * A signed text whose UTF-8 holds a character outside the BMP (here in a trailing comment line) loads by path,
   * where LightGBM reads the signed bytes, but is refused as a string: SWIG passes it to native code as modified
   * UTF-8 (two three-byte surrogates instead of four bytes), which are not the signed bytes.
   */
  @EveryLoadApi
  void load_signedTextWithSupplementaryCharacter_refusedOnlyAsAString(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    byte[] text = (new String(TreeModels.bytes("lgbm.txt"), StandardCharsets.UTF_8) + "# \uD83D\uDE00\n")
        .getBytes(StandardCharsets.UTF_8);
    Path model = Fixtures.write(tmp.resolve("models/model.txt"), text);
    trusted.sig(model);

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    if (mode.equals("lgbm-file")) {
      TreeModels.assertAllowed(r, tmp.resolve("decisions.jsonl"), TreeModels.TRAINED, hook(mode), trusted.keyId());
    } else {
      int n = text.length + 2; // F0 9F 98 80 becomes ED A0 BD ED B8 80
      TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED", location(mode, model, n),
          unsigned(n));
    }
  }
}
