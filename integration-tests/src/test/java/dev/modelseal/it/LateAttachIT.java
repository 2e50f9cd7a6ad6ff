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

/**
 * Scenario 7: attaching the agent to a running JVM in enforce mode, or a second agent to a JVM that already runs
 * one, is refused with one line, and the running JVM goes on (the attach returns, main finishes).
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LateAttachIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void agentmain_lateAttachInEnforceMode_refusedWithOneLineAndJvmRunsOn() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.SelfAttach", Fixtures.AGENT_JAR.toString(),
            "key=" + trusted.publicKeyFile + ",mode=enforce")
        .jvmArgs("-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading").run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("MAIN-STARTED" + Fixtures.NL + "ATTACH-RETURNED" + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of("modelseal: not attached: late attach refused in enforce mode: models loaded before the"
        + " attach were not verified; start the JVM with -javaagent instead"),
        Fixtures.linesStarting(r.stderr(), "modelseal: "), r::toString);
  }

  @Test
  void agentmain_secondAgentAttachedToJvmRunningOne_refusedWithOneLineAndJvmRunsOn() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.SelfAttach", Fixtures.AGENT_JAR.toString(),
            "key=" + trusted.publicKeyFile + ",mode=audit")
        .jvmArgs("-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading",
            Fixtures.agent("key=" + trusted.publicKeyFile + ",audit-log=" + tmp.resolve("decisions.jsonl")))
        .run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("MAIN-STARTED" + Fixtures.NL + "ATTACH-RETURNED" + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of("modelseal: not attached: the ModelSeal agent is already running in this JVM"),
        Fixtures.linesStarting(r.stderr(), "modelseal: "), r::toString);
  }
}
