package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cosign model tutorial's layout: a model file and, beside it, {@code model.sig} as
 * {@code cosign sign-blob --key cosign.key model.onnx > model.sig} writes it (base64; also raw DER, and a
 * Sigstore bundle). It loads through DJL over the directory, DJL {@code Model.load}, ORT on the file and DJL's
 * PyTorch engine; a tampered model, another key's {@code model.sig} and a {@code model.sig} that is no signature
 * are refused, named, before the runtime receives anything (probe agent).
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class CosignTutorialLayoutIT {
  private static final String MODEL_SIG = "model.sig (a cosign signature of model.onnx)";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"criteria, model.onnx", "model-load-path, model.onnx", "ort-path, model.onnx",
      "pytorch-criteria, model.pt"})
  void load_base64ModelSigBesideModel_predictsFromPinnedCopy(String mode, String fileName) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = tutorialDir(fileName);
    Fixtures.write(dir.resolve("model.sig"), trusted.signature(dir.resolve(fileName)).base64() + "\n");

    assertLoads(mode, mode.equals("ort-path") ? dir.resolve(fileName) : dir, trusted,
        (mode.equals("ort-path") ? "" : "tutorial/") + Pattern.quote(fileName));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ort-bytes", "model-load-stream"})
  void load_inMemoryCopyOfModelWithModelSig_predictsMatchingTheSignedFile(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = tutorialDir("model.onnx").resolve("model.onnx");
    Fixtures.write(model.resolveSibling("model.sig"), trusted.signature(model).base64());
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log, mode)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    // A DJL stream load is checked twice: OrtModel.load(InputStream), then the byte[] it hands to ORT.
    assertEquals(mode.equals("ort-bytes") ? 1 : 2, decisions.size(), () -> decisions + "\n" + r);
    for (Map<String, Object> d : decisions) {
      assertEquals("allow", d.get("decision"), d::toString);
      assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
      assertEquals("matches signed " + model.toRealPath(), d.get("detail"), d::toString);
    }
  }

  @Test
  void ortPath_rawDerModelSig_predictsFromPinnedCopy() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = tutorialDir("model.onnx").resolve("model.onnx");
    Fixtures.write(model.resolveSibling("model.sig"), trusted.signature(model).signature());

    assertLoads("ort-path", model, trusted, "model\\.onnx");
  }

  @Test
  void criteria_sigstoreBundleAsModelSig_predictsFromPinnedCopy() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), trusted.signature(dir.resolve("model.onnx")).toSigstoreBundleJson());

    assertLoads("criteria", dir, trusted, "tutorial/model\\.onnx");
  }

  @Test
  void ortPath_ownSidecarAndJunkModelSig_ownSidecarWins() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = tutorialDir("model.onnx").resolve("model.onnx");
    trusted.sig(model);
    Fixtures.write(model.resolveSibling("model.sig"), "not a signature\n");

    assertLoads("ort-path", model, trusted, "model\\.onnx");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"criteria", "ort-path", "model-load-path"})
  void load_modelFlippedAfterSigning_refusedSignatureInvalid(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), trusted.signature(dir.resolve("model.onnx")).base64());
    Fixtures.write(dir.resolve("model.onnx"), Refusal.tamperedOnnx());

    assertRefused(mode, dir, trusted, "SIGNATURE_INVALID", "model.onnx: " + MODEL_SIG
        + ": signature does not verify with key " + trusted.keyId() + " (tried " + Expectations.ALGORITHMS + ")");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"criteria", "ort-path"})
  void load_otherKeysBase64ModelSig_refusedNamingTheTrustedKey(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), other.signature(dir.resolve("model.onnx")).base64());

    assertRefused(mode, dir, trusted, "SIGNATURE_INVALID", "model.onnx: " + MODEL_SIG
        + ": signature does not verify with key " + trusted.keyId() + " (tried " + Expectations.ALGORITHMS + ")");
  }

  @Test
  void ortPath_otherKeysBundleAsModelSig_refusedNamingTheSigningKey() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), other.signature(dir.resolve("model.onnx")).toSigstoreBundleJson());

    assertRefused("ort-path", dir, trusted, "UNTRUSTED_KEY", "model.onnx: " + MODEL_SIG
        + ": signed by key " + other.keyId() + ", which is not trusted");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"criteria", "ort-path", "pytorch-criteria"})
  void load_junkModelSig_refusedNamingWhatWasTried(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    String fileName = mode.startsWith("pytorch") ? "model.pt" : "model.onnx";
    Path dir = tutorialDir(fileName);
    Fixtures.write(dir.resolve("model.sig"), "not a signature\n");

    assertRefused(mode, dir, trusted, "MALFORMED_SIGNATURE", "model.sig is neither an OpenSSF model signature"
        + " nor a cosign signature of " + fileName + " (signature is not valid base64): name the file's own"
        + " signature " + fileName + ".sig or " + fileName + ".sigstore.json, or sign the whole directory with"
        + " sign-model");
  }

  @Test
  void ortPath_base64OfNoSignatureAsModelSig_refusedNamingWhatWasTried() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), Base64.getEncoder().encodeToString("hello".getBytes()));

    assertRefused("ort-path", dir, trusted, "MALFORMED_SIGNATURE", "model.sig is neither an OpenSSF model"
        + " signature nor a cosign signature of model.onnx (ECDSA signature is not ASN.1 DER (truncated, or raw"
        + " r||s, which cosign rejects)): name the file's own signature model.onnx.sig or model.onnx.sigstore.json,"
        + " or sign the whole directory with sign-model");
  }

  @Test
  void criteria_unsignedFileBesideSignedModel_refusedNamingIt() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), trusted.signature(dir.resolve("model.onnx")).base64());
    Fixtures.write(dir.resolve("serving.properties"), "engine=OnnxRuntime\n");

    // model.sig signs model.onnx; every other file still needs a signature of its own.
    assertRefused("criteria", dir, trusted, "SIGNATURE_INVALID", "serving.properties: model.sig (a cosign"
        + " signature of serving.properties): signature does not verify with key " + trusted.keyId()
        + " (tried " + Expectations.ALGORITHMS + ")");
  }

  @Test
  void ortPath_modelSigningRequiredAndCosignModelSig_refusedUnsigned() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path dir = tutorialDir("model.onnx");
    Fixtures.write(dir.resolve("model.sig"), trusted.signature(dir.resolve("model.onnx")).base64());
    Path log = tmp.resolve("decisions.jsonl");
    Path config = Fixtures.write(tmp.resolve("agent.conf"), "key.prod = " + trusted.publicKeyFile
        + "\nrule.prod.path = " + tmp.resolve("models") + "\nrule.prod.keys = prod\nrule.prod.format = model-signing"
        + "\naudit-log = " + log + "\n");

    LoadAssertions.assertRefused(jdk, "ort-path", dir.resolve("model.onnx"), Fixtures.agent("config=" + config), log,
        "UNSIGNED", "this location requires an OpenSSF model signature (model.sig as sign-model writes it), not"
            + " cosign signatures");
  }

  // ------------------------------------------------------------------ helpers

  /** {@code models/tutorial/<fileName>}: the tiny ONNX model, or the tiny TorchScript model for {@code .pt}. */
  private Path tutorialDir(String fileName) {
    Path dir = tmp.resolve("models/tutorial");
    if (fileName.endsWith(".pt")) {
      TinyModels.writeTorchScript(dir.resolve(fileName));
    } else {
      TinyModels.writeOnnx(dir.resolve(fileName));
    }
    return dir;
  }

  private void assertLoads(String mode, Path model, Fixtures.Signer trusted, String pinnedSuffix) throws Exception {
    Path log = tmp.resolve("decisions.jsonl");
    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, tmp.resolve("models"), "enforce", log))
        .run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    Map<String, Object> d = decisions.get(0);
    assertEquals("allow", d.get("decision"), d::toString);
    assertEquals(model.toAbsolutePath().toString(), d.get("model"), d::toString);
    assertEquals(trusted.keyId(), d.get("keyId"), d::toString);
    List<String> received = Fixtures.linesStarting(r.stderr(), "PROBE runtime-received ");
    assertEquals(1, received.size(), r::toString);
    Pattern pinned = Pattern.compile("PROBE runtime-received \\S+ " + Pattern.quote(Fixtures.CHILD_TMP.toString())
        + "/modelseal-pins-[^/]+/\\d+/" + pinnedSuffix);
    assertTrue(pinned.matcher(received.get(0)).matches(), () -> received.get(0) + "\n" + r);
  }

  private void assertRefused(String mode, Path dir, Fixtures.Signer trusted, String reason, String detail)
      throws Exception {
    Path model = mode.equals("ort-path") ? dir.resolve("model.onnx") : dir;
    LoadAssertions.assertRefused(jdk, tmp, mode, model, tmp.resolve("models"), trusted, reason, detail);
  }
}
