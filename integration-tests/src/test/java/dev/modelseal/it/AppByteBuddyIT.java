package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 6: an application that ships its own copies of what the agent is built from uses them and loads a signed
 * model in the same JVM. The agent's jar is on the bootstrap search path, which every parent-first loader asks first,
 * so its Byte Buddy ASM, BouncyCastle and core are relocated under {@code dev.modelseal.agent.shaded}: a different
 * Byte Buddy (copied to target/app-bytebuddy by the dependency plugin), and modelseal-core and BouncyCastle themselves,
 * are the application's own.
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

    ForkedJvm.Result r = signAndLoad("dev.modelseal.it.apps.OwnByteBuddyThenLoad",
        APP_BYTE_BUDDY.toAbsolutePath().toString());

    assertEquals("app-bytebuddy " + APP_BYTE_BUDDY.getFileName() + " x.Y" + Fixtures.NL
        + Fixtures.PREDICTION + Fixtures.NL, r.stdout(), r::toString);
  }

  @Test
  void load_appWithOwnCoreAndBouncyCastle_appGetsItsOwnCopies() throws Exception {
    ForkedJvm.Result r = signAndLoad("dev.modelseal.it.apps.OwnLibrariesThenLoad", coreAndBouncyCastle());

    assertEquals("dev.modelseal.core.BlobVerifier app" + Fixtures.NL
        + "org.bouncycastle.crypto.digests.Blake2bDigest app" + Fixtures.NL
        + "blake2b-256 of nothing starts 0e57" + Fixtures.NL
        + Fixtures.PREDICTION + Fixtures.NL, r.stdout(), r::toString);
  }

  /** Runs {@code main} on a signed DJL model directory with {@code libraries} on its class path: exit 0, one allow. */
  private ForkedJvm.Result signAndLoad(String main, String... libraries) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = ModelCase.CRITERIA.create(root);
    trusted.signTree(root);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, main, "criteria", model.toString())
        .classpath(Fixtures.childClasspath(libraries))
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    assertEquals("allow", decisions.get(0).get("decision"));
    return r;
  }

  /** modelseal-core and BouncyCastle from this JVM's test classpath (the children's leaves them out). */
  private static String[] coreAndBouncyCastle() {
    List<String> found = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      String name = e.substring(e.lastIndexOf('/') + 1);
      if (e.contains("/core/target/") || name.startsWith("modelseal-core") || name.startsWith("bcprov")) {
        found.add(entry);
      }
    }
    assertEquals(2, found.size(), "modelseal-core and bcprov on the test classpath: " + found);
    return found.toArray(new String[0]);
  }
}
