package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static dev.modelseal.it.ReadOnlyMounts.mustRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OpenSSF model-signing directory (DJL layout: model.onnx, serving.properties, libs/x.jar, {@code model.sig}) on
 * read-only storage, through the packaged agent on real mounts (root only: skipped, saying why, elsewhere), loaded by
 * ONNX Runtime's {@code createSession(path)} of its model.onnx. Swaps after the check are made by the probe agent in
 * {@code OrtSession.<init>}, after ModelSeal's check and before ORT reads the file; the runtime's prediction (y = x + 1,
 * not the swapped-in y = x + 2) shows which bytes it read. In place: a rename over model.onnx made outside the JVM's
 * mount namespace after the check does not reach the runtime; a restart on the unchanged model takes every listed
 * file's digests from the verified-result cache (with {@code verified-cache=false} it hashes them again and records
 * nothing); a write to model.onnx with its modification time restored is hashed again and refused before the runtime
 * gets a byte. Not in place (a read-only bind mount of a directory still
 * writable here): a rewrite, a truncation or a rename of model.onnx after the check does not reach the runtime.
 * Not covered: a change made while the files are hashed (no probe point inside the agent's hashing). JDK 17.
 */
class OmsInPlaceIT {
  private static final String JDK = "17";
  private static final String LOAD = "dev.modelseal.it.apps.LoadThenListPins";
  private static final String CACHE_HIT = "; verified-result cache hit (not hashed)";

  @TempDir Path tmp;
  private final ReadOnlyMounts mounts = new ReadOnlyMounts();
  private Fixtures.Signer signer;
  private Path pins;
  private Path log;

  @BeforeEach
  void setUp() throws Exception {
    ReadOnlyMounts.assumePermitted(tmp);
    signer = new Fixtures.Signer(tmp, "prod");
    pins = Files.createDirectories(tmp.resolve("pins"));
    log = tmp.resolve("decisions.jsonl");
  }

  @AfterEach
  void unmount() throws Exception {
    mounts.unmountAll();
  }

  @Test
  void load_restartOnUnchangedOmsDirectoryOnReadOnlyFileSystem_verifiedResultCacheHitLoggedAndLoads()
      throws Exception {
    Path model = readOnlyTmpfsOmsModel();
    Thread.sleep(1100); // older than the cache's racily-clean window
    ForkedJvm.Result first = child(model).run();
    assertEquals(PREDICTION, first.stdout().lines().findFirst().orElse(""), first::toString);

    ForkedJvm.Result r = child(model).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(2, decisions.size(), decisions::toString);
    assertEquals(readOnlyNote(model), decisions.get(0).get("pinNote"), decisions::toString);
    assertEquals("allow", decisions.get(1).get("decision"));
    assertEquals("in-place", decisions.get(1).get("pin"));
    assertEquals(readOnlyNote(model) + CACHE_HIT, decisions.get(1).get("pinNote"), decisions::toString);
    assertEquals(OmsFixtures.rootDigest(model.getParent(), OmsFixtures.directoryHashing()),
        decisions.get(1).get("digest"), decisions::toString);
    assertEquals(List.of("PIN modelseal-verified-cache dir", "PIN modelseal-verified-cache/verified-results file"),
        Fixtures.linesStarting(r.stdout(), "PIN modelseal-verified-cache"), r::toString);
  }

  @Test
  void load_restartOnUnchangedOmsDirectoryWithCacheOff_hashedAgainAndNothingRecorded() throws Exception {
    Path model = readOnlyTmpfsOmsModel();
    Thread.sleep(1100);
    ForkedJvm.Result first = child(model, "verified-cache = false\n").run();
    assertEquals(PREDICTION, first.stdout().lines().findFirst().orElse(""), first::toString);

    ForkedJvm.Result r = child(model, "verified-cache = false\n").run();

    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(readOnlyNote(model), decisions.get(1).get("pinNote"), decisions::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stdout(), "PIN modelseal-verified-cache"), r::toString);
  }

  @Test
  void load_omsFileWrittenWithModificationTimeRestoredAfterCachedLoad_rehashedAndRefusedBeforeRuntimeReads()
      throws Exception {
    Path model = readOnlyTmpfsOmsModel();
    Thread.sleep(1100);
    ForkedJvm.Result first = child(model).run();
    assertEquals(PREDICTION, first.stdout().lines().findFirst().orElse(""), first::toString);
    byte[] tampered = Fixtures.onnxTampered();
    assertEquals(TinyModels.onnx().length, tampered.length, "same size: only ctime tells");
    FileTime mtime = Files.getLastModifiedTime(model);
    mustRun("mount", "-o", "remount,rw", model.getParent().getParent().toString());
    Files.write(model, tampered);
    Files.setLastModifiedTime(model, mtime);
    mustRun("mount", "-o", "remount,ro", model.getParent().getParent().toString());

    ForkedJvm.Result r = child(model).jvmArgs(ProbeJar.agentArg()).run();

    assertEquals(List.of("rejected: model rejected (MANIFEST_MISMATCH): " + model + ": model.sig: model does not match"
        + " its signature: modified files: " + OmsFixtures.MODEL), Fixtures.linesStarting(r.stdout(), "rejected: "),
        r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stdout(), "prediction: "), r::toString);
    assertEquals(List.of("PROBE installed"), Fixtures.linesStarting(r.stderr(), "PROBE installed"), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    Map<String, Object> second = Fixtures.decisions(log).get(1);
    assertEquals("deny", second.get("decision"));
    assertEquals("MANIFEST_MISMATCH", second.get("reason"), second::toString);
  }

  @Test
  void load_omsDirectoryOnReadOnlyBindMountAloneInJvmNamespace_inPlaceAndRenameOverModelAfterCheckNeverReachesRuntime()
      throws Exception {
    Path volume = Files.createDirectories(tmp.resolve("volume"));
    mounts.tmpfs(volume, "size=8m");
    Path dir = OmsFixtures.djlDirectory(volume.resolve("djl-model"));
    OmsFixtures.signDirectory(signer, dir);
    Path original = dir.resolve(OmsFixtures.MODEL);
    Path ro = Files.createDirectories(tmp.resolve("readonly"));
    mustRun("mount", "--bind", volume.toString(), ro.toString());
    mounts.track(ro);
    mustRun("mount", "-o", "remount,bind,ro", ro.toString());
    Path swapped = tmp.resolve("swapped");
    // The JVM gets its own mount namespace where the volume's writable mount is gone (as in a container with a
    // readOnly volume); this test, outside it, still renames in the volume: after the check, before ORT reads.
    ForkedJvm jvm = child(ro.resolve("djl-model").resolve(OmsFixtures.MODEL))
        .javaHome(ReadOnlyMounts.namespaceJavaHome(tmp, JDK, volume))
        .jvmArgs("-Dprobe.swap.at=ai.onnxruntime.OrtSession.<init>", "-Dprobe.swap.target=" + original,
            "-Dprobe.swap.await=" + swapped, ProbeJar.agentArg());
    CompletableFuture<ForkedJvm.Result> running = CompletableFuture.supplyAsync(() -> {
      try {
        return jvm.run();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(Path.of(swapped + ".ready")) && !running.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Path fresh = Fixtures.write(dir.resolve(OmsFixtures.MODEL + ".new"), Fixtures.onnxPlusTwo());
    Files.move(fresh, original, StandardCopyOption.ATOMIC_MOVE);
    Files.createFile(swapped);

    ForkedJvm.Result r = running.get(120, TimeUnit.SECONDS);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + original), Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertArrayEquals(Fixtures.onnxPlusTwo(), Files.readAllBytes(original), "the volume's name now holds another model");
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    Map<String, Object> d = onlyDecision();
    assertEquals("in-place", d.get("pin"), d::toString);
    assertTrue(String.valueOf(d.get("pinNote")).startsWith("pinned in place (its mount " + ro + " is read-only and no"
        + " mount of "), d::toString);
  }

  @Test
  void load_omsDirectoryOnReadOnlyBindMountWritableHere_rewriteOfModelAfterCheckNeverReachesRuntime()
      throws Exception {
    Path[] srcAndModel = readOnlyBindMountOmsModel();

    ForkedJvm.Result r = swapping(srcAndModel, Fixtures.onnxPlusTwo(), false).run();

    assertSwapDidNotReach(r, srcAndModel[0], Fixtures.onnxPlusTwo());
  }

  @Test
  void load_omsDirectoryOnReadOnlyBindMountWritableHere_truncationOfModelAfterCheckNeverReachesRuntime()
      throws Exception {
    Path[] srcAndModel = readOnlyBindMountOmsModel();

    ForkedJvm.Result r = swapping(srcAndModel, new byte[0], false).run();

    assertSwapDidNotReach(r, srcAndModel[0], new byte[0]);
  }

  @Test
  void load_omsDirectoryOnReadOnlyBindMountWritableHere_renameOverModelAfterCheckNeverReachesRuntime()
      throws Exception {
    Path[] srcAndModel = readOnlyBindMountOmsModel();

    ForkedJvm.Result r = swapping(srcAndModel, Fixtures.onnxPlusTwo(), true).run();

    assertSwapDidNotReach(r, srcAndModel[0], Fixtures.onnxPlusTwo());
  }

  // ---------------------------------------------------------------- fixtures

  /** The signed OMS directory's model.onnx on a fresh tmpfs, then remounted read-only (its super block). */
  private Path readOnlyTmpfsOmsModel() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    mounts.tmpfs(vol, "size=8m");
    Path dir = OmsFixtures.djlDirectory(vol.resolve("djl-model"));
    OmsFixtures.signDirectory(signer, dir);
    mustRun("mount", "-o", "remount,ro", vol.toString());
    return dir.resolve(OmsFixtures.MODEL);
  }

  /** The pin note of a model on a read-only tmpfs: its device as {@code /proc/self/mountinfo} shows it. */
  private static String readOnlyNote(Path model) throws IOException {
    long dev = (Long) Files.getAttribute(model, "unix:dev");
    long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    return "pinned in place (its file system (tmpfs " + major + ":" + minor + ") is read-only)";
  }

  /** {source OMS dir, its model.onnx under a read-only bind mount of the source's parent}: the source stays writable. */
  private Path[] readOnlyBindMountOmsModel() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path dir = OmsFixtures.djlDirectory(src.resolve("djl-model"));
    OmsFixtures.signDirectory(signer, dir);
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    mustRun("mount", "--bind", src.toString(), ro.toString());
    mounts.track(ro);
    mustRun("mount", "-o", "remount,bind,ro", ro.toString());
    return new Path[] {dir, ro.resolve("djl-model").resolve(OmsFixtures.MODEL)};
  }

  /** The probe replaces the source's model.onnx with {@code replacement} in OrtSession's constructor. */
  private ForkedJvm swapping(Path[] srcAndModel, byte[] replacement, boolean rename) {
    Path from = Fixtures.write(tmp.resolve("replacement.onnx"), replacement);
    return child(srcAndModel[1]).jvmArgs("-Dprobe.swap.at=ai.onnxruntime.OrtSession.<init>",
        "-Dprobe.swap.target=" + srcAndModel[0].resolve(OmsFixtures.MODEL), "-Dprobe.swap.from=" + from,
        "-Dprobe.swap.rename=" + rename, ProbeJar.agentArg());
  }

  private void assertSwapDidNotReach(ForkedJvm.Result r, Path srcDir, byte[] nowThere) throws IOException {
    Path original = srcDir.resolve(OmsFixtures.MODEL);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + original), Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertArrayEquals(nowThere, Files.readAllBytes(original), "the source was changed");
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    Map<String, Object> d = onlyDecision();
    assertEquals("copy", d.get("pin"), d::toString);
    assertTrue(String.valueOf(d.get("pinNote")).contains(" is read-only but the same file system is writable at /"),
        d::toString);
  }

  private ForkedJvm child(Path model) {
    return child(model, "");
  }

  /** LoadThenListPins on {@code model} with the agent (config naming the pin folder and the decision log, then more). */
  private ForkedJvm child(Path model, String moreConfig) {
    Path conf = Fixtures.write(tmp.resolve("agent.conf"), "key.prod = " + signer.publicKeyFile + "\naudit-log = " + log
        + "\npin-dir = " + pins + "\n" + moreConfig);
    return Fixtures.child(JDK, LOAD, model.toString(), pins.toString()).jvmArgs(Fixtures.agent("config=" + conf));
  }

  private Map<String, Object> onlyDecision() {
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    return decisions.get(0);
  }
}
