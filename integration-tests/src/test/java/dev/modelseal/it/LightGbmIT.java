package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.io.File;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * native code), and through Microsoft's own {@code lightgbmlib} 3.3.510 (SynapseML's build, its natives loaded from
 * its jar: {@code apps/LightGbmLibLoad}), whose SWIG class {@code com.microsoft.ml.lightgbm.lightgbmlib} is the one
 * lightgbm4j ships: its {@code LGBM_BoosterCreateFromModelfile} and {@code LGBM_BoosterLoadModelFromString} called
 * directly. A signed model predicts what it was trained to; a tampered one (one leaf value changed: it loads and
 * predicts otherwise without the agent), an unsigned one and one signed by an untrusted key are refused before the
 * SWIG method passes it on (probe agent); audit mode logs and loads.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LightGbmIT {
  private static final String TAMPERED = "prediction: [9.0, 2.0, 3.0, 4.0]";
  private static final String SWIG = "com.microsoft.ml.lightgbm.lightgbmlib.";

  /**
   * Each load API: LoadTreeModel's {@code lgbm-file} and {@code lgbm-string} (lightgbm4j), LightGbmLibLoad's {@code
   * file} and {@code string} ({@code lib-file}, {@code lib-string}: Microsoft's lightgbmlib).
   */
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lgbm-file", "lgbm-string", "lib-file", "lib-string"})
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

  /** Whether {@code mode} loads by path (else it passes the model's text). */
  private static boolean byPath(String mode) {
    return mode.endsWith("-file");
  }

  private static String hook(String mode) {
    return SWIG + (byPath(mode) ? "LGBM_BoosterCreateFromModelfile" : "LGBM_BoosterLoadModelFromString");
  }

  private static String location(String mode, Path model, int bytes) {
    return byPath(mode) ? model.toString() : "<String " + bytes + " bytes>";
  }

  private ForkedJvm.Result run(String mode, Path model, Fixtures.Signer trusted, String agentMode) throws Exception {
    return load(mode, model, ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"),
        agentMode, tmp.resolve("decisions.jsonl"), mode));
  }

  /** Loads {@code model} with {@code mode}'s API and library, with the given JVM arguments (none: no agent). */
  private ForkedJvm.Result load(String mode, Path model, String... jvmArgs) throws Exception {
    if (!mode.startsWith("lib-")) {
      return TreeModels.load(jdk, mode, model, jvmArgs);
    }
    return Fixtures.child(jdk, "dev.modelseal.it.apps.LightGbmLibLoad", mode.substring("lib-".length()),
        model.toString()).classpath(lightGbmLibClasspath()).jvmArgs(jvmArgs).run();
  }

  /**
   * Every child's classpath, with Microsoft's lightgbmlib jar instead of lightgbm4j's (same SWIG class name): first,
   * because the examples' jar names lightgbm4j in its manifest's {@code Class-Path}, which the class loader searches
   * right after that jar (LightGbmLibLoad fails if the class comes from any other jar).
   */
  private static String lightGbmLibClasspath() {
    Path jar = Path.of(System.getProperty("modelseal.lightgbmlib.jar",
        Fixtures.BUILD_DIR.resolve("lightgbmlib/lightgbmlib-3.3.510.jar").toString()));
    List<String> entries = new ArrayList<>(List.of(jar.toString()));
    for (String entry : Fixtures.childClasspath().split(File.pathSeparator)) {
      if (!Path.of(entry).getFileName().toString().startsWith("lightgbm4j")) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
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
    String expected = "PROBE runtime-received " + hook(mode) + " " + (byPath(mode)
        ? Pattern.quote(Fixtures.CHILD_TMP.toString()) + "/modelseal-pins-[^/]+/\\d+/model\\.txt"
        : Pattern.quote("text[" + text.length + "] " + Fixtures.sha256(text)));
    assertEquals(1, received.size(), r::toString);
    assertTrue(Pattern.matches(expected, received.get(0)), () -> received + "\n" + r);
  }

  @EveryLoadApi
  void load_tamperedLeafValueWithoutAgent_predictsOtherValues(String mode) throws Exception {
    ForkedJvm.Result r = load(mode, model("lgbm-tampered.txt"));

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
        location(mode, model, n), TreeModels.doesNotVerify(byPath(mode) ? "model.txt" : model.toString(), trusted));
  }

  @EveryLoadApi
  void load_unsignedModel_refusedUnsigned(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = model("lgbm.txt");

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    int n = TreeModels.bytes("lgbm.txt").length;
    TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED", location(mode, model, n),
        byPath(mode) ? "model.txt: not signed (no model.txt.sigstore.json or model.txt.sig)"
            : unsigned(n));
  }

  @EveryLoadApi
  void load_signedWithUntrustedKey_refusedUntrustedKey(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path model = model("lgbm.txt");
    other.bundle(model);

    ForkedJvm.Result r = run(mode, model, trusted, "enforce");

    String shown = byPath(mode) ? "model.txt" : model.toString();
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

    if (byPath(mode)) {
      TreeModels.assertAllowed(r, tmp.resolve("decisions.jsonl"), TreeModels.TRAINED, hook(mode), trusted.keyId());
    } else {
      int n = text.length + 2; // F0 9F 98 80 becomes ED A0 BD ED B8 80
      TreeModels.assertRefused(r, tmp.resolve("decisions.jsonl"), hook(mode), "UNSIGNED", location(mode, model, n),
          unsigned(n));
    }
  }
}
