package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive {@code dist/target/modelseal-VERSION.tar.gz} as a user gets it: its checksum
 * verifies with {@code sha256sum -c}, and unpacked outside the source tree its launcher runs the CLI
 * (directly, through a symlink named {@code cosign}, on another JDK) with a class-data-sharing archive
 * in the user's own cache, and its agent jar guards a forked JVM.
 */
class ReleaseArchiveIT {
  private static final String VERSION = System.getProperty("modelseal.version", "0.1.0-SNAPSHOT");
  private static final String NAME = "modelseal-" + VERSION;
  private static final Path ARCHIVE = Path.of(System.getProperty("modelseal.release.archive",
      "../dist/target/" + NAME + ".tar.gz")).toAbsolutePath().normalize();
  private static final Path JDK17 = Path.of(System.getProperty("java.home"));
  /** What {@code -Xlog:cds} on JDK 17 prints when the JVM opens a static archive. */
  private static final String OPENED = "Opened archive ";

  @TempDir
  static Path unpacked;
  /** The unpacked release: {@code <unpacked>/modelseal-VERSION}. */
  private static Path home;

  @TempDir
  Path tmp;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void unpack() throws Exception {
    Run r = exec(unpacked, Map.of(), "tar", "-xzf", ARCHIVE.toString(), "-C", unpacked.toString());
    assertEquals(0, r.exit(), r.err());
    home = unpacked.resolve(NAME).toRealPath();
  }

  @Test
  void sha256sumCheck_besideTheArchive_passes() throws Exception {
    Run r = exec(ARCHIVE.getParent(), Map.of(), "sha256sum", "-c", NAME + ".tar.gz.sha256");

    assertEquals(new Run(0, NAME + ".tar.gz: OK\n", ""), r);
  }

  @Test
  void archive_listing_holdsTheReleaseFilesWritableByTheOwnerOnly() throws Exception {
    Run r = exec(tmp, Map.of(), "tar", "-tvzf", ARCHIVE.toString());

    List<String> modesAndNames = r.out().lines().map(l -> l.split("\\s+")).map(f -> f[0] + " " + f[5]).toList();
    assertEquals(List.of("-rwxr-xr-x " + NAME + "/bin/modelseal", "-rw-r--r-- " + NAME + "/lib/modelseal.jar",
        "-rw-r--r-- " + NAME + "/lib/modelseal.classlist", "-rw-r--r-- " + NAME + "/lib/modelseal-agent.jar",
        "-rw-r--r-- " + NAME + "/README.md", "-rw-r--r-- " + NAME + "/LICENSE"), modesAndNames, r.out());
  }

  @Test
  void version_unpackedLauncher_printsTheVersion() throws Exception {
    Run r = modelseal(launcher(), "version");

    assertEquals(new Run(0, "modelseal " + VERSION + "\n", ""), r);
  }

  @Test
  void verifyBlob_signedWithTheUnpackedLauncher_verifiesOk() throws Exception {
    signedBlob(launcher());

    Run r = modelseal(launcher(), "verify-blob", "--key", "cosign.pub", "--signature", "blob.sig", "blob");

    assertEquals(new Run(0, "", "Verified OK\n"), r);
  }

  @Test
  void verifyBlob_throughRelativeSymlinkNamedCosign_verifiesOk() throws Exception {
    Path cosign = Files.createDirectories(tmp.resolve("bin")).resolve("cosign");
    Files.createSymbolicLink(cosign, cosign.getParent().relativize(launcher()));
    signedBlob(cosign);

    Run r = modelseal(cosign, "verify-blob", "--key", "cosign.pub", "--signature", "blob.sig", "blob");

    assertEquals(new Run(0, "", "Verified OK\n"), r);
  }

  @Test
  void version_javaHomeIsJdk25_runsOnThatJdk() throws Exception {
    Path jdk25 = Fixtures.javaHome("25");

    Run r = run(launcher(), Map.of("JAVA_HOME", jdk25.toString(), "JDK_JAVA_OPTIONS", "-XshowSettings:properties"),
        "version");

    assertEquals(0, r.exit(), r.err());
    assertEquals("modelseal " + VERSION + "\n", r.out());
    assertTrue(r.err().contains("\n    java.home = " + jdk25 + "\n"), r.err());
  }

  @Test
  void version_firstRun_leavesTheArchiveInAnOwnerOnlyCache() throws Exception {
    assertEquals(0, modelseal(launcher(), "version").exit());

    Path cache = tmp.resolve("cache/modelseal");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    try (Stream<Path> files = Files.list(cache)) {
      List<String> names = new ArrayList<>();
      for (Path f : files.toList()) {
        names.add(f.getFileName().toString());
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
        assertTrue(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE).containsAll(p), f + " " + p);
      }
      String key = (home + "/lib/modelseal.jar@" + JDK17 + "/bin/java").replace("/", "%2F");
      assertEquals(Set.of(key + ".jsa", key + ".jvm"), Set.copyOf(names));
    }
  }

  @Test
  void verifyBlob_afterTheFirstRun_mapsTheArchiveFromTheUserCache() throws Exception {
    signedBlob(launcher());

    runLogged("verify-blob", "--key", "cosign.pub", "--signature", "blob.sig", "blob");

    assertTrue(cdsLog().contains(OPENED + tmp.resolve("cache/modelseal/")), cdsLog());
  }

  @Test
  void verifyBlob_archiveWritableByGroup_runsWithoutIt() throws Exception {
    signedBlob(launcher());
    try (Stream<Path> files = Files.list(tmp.resolve("cache/modelseal"))) {
      for (Path f : files.toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
      }
    }

    Run r = runLogged("verify-blob", "--key", "cosign.pub", "--signature", "blob.sig", "blob");

    assertTrue(r.err().endsWith("\nVerified OK\n"), r.err());
    assertFalse(cdsLog().contains("/cache/modelseal/"), cdsLog());
  }

  @Test
  void version_cacheIsAFile_runsWithoutAnArchive() throws Exception {
    Path notADirectory = Files.writeString(tmp.resolve("cache-file"), "");

    Run r = run(launcher(), Map.of("XDG_CACHE_HOME", notADirectory.toString()), "version");

    assertEquals(new Run(0, "modelseal " + VERSION + "\n", ""), r);
  }

  @Test
  void load_modelSignedWithTheUnpackedLauncher_predictsWithTheUnpackedAgent() throws Exception {
    Path root = tmp.resolve("models");
    Path model = ModelCase.ORT_PATH.create(root);
    assertEquals(0, modelseal(launcher(), "generate-key-pair").exit());
    Run signed = modelseal(launcher(), "sign-blob", "--key", "cosign.key", "--output-signature", model + ".sig",
        model.toString());
    assertEquals(0, signed.exit(), signed.err());

    ForkedJvm.Result r = loadWithUnpackedAgent(model, tmp.resolve("work/cosign.pub"));

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(Fixtures.PREDICTION + Fixtures.NL, r.stdout(), r::toString);
  }

  @Test
  void load_unsignedModel_refusedByTheUnpackedAgent() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = tmp.resolve("models");
    Path model = ModelCase.ORT_PATH.create(root);

    ForkedJvm.Result r = loadWithUnpackedAgent(model, trusted.publicKeyFile);

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(List.of(Expectations.rejectedLine(Refusal.UNSIGNED, ModelCase.ORT_PATH, model, root, trusted, trusted)),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
  }

  @Test
  void version_jarMissing_namesWhereItLookedAndFails() throws Exception {
    Path launcher = Files.createDirectories(tmp.resolve("broken/bin")).resolve("modelseal");
    Files.copy(launcher(), launcher);

    Run r = modelseal(launcher, "version");

    assertEquals(new Run(1, "", "modelseal: " + tmp.toRealPath().resolve("broken/lib/modelseal.jar")
        + " not found; unpack the release archive again\n"), r);
  }

  @Test
  void version_javaHomeIsJava11_failsNamingTheVersion() throws Exception {
    Path jdk11 = Files.createDirectories(tmp.resolve("jdk-11/bin")).getParent();
    Files.writeString(jdk11.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
    Files.writeString(jdk11.resolve("bin/java"), "#!/bin/sh\necho ran\n");
    Files.setPosixFilePermissions(jdk11.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));

    Run r = run(launcher(), Map.of("JAVA_HOME", jdk11.toString()), "version");

    assertEquals(new Run(1, "", "modelseal: " + jdk11 + "/bin/java is Java 11.0.2; modelseal needs Java 17 or newer"
        + " (set JAVA_HOME or the PATH)\n"), r);
  }

  @Test
  void version_noJavaHomeAndNoJavaOnThePath_fails() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", null);
    env.put("PATH", tmp.resolve("empty").toString());

    Run r = run(Path.of("/bin/bash"), env, launcher().toString(), "version");

    assertEquals(new Run(1, "", "modelseal: no java found; set JAVA_HOME or put a JDK 17 or newer on the PATH\n"), r);
  }

  private static Path launcher() {
    return home.resolve("bin/modelseal");
  }

  /** A forked LoadModel (ONNX Runtime, by path) with the unpacked agent trusting {@code key}, enforcing. */
  private static ForkedJvm.Result loadWithUnpackedAgent(Path model, Path key) throws InterruptedException {
    return Fixtures.loadModel("17", ModelCase.ORT_PATH.mode, model).jvmArgs("-javaagent:"
        + home.resolve("lib/modelseal-agent.jar") + "=key=" + key + ",models=" + model.getParent() + ",mode=enforce")
        .run();
  }

  /** A key pair in the working folder and {@code blob.sig}, a signature of {@code blob}, made by {@code launcher}. */
  private void signedBlob(Path launcher) throws Exception {
    Files.writeString(Files.createDirectories(tmp.resolve("work")).resolve("blob"), "weights");
    assertEquals(0, modelseal(launcher, "generate-key-pair").exit());
    Run r = modelseal(launcher, "sign-blob", "--key", "cosign.key", "--output-signature", "blob.sig", "blob");
    assertEquals(0, r.exit(), r.err());
  }

  private String cdsLog() throws IOException {
    return Files.readString(tmp.resolve("cds.log"));
  }

  /** Runs the unpacked launcher with the JVM logging which archive it opens. */
  private Run runLogged(String... args) throws Exception {
    return run(launcher(), Map.of("JAVA_TOOL_OPTIONS", "-Xlog:cds=info:file=" + tmp.resolve("cds.log")), args);
  }

  private Run modelseal(Path launcher, String... args) throws Exception {
    return run(launcher, Map.of(), args);
  }

  /**
   * Runs {@code program} in {@code <tmp>/work} on JDK 17 with the cache in {@code <tmp>/cache}, the
   * environment changed by {@code env} (a null value removes the variable).
   */
  private Run run(Path program, Map<String, String> env, String... args) throws Exception {
    Map<String, String> e = new HashMap<>();
    e.put("JAVA_HOME", JDK17.toString());
    e.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    e.put("COSIGN_PASSWORD", "release-test");
    e.putAll(env);
    List<String> cmd = new ArrayList<>(List.of(program.toString()));
    cmd.addAll(List.of(args));
    return exec(Files.createDirectories(tmp.resolve("work")), e, cmd.toArray(String[]::new));
  }

  private static Run exec(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    Stream.of("MODELSEAL_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS").forEach(e::remove);
    env.forEach((k, v) -> {
      if (v == null) {
        e.remove(k);
      } else {
        e.put(k, v);
      }
    });
    Path out = Files.createTempFile("release-it", ".out");
    Path err = Files.createTempFile("release-it", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + List.of(cmd));
    }
    Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
