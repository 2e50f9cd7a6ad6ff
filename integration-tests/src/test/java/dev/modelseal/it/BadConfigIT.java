package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 4: a configuration the agent cannot use stops the JVM before main (MAIN-STARTED never printed) with
 * exit code 1 and exactly one {@code modelseal: fatal: } line; any other stderr line is the JVM's own warning.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class BadConfigIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  Fixtures.Signer trusted;

  @BeforeEach
  void key() {
    trusted = new Fixtures.Signer(tmp, "trusted");
  }

  @Test
  void premain_unknownAgentArgument_haltsBeforeMain() throws Exception {
    assertFatal(run(Fixtures.agent("key=" + trusted.publicKeyFile + ",colour=blue")),
        "modelseal: fatal: unknown agent argument \"colour\" (known: key, config, mode, audit-log, models, sealed-roots, pin)");
  }

  @Test
  void premain_missingKeyFile_haltsBeforeMain() throws Exception {
    Path missing = tmp.resolve("missing.pub");
    assertFatal(run(Fixtures.agent("key=" + missing)),
        "modelseal: fatal: cannot read key " + missing + ": no such file");
  }

  @Test
  void premain_keyFileIsNotAKey_haltsBeforeMain() throws Exception {
    Path garbage = Fixtures.write(tmp.resolve("garbage.pub"), "hello\n");
    assertFatal(run(Fixtures.agent("key=" + garbage)),
        "modelseal: fatal: cannot read key " + garbage + ": not a PEM file: no -----BEGIN line");
  }

  @Test
  void premain_noKeys_haltsBeforeMain() throws Exception {
    assertFatal(run(Fixtures.agent(null)), "modelseal: fatal: no trusted keys configured"
        + " (set key=/path/to/cosign.pub or a config file with key.<name> = ... or identity.<name>.san and"
        + " identity.<name>.issuer)");
  }

  @Test
  void premain_unknownSettingInConfigFile_haltsBeforeMain() throws Exception {
    Path config = Fixtures.write(tmp.resolve("agent.conf"),
        "# ModelSeal\nkey.main = " + trusted.publicKeyFile + "\ncolour = blue\n");
    assertFatal(run(Fixtures.agent("config=" + config)),
        "modelseal: fatal: config " + config + " line 3: unknown setting \"colour\"");
  }

  @Test
  void premain_trustedRootThatIsNoTrustedRoot_haltsBeforeMain() throws Exception {
    Path root = Fixtures.write(tmp.resolve("trusted_root.json"), "{\"mediaType\": \"x\"}\n");
    Path config = Fixtures.write(tmp.resolve("agent.conf"), "identity.ci.san = ci@example.com\n"
        + "identity.ci.issuer = https://accounts.google.com\ntrusted-root = " + root + "\n");
    assertFatal(run(Fixtures.agent("config=" + config)), "modelseal: fatal: cannot read trusted root " + root
        + ": trusted root has media type x, expected application/vnd.dev.sigstore.trustedroot+json;version=0.1");
  }

  @Test
  void premain_identityWithoutIssuer_haltsBeforeMain() throws Exception {
    Path config = Fixtures.write(tmp.resolve("agent.conf"), "identity.ci.san = ci@example.com\n");
    assertFatal(run(Fixtures.agent("config=" + config)), "modelseal: fatal: config " + config
        + " line 1: identity \"ci\" has no identity.ci.issuer or identity.ci.issuer-regexp");
  }

  @Test
  void premain_misspelledSystemProperty_haltsBeforeMain() throws Exception {
    assertFatal(run("-Dmodelseal.mdoe=audit", Fixtures.agent("key=" + trusted.publicKeyFile)),
        "modelseal: fatal: unknown system property \"modelseal.mdoe\"");
  }

  private ForkedJvm.Result run(String... jvmArgs) throws InterruptedException {
    return Fixtures.child(jdk, "dev.modelseal.it.apps.MainStarted").jvmArgs(jvmArgs).run();
  }

  private static void assertFatal(ForkedJvm.Result r, String expected) {
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    List<String> ours = r.stderr().lines()
        .filter(l -> !l.startsWith("OpenJDK 64-Bit Server VM warning: ") && !l.startsWith("WARNING: "))
        .toList();
    assertEquals(List.of(expected), ours, r::toString);
  }
}
