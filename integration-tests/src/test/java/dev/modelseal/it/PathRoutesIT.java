package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routes around the gate's path decisions, in a forked JVM with the packaged agent and the probe: an exempt path
 * reached through a link flipped to an attacker's folder, a lexical path that normalises into the pin folder but
 * resolves to the attacker's file, and a file under a prod-only rule covered by a lab-signed {@code model.sig} of a
 * parent folder. The attacker's model is y = x + 2 (a valid model), so its output would show.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class PathRoutesIT {
  private static final String RECEIVED = "PROBE runtime-received ai.onnxruntime.OrtSession.<init> ";
  private static final int FLIPPED_LOADS = 300;

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void ortPath_exemptLinkFlippedToAttackerFolder_runtimeOnlyGetsTheLoggedExemptTarget() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path exempt = TinyModels.writeOnnx(tmp.resolve("models/public/model.onnx")).getParent().toRealPath();
    Path evil = Fixtures.write(tmp.resolve("models/evil/model.onnx"), Fixtures.onnxPlusTwo()).getParent();
    Path link = Files.createSymbolicLink(tmp.resolve("models/current"), exempt);
    Path model = link.resolve("model.onnx");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.FlipWhileLoading", link.toString(),
            exempt.toString(), evil.toString(), Integer.toString(FLIPPED_LOADS), "ort-path", model.toString())
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent("config=" + config(trusted, "exempt = " + exempt + "\n")))
        .timeout(java.time.Duration.ofSeconds(240)).run();

    assertEquals(0, r.exitCode(), r::toString);
    List<String> out = r.stdout().lines().toList();
    assertEquals(FLIPPED_LOADS + 1, out.size(), r::toString);
    assertTrue(out.get(FLIPPED_LOADS).matches("FLIPS [1-9][0-9]*"), r::toString);
    String refused = Fixtures.REJECTED + "UNSIGNED): " + model + ": model.onnx: not signed (no"
        + " model.onnx.sigstore.json or model.onnx.sig)";
    long loaded = out.stream().filter(PREDICTION::equals).count();
    long denied = out.stream().filter(refused::equals).count();
    assertEquals(FLIPPED_LOADS, loaded + denied, r::toString); // never the attacker's [3.0, 4.0, 5.0, 6.0]
    assertTrue(loaded > 0 && denied > 0, () -> loaded + " loaded, " + denied + " refused: the link never flipped");
    // The runtime is handed the resolved target the decision logged, never the link it could be flipped through.
    assertEquals(List.of(RECEIVED + exempt.resolve("model.onnx")), Fixtures.linesStarting(r.stderr(), RECEIVED)
        .stream().distinct().toList(), r::toString);
    assertEquals(loaded, Fixtures.linesStarting(r.stderr(), RECEIVED).size(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log());
    assertEquals(FLIPPED_LOADS, decisions.size(), r::toString);
    for (Map<String, Object> d : decisions) {
      assertEquals(model.toString(), d.get("model"), d::toString);
      if ("exempt".equals(d.get("decision"))) {
        assertEquals("under an exempt path: loading " + exempt.resolve("model.onnx"), d.get("detail"), d::toString);
      } else {
        assertEquals("deny", d.get("decision"), d::toString);
        assertEquals("UNSIGNED", d.get("reason"), d::toString);
      }
    }
    assertEquals(loaded, decisions.stream().filter(d -> "exempt".equals(d.get("decision"))).count(), r::toString);
  }

  @Test
  void ortPath_lexicalPathIntoPinFolderResolvingToAttackerFile_verifiedAndRefused() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path model = TinyModels.writeOnnx(tmp.resolve("models/model.onnx"));
    trusted.sig(model);
    Path pins = Files.createDirectories(tmp.resolve("pins")).toRealPath();
    Path attacker = Fixtures.write(tmp.resolve("attacker.onnx"), Fixtures.onnxPlusTwo());

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.LexicalPinPath", model.toString(),
            pins.toString(), attacker.toString())
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent("config=" + config(trusted, "pin-dir = " + pins + "\n")))
        .run();

    assertEquals(0, r.exitCode(), r::toString);
    List<String> out = r.stdout().lines().toList();
    assertEquals(3, out.size(), r::toString);
    assertEquals(PREDICTION, out.get(0), r::toString);
    Path pinned = Path.of(out.get(1).substring("PINNED ".length()));
    assertTrue(Pattern.matches(Pattern.quote(pins.toString()) + "/modelseal-pins-[0-9]+-[0-9]+/[0-9]+/model\\.onnx",
        pinned.toString()), r::toString);
    // Not "already pinned": the kernel's path is the attacker's unsigned file, which is verified and refused.
    assertEquals(Fixtures.REJECTED + "UNSIGNED): " + pinned + ": model.onnx: not signed (no model.onnx.sigstore.json"
        + " or model.onnx.sig)", out.get(2), r::toString);
    assertEquals(List.of(RECEIVED + pinned), Fixtures.linesStarting(r.stderr(), RECEIVED), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log());
    assertEquals(2, decisions.size(), () -> decisions + "\n" + r);
    assertEquals(List.of("allow", "deny"), decisions.stream().map(d -> d.get("decision")).toList(), r::toString);
    assertEquals(pinned.toString(), decisions.get(1).get("model"), decisions::toString);
  }

  @Test
  void ortPath_prodRuleFileCoveredByLabSignedParentModelSig_refusedUntrustedKey() throws Exception {
    Keys k = new Keys();
    Path model = prodRuleModel(k.lab);

    LoadAssertions.assertRefused(jdk, "ort-path", model, Fixtures.agent("config=" + k.config()), log(),
        "UNTRUSTED_KEY", "model.sig: signed by key " + k.lab.keyId() + ", which is not allowed to sign"
            + " prod/model.onnx at its location");
  }

  @Test
  void ortPath_prodRuleFileCoveredByProdSignedParentModelSig_loadsThePinnedCopy() throws Exception {
    Keys k = new Keys();
    Path model = prodRuleModel(k.prod);

    ForkedJvm.Result r = Fixtures.loadModel(jdk, "ort-path", model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent("config=" + k.config())).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log());
    assertEquals(1, decisions.size(), () -> decisions + "\n" + r);
    assertEquals("allow", decisions.get(0).get("decision"), decisions::toString);
    assertEquals(k.prod.keyId(), decisions.get(0).get("keyId"), decisions::toString);
    List<String> received = Fixtures.linesStarting(r.stderr(), RECEIVED);
    assertEquals(1, received.size(), r::toString);
    assertTrue(Pattern.matches(Pattern.quote(RECEIVED + Fixtures.CHILD_TMP) + "/modelseal-pins-[^/]+/\\d+/lab/prod/"
        + "model\\.onnx", received.get(0)), r::toString);
  }

  // ------------------------------------------------------------------ helpers

  private Path log() {
    return tmp.resolve("decisions.jsonl");
  }

  /** An agent config trusting {@code trusted}, logging to {@link #log()}, models under {@code models/}. */
  private Path config(Fixtures.Signer trusted, String extra) {
    return Fixtures.write(tmp.resolve("agent.conf"), "key.trusted = " + trusted.publicKeyFile + "\naudit-log = "
        + log() + "\nmodels = " + tmp.resolve("models") + "\n" + extra);
  }

  /** {@code models/lab/prod/model.onnx}, no sidecar of its own, covered by {@code models/lab/model.sig}. */
  private Path prodRuleModel(Fixtures.Signer signer) {
    Path lab = tmp.resolve("models/lab");
    Path model = TinyModels.writeOnnx(lab.resolve("prod/model.onnx"));
    OmsFixtures.signDirectory(signer, lab);
    return model;
  }

  /** A lab and a prod key; models/lab allows both, models/lab/prod only the prod key. */
  private final class Keys {
    final Fixtures.Signer prod = new Fixtures.Signer(tmp, "prod");
    final Fixtures.Signer lab = new Fixtures.Signer(tmp, "lab");

    Path config() {
      Path dir = tmp.resolve("models/lab");
      return Fixtures.write(tmp.resolve("agent.conf"), "key.prod = " + prod.publicKeyFile + "\nkey.lab = "
          + lab.publicKeyFile + "\nrule.lab.path = " + dir + "\nrule.lab.keys = lab, prod\nrule.prod.path = "
          + dir.resolve("prod") + "\nrule.prod.keys = prod\naudit-log = " + log() + "\n");
    }
  }
}
