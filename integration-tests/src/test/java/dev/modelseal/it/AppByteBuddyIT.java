package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 6: an application that ships its own, different Byte Buddy (copied to target/app-bytebuddy by the
 * dependency plugin) uses it and loads a signed model in the same JVM: the agent's Byte Buddy is isolated.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class AppByteBuddyIT {
  static final Path APP_BYTE_BUDDY = Path.of(System.getProperty("modelseal.app.bytebuddy",
      "target/app-bytebuddy/byte-buddy-1.15.10.jar"));

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void load_appWithOwnByteBuddyVersion_bothWork() throws Exception {
    assertEquals(true, Files.isRegularFile(APP_BYTE_BUDDY), APP_BYTE_BUDDY + " missing (run through Maven)");
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = ModelCase.CRITERIA.create(root);
    trusted.signTree(root);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.OwnByteBuddyThenLoad", "criteria",
            model.toString())
        .classpath(Fixtures.childClasspath(APP_BYTE_BUDDY.toAbsolutePath().toString()))
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("app-bytebuddy " + APP_BYTE_BUDDY.getFileName() + " x.Y" + Fixtures.NL
        + Fixtures.PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    assertEquals("allow", decisions.get(0).get("decision"));
  }
}
