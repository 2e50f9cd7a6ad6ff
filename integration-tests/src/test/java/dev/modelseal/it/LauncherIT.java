package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code bin/modelseal} launcher with its default JVM options (serial GC and the SHA-256
 * CompileCommands) on each JDK: commands work and the JVM adds nothing to their output, so a
 * signature written to stdout stays exactly the signature.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("modelseal.launcher", "../bin/modelseal"))
      .toAbsolutePath().normalize();

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void keyPair() throws Exception {
    Run r = run("generate-key-pair");
    assertEquals(0, r.exit(), r.err());
  }

  @Test
  void signBlob_defaultJvmOptions_stdoutIsOnlyTheSignature() throws Exception {
    Files.writeString(tmp.resolve("model.bin"), "weights");

    Run r = run("sign-blob", "--key", "cosign.key", "model.bin");

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().matches("[A-Za-z0-9+/]{80,}={0,2}\n"), "stdout: " + r.out());
  }

  @Test
  void verifyBlob_signedBlob_verifiesWithCleanOutput() throws Exception {
    Files.writeString(tmp.resolve("model.bin"), "weights");
    assertEquals(0, run("sign-blob", "--key", "cosign.key", "--output-signature", "model.bin.sig", "model.bin").exit());

    Run r = run("verify-blob", "--key", "cosign.pub", "--signature", "model.bin.sig", "model.bin");

    assertEquals(new Run(0, "", "Verified OK\n"), r);
  }

  @Test
  void verifyModel_signedDirectory_verifies() throws Exception {
    signedModel();

    Run r = run("verify-model", "--key", "cosign.pub", "model");

    assertEquals(new Run(0, "", "Verified OK\n"), r);
  }

  @Test
  void verifyModel_modifiedFile_exitsOneNamingTheFile() throws Exception {
    signedModel();
    Files.writeString(tmp.resolve("model/b.bin"), "tampered");

    Run r = run("verify-model", "--key", "cosign.pub", "model");

    assertEquals(new Run(1, "", "Error: verification failed: model does not match its signature: "
        + "modified files: b.bin\n"), r);
  }

  private void signedModel() throws Exception {
    Files.createDirectories(tmp.resolve("model"));
    Files.writeString(tmp.resolve("model/a.bin"), "a");
    Files.writeString(tmp.resolve("model/b.bin"), "b");
    Run r = run("sign-model", "--key", "cosign.key", "model");
    assertEquals(0, r.exit(), r.err());
  }

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    Map<String, String> env = pb.environment();
    env.remove("MODELSEAL_JAVA_OPTS");
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("JAVA_HOME", Fixtures.javaHome(jdk).toString());
    env.put("COSIGN_PASSWORD", "launcher-test");
    pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("launcher timed out: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }
}
