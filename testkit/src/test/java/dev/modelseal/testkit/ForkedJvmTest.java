package dev.modelseal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForkedJvmTest {
    private static final String NL = System.lineSeparator();

    private static ForkedJvm child(String... commands) {
        return ForkedJvm.main(ChildMain.class.getName()).args(commands).timeout(Duration.ofSeconds(30));
    }

    @Test
    void run_childExitsWithCode_returnsCodeAndBothStreams() throws InterruptedException {
        ForkedJvm.Result result = child("out:hello", "err:oops", "exit:7").run();

        assertEquals(7, result.exitCode(), result::toString);
        assertEquals("hello" + NL, result.stdout());
        assertEquals("oops" + NL, result.stderr());
        assertFalse(result.timedOut());
    }

    @Test
    void run_envSetAndRemoved_childSeesOverrides() throws InterruptedException {
        ForkedJvm.Result result = child("env:MODELSEAL_TESTKIT_A", "env:HOME")
                .env("MODELSEAL_TESTKIT_A", "alpha").env("HOME", null).run();

        assertEquals("MODELSEAL_TESTKIT_A=alpha" + NL + "HOME=null" + NL, result.stdout(), result::toString);
    }

    @Test
    void run_jvmArgs_childSeesSystemProperty() throws InterruptedException {
        ForkedJvm.Result result = child("prop:modelseal.x").jvmArgs("-Dmodelseal.x=42").run();

        assertEquals("modelseal.x=42" + NL, result.stdout(), result::toString);
        assertEquals(0, result.exitCode());
    }

    @Test
    void run_largeOutput_capturedCompletely() throws InterruptedException {
        ForkedJvm.Result result = child("bulk:50000", "err:done").run();

        List<String> lines = result.stdout().lines().toList();
        assertEquals(50_000, lines.size(), result.stderr());
        assertEquals("line 49999", lines.get(lines.size() - 1));
        assertEquals("done" + NL, result.stderr());
    }

    @Test
    void run_childOutlivesTimeout_killsItAndReportsTimedOut() throws InterruptedException {
        ForkedJvm.Result result = child("out:started", "sleep:60000", "out:never")
                .timeout(Duration.ofMillis(1500)).run();

        assertTrue(result.timedOut(), result::toString);
        assertEquals(-1, result.exitCode());
        assertEquals("started" + NL, result.stdout());
        assertTrue(result.elapsed().toMillis() < 20_000, result::toString);
    }

    @Test
    void start_awaitStdoutLine_returnsLineWhileChildStillRuns() throws InterruptedException {
        try (RunningJvm running = child("out:listening on port 1234", "sleep:60000").start()) {
            String line = running.awaitStdoutLine(l -> l.startsWith("listening on port "), Duration.ofSeconds(20));

            assertEquals("listening on port 1234", line);
            assertTrue(running.isAlive());
        }
    }

    @Test
    void awaitStdoutLine_childExitsWithoutMatch_throwsWithCapturedOutput() throws InterruptedException {
        try (RunningJvm running = child("out:nothing here", "err:boom", "exit:1").start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> running.awaitStdoutLine("ready"::equals, Duration.ofSeconds(20)));

            assertTrue(e.getMessage().contains("nothing here"), e.getMessage());
            assertEquals(1, running.waitFor(Duration.ofSeconds(10)).exitCode());
        }
    }

    @Test
    void close_runningChild_killsIt() {
        RunningJvm running = child("sleep:60000").start();
        ProcessHandle handle = ProcessHandle.of(running.pid()).orElseThrow();

        running.close();

        assertFalse(handle.isAlive());
    }

    @Test
    void command_explicitSettings_buildsJavaJvmArgsClasspathMainArgs() {
        List<String> command = ForkedJvm.main("a.Main").javaHome(Path.of("/opt/jdk"))
                .jvmArgs("-javaagent:agent.jar").classpath("x.jar:y.jar").args("m.onnx", "0").command();

        assertEquals(List.of(Path.of("/opt/jdk/bin/java").toString(), "-javaagent:agent.jar", "-cp", "x.jar:y.jar",
                "a.Main", "m.onnx", "0"), command);
    }

    @Test
    void command_defaults_useCurrentJavaHomeAndClasspath() {
        List<String> command = ForkedJvm.main("a.Main").command();

        assertEquals(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "a.Main"), command);
    }
}
