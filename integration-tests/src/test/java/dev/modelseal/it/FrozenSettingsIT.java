package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 5: settings are frozen in premain. An application that sets {@code modelseal.mode=audit} and points
 * {@code modelseal.key} at the key that actually signed its model is still enforced with the original key.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class FrozenSettingsIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void load_appSetsModeAndKeyPropertiesInMain_stillEnforcedWithStartupKey() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Fixtures.Signer other = new Fixtures.Signer(tmp, "other");
    Path root = tmp.resolve("models");
    Path model = Refusal.WRONG_KEY_SIG.prepare(ModelCase.ORT_PATH, root, trusted, other);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.SetPropertyThenLoad",
            other.publicKeyFile.toString(), "ort-path", model.toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("properties set: modelseal.mode=audit" + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(Expectations.rejectedLine(Refusal.WRONG_KEY_SIG, ModelCase.ORT_PATH, model, root, trusted,
        other)), Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    assertEquals("deny", decisions.get(0).get("decision"));
    assertEquals("SIGNATURE_INVALID", decisions.get(0).get("reason"));
  }
}
