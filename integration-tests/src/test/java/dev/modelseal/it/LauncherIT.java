package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
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
 * The {@code bin/modelseal} launcher with its default JVM options (G1, the SHA-256 CompileCommands,
 * JVM warnings on stderr) on each JDK: commands work and the JVM adds nothing to
 * their output, so a signature written to stdout stays exactly the signature. The class-data-sharing
 * archive the build writes is mapped only by the JVM that wrote it, and only while it is not older
 * than the jar.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("modelseal.launcher", "../bin/modelseal"))
      .toAbsolutePath().normalize();
  private static final Path TARGET = LAUNCHER.getParent().resolveSibling("cli/target");
  /** What {@code -Xlog:cds} prints when the JVM opens a static archive. */
  private static final String OPENED = "Opened archive ";

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

  @Test
  void verifyModel_jdkThatBuiltTheArchive_mapsItAndLoadsTheCliFromIt() throws Exception {
    verifyLoggedWithTheBuiltArchive();

    assertTrue(cdsLog().contains(OPENED + TARGET.toRealPath().resolve("modelseal.jsa")), cdsLog());
    assertTrue(Files.readString(tmp.resolve("classes.log"))
        .contains(" dev.modelseal.cli.Main source: shared objects file\n"));
  }

  @Test
  void verifyModel_jdkThatBuiltTheArchive_bootsTheArchivedModuleGraph() throws Exception {
    verifyLoggedWithTheBuiltArchive();

    assertTrue(cdsLog().contains("full module graph: enabled"), cdsLog());
  }

  @Test
  void verifyModel_otherJdk_runsWithoutTheArchive() throws Exception {
    assumeTrue(!builtTheArchive(), "not the JDK that built the archive");

    assertVerifiesWithoutTheArchive(LAUNCHER);
  }

  @Test
  void verifyModel_jarNewerThanTheArchive_runsWithoutIt() throws Exception {
    assumeTrue(builtTheArchive(), "the JDK that built the archive");
    Path launcher = copiedLauncher();
    Path jar = launcher.resolveSibling("../cli/target/modelseal.jar").normalize();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(
        Files.getLastModifiedTime(jar.resolveSibling("modelseal.jsa")).toMillis() + 60_000));

    assertVerifiesWithoutTheArchive(launcher);
  }

  @Test
  void verifyModel_archiveWrittenByAnotherJvm_runsWithoutIt() throws Exception {
    assumeTrue(builtTheArchive(), "the JDK that built the archive");
    Path launcher = copiedLauncher();
    Files.writeString(launcher.resolveSibling("../cli/target/modelseal.jsa.jvm").normalize(), "/opt/other-jdk/bin/java\n");

    assertVerifiesWithoutTheArchive(launcher);
  }

  /** Verifies a signed model with the repository's launcher and archive, logged; skipped on other JDKs. */
  private void verifyLoggedWithTheBuiltArchive() throws Exception {
    assumeTrue(builtTheArchive(), "the JDK that built the archive");
    signedModel();

    Run r = runLogged(LAUNCHER, "verify-model", "--key", "cosign.pub", "model");

    assertTrue(r.err().endsWith("\nVerified OK\n"), r.err());
  }

  /** True if this test's JDK is the one the build recorded in {@code modelseal.jsa.jvm}. */
  private boolean builtTheArchive() throws IOException {
    Path recorded = Path.of(Files.readString(TARGET.resolve("modelseal.jsa.jvm")).strip());
    return Fixtures.javaHome(jdk).resolve("bin/java").toRealPath().equals(recorded.toRealPath());
  }

  /** Verifies a signed model through {@code launcher}: clean output, and the JVM never opened the archive. */
  private void assertVerifiesWithoutTheArchive(Path launcher) throws Exception {
    signedModel();

    Run r = runLogged(launcher, "verify-model", "--key", "cosign.pub", "model");

    assertTrue(r.err().endsWith("\nVerified OK\n"), r.err());
    assertFalse(cdsLog().contains("modelseal.jsa"), cdsLog());
  }

  /** A copy of the launcher with the built jar and archive beside it, as in the repository. */
  private Path copiedLauncher() throws IOException {
    Path root = tmp.resolve("copy");
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("cli/target"));
    Path launcher = Files.copy(LAUNCHER, root.resolve("bin/modelseal"));
    for (String f : List.of("modelseal.jar", "modelseal.jsa", "modelseal.jsa.jvm")) {
      Files.copy(TARGET.resolve(f), root.resolve("cli/target/" + f), StandardCopyOption.COPY_ATTRIBUTES);
    }
    return launcher;
  }

  private String cdsLog() throws IOException {
    return Files.readString(tmp.resolve("cds.log"));
  }

  /** Runs with the JVM logging which archive it opens and where each class came from. */
  private Run runLogged(Path launcher, String... args) throws IOException, InterruptedException {
    return run(launcher, "-Xlog:cds=info:file=" + tmp.resolve("cds.log") + " -Xlog:class+load=info:file="
        + tmp.resolve("classes.log"), args);
  }

  private void signedModel() throws Exception {
    Files.createDirectories(tmp.resolve("model"));
    Files.writeString(tmp.resolve("model/a.bin"), "a");
    Files.writeString(tmp.resolve("model/b.bin"), "b");
    Run r = run("sign-model", "--key", "cosign.key", "model");
    assertEquals(0, r.exit(), r.err());
  }

  private Run run(String... args) throws IOException, InterruptedException {
    return run(LAUNCHER, null, args);
  }

  private Run run(Path launcher, String javaToolOptions, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    Map<String, String> env = pb.environment();
    env.remove("MODELSEAL_JAVA_OPTS");
    env.remove("JAVA_TOOL_OPTIONS");
    if (javaToolOptions != null) {
      env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    }
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
