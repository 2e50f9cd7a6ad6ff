package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.io.File;
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
 * The agent's jar is on the bootstrap search path, which every parent-first loader asks first: an application that
 * ships modelseal-core and BouncyCastle itself must still get its own copies (the agent's are relocated under
 * {@code dev.modelseal.agent.shaded}), use them, and load a signed model in the same JVM.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class AppLibrariesIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void load_appWithOwnCoreAndBouncyCastle_appGetsItsOwnCopies() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = ModelCase.CRITERIA.create(root);
    trusted.signTree(root);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.OwnLibrariesThenLoad", "criteria",
            model.toString())
        .classpath(Fixtures.childClasspath(appLibraries()))
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("dev.modelseal.core.BlobVerifier app" + Fixtures.NL
        + "org.bouncycastle.crypto.digests.Blake2bDigest app" + Fixtures.NL
        + "blake2b-256 of nothing starts 0e57" + Fixtures.NL
        + Fixtures.PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    assertEquals("allow", decisions.get(0).get("decision"));
  }

  /** modelseal-core and BouncyCastle from this JVM's test classpath (the children's leaves them out). */
  private static String[] appLibraries() {
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
