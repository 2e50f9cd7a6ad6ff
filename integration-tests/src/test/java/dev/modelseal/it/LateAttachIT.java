package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenario 7: attaching the agent to a running JVM in enforce mode is refused: the JVM halts. */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LateAttachIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void agentmain_lateAttachInEnforceMode_haltsJvm() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.SelfAttach", Fixtures.AGENT_JAR.toString(),
            "key=" + trusted.publicKeyFile + ",mode=enforce")
        .jvmArgs("-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading").run();

    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("MAIN-STARTED" + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of("modelseal: fatal: late attach refused in enforce mode: models loaded before the attach"
        + " were not verified; start the JVM with -javaagent instead"),
        Fixtures.linesStarting(r.stderr(), "modelseal: "), r::toString);
  }
}
