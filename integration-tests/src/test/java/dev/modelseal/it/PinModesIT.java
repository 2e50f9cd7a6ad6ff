package dev.modelseal.it;

import static dev.modelseal.it.Fixtures.PREDICTION;
import static dev.modelseal.it.ReadOnlyMounts.mustRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinning modes through the packaged agent on real mounts (root only: skipped, saying why, elsewhere): a model on a
 * read-only file system is verified and loaded in place (only links in the pin folder) and its verified result is
 * reused after a restart until the file changes; a read-only bind mount of a directory still writable here does not
 * qualify, so a rewrite or a rename of the original after the check never reaches the runtime; a read-only bind
 * mount that is the only mount of its volume in the JVM's mount namespace qualifies, and a rename over the original
 * made outside that namespace after the check does not reach the runtime (a write to the same inode from outside
 * would: such writers are trusted by the rule, see ARCHITECTURE.md); a model larger than
 * the pin folder's free space is refused before anything is written; an OpenSSF model-signing directory on a
 * read-only file system loads in place too (a tree of links to the descriptors that were hashed). JDK 17.
 */
class PinModesIT {
  private static final String JDK = "17";
  private static final String LOAD = "dev.modelseal.it.apps.LoadThenListPins";

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
  void load_readOnlyFileSystem_loadsInPlaceWithOnlyLinksInPinDir() throws Exception {
    Path model = readOnlyTmpfsModel();

    ForkedJvm.Result r = child(model, pins).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    Map<String, Object> d = onlyDecision();
    assertEquals("allow", d.get("decision"));
    assertEquals("in-place", d.get("pin"), d::toString);
    List<String> written = Fixtures.linesStarting(r.stdout(), "PIN ");
    assertTrue(written.stream().anyMatch(l -> l.matches("PIN modelseal-pins-[^/]+/[0-9]+/model\\.onnx link")), r::toString);
    assertEquals(List.of(), written.stream().filter(l -> l.endsWith(" file") && !l.endsWith("/.lock file")
        && !l.startsWith("PIN modelseal-verified-cache/")).toList(), "nothing but links (and the lock and cache)");
  }

  @Test
  void load_omsSignedDirectoryOnReadOnlyFileSystem_loadsInPlaceWithOnlyLinksInPinDir() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    mounts.tmpfs(vol, "size=8m");
    Path dir = OmsFixtures.djlDirectory(vol.resolve("djl-model"));
    OmsFixtures.signDirectory(signer, dir);
    mustRun("mount", "-o", "remount,ro", vol.toString());
    Path model = dir.resolve(OmsFixtures.MODEL);

    ForkedJvm.Result r = child(model, pins).run();

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    Map<String, Object> d = onlyDecision();
    assertEquals("allow", d.get("decision"));
    assertEquals("in-place", d.get("pin"), d::toString);
    assertEquals(OmsFixtures.rootDigest(dir, OmsFixtures.directoryHashing()), d.get("digest"), d::toString);
    assertTrue(String.valueOf(d.get("pinNote")).startsWith("pinned in place (its file system (tmpfs "), d::toString);
    List<String> written = Fixtures.linesStarting(r.stdout(), "PIN ");
    for (String name : List.of(OmsFixtures.MODEL, OmsFixtures.SERVING, OmsFixtures.JAR)) {
      assertTrue(written.stream().anyMatch(l -> l.matches("PIN modelseal-pins-[^/]+/[0-9]+/djl-model/"
          + java.util.regex.Pattern.quote(name) + " link")), () -> name + "\n" + r);
    }
    assertTrue(written.stream().anyMatch(l -> l.matches("PIN modelseal-pins-[^/]+/[0-9]+/djl-model/libs dir")),
        r::toString);
    assertEquals(List.of(), written.stream().filter(l -> l.endsWith(" file") && !l.endsWith("/.lock file")
        && !l.startsWith("PIN modelseal-verified-cache/")).toList(), "nothing but links (and the lock and cache)");
  }

  @Test
  void load_restartOnUnchangedInPlaceModel_verifiedResultCacheHitLogged() throws Exception {
    Path model = readOnlyTmpfsModel();
    Thread.sleep(1100); // older than the cache's racily-clean window
    assertEquals(0, child(model, pins).run().exitCode());

    ForkedJvm.Result r = child(model, pins).run();

    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertFalse(String.valueOf(decisions.get(0).get("pinNote")).contains("cache hit"), decisions::toString);
    assertTrue(String.valueOf(decisions.get(1).get("pinNote")).contains("; verified-result cache hit (not hashed)"),
        decisions::toString);
    assertEquals("in-place", decisions.get(1).get("pin"));
  }

  @Test
  void load_inPlaceModelRewrittenWithModificationTimeRestored_rehashedAndRefused() throws Exception {
    Path model = readOnlyTmpfsModel();
    Thread.sleep(1100);
    assertEquals(0, child(model, pins).run().exitCode());
    byte[] tampered = Fixtures.onnxTampered();
    assertEquals(TinyModels.onnx().length, tampered.length, "same size: only ctime tells");
    FileTime mtime = Files.getLastModifiedTime(model);
    mustRun("mount", "-o", "remount,rw", model.getParent().toString());
    Files.write(model, tampered);
    Files.setLastModifiedTime(model, mtime);
    mustRun("mount", "-o", "remount,ro", model.getParent().toString());

    ForkedJvm.Result r = child(model, pins).run();

    assertTrue(r.stdout().startsWith("rejected: model rejected (SIGNATURE_INVALID): " + model + ": "), r::toString);
    Map<String, Object> second = Fixtures.decisions(log).get(1);
    assertEquals("deny", second.get("decision"));
    assertEquals("SIGNATURE_INVALID", second.get("reason"), second::toString);
  }

  @Test
  void load_readOnlyBindMountWritableHere_rewriteOfSourceAfterCheckNeverReachesRuntime() throws Exception {
    Path[] srcAndModel = readOnlyBindMountModel();

    ForkedJvm.Result r = swapping(srcAndModel, false).run();

    assertSwapDidNotReach(r, srcAndModel[0]);
  }

  @Test
  void load_readOnlyBindMountWritableHere_renameOverSourceAfterCheckNeverReachesRuntime() throws Exception {
    Path[] srcAndModel = readOnlyBindMountModel();

    ForkedJvm.Result r = swapping(srcAndModel, true).run();

    assertSwapDidNotReach(r, srcAndModel[0]);
  }

  @Test
  void load_readOnlyBindMountAloneInJvmNamespace_inPlaceAndRenameOverSourceNeverReachesRuntime() throws Exception {
    Path volume = Files.createDirectories(tmp.resolve("volume"));
    mounts.tmpfs(volume, "size=8m");
    Path original = Fixtures.write(volume.resolve("model.onnx"), TinyModels.onnx());
    signer.sig(original);
    Path ro = Files.createDirectories(tmp.resolve("readonly"));
    mustRun("mount", "--bind", volume.toString(), ro.toString());
    mounts.track(ro);
    mustRun("mount", "-o", "remount,bind,ro", ro.toString());
    Path swapped = tmp.resolve("swapped");
    // The JVM gets its own mount namespace where the volume's writable mount is gone (as in a container with a
    // readOnly volume); this test, outside it, still writes the volume: after the check, before ORT reads.
    ForkedJvm jvm = child(ro.resolve("model.onnx"), pins)
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
    Path fresh = Fixtures.write(volume.resolve("model.onnx.new"), Fixtures.onnxPlusTwo());
    Files.move(fresh, original, StandardCopyOption.ATOMIC_MOVE);
    Files.createFile(swapped);

    ForkedJvm.Result r = running.get(120, TimeUnit.SECONDS);

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + original), Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertArrayEquals(Fixtures.onnxPlusTwo(), Files.readAllBytes(original), "the volume's name now holds another model");
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    Map<String, Object> d = onlyDecision();
    assertEquals("in-place", d.get("pin"), d::toString);
    assertTrue(String.valueOf(d.get("pinNote")).startsWith("pinned in place (its mount " + ro + " is read-only and no mount"
        + " of "), d::toString);
  }

  @Test
  void load_pinInPlaceForcedOnWritableStorage_bannerAndEveryDecisionSayItForced() throws Exception {
    Path model = Fixtures.write(tmp.resolve("models/model.onnx"), TinyModels.onnx());
    signer.sig(model);

    ForkedJvm.Result r = child(model, pins, ",pin=in-place").run();

    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    assertEquals(List.of("modelseal: *** PIN=IN-PLACE FORCED: models are verified and loaded in place even on storage"
        + " that does not qualify; whoever can write that storage can change a model after it was verified (decision"
        + " lines say pin \"in-place-forced\") ***"), Fixtures.linesStarting(r.stderr(), "modelseal: ***"), r::toString);
    assertEquals("in-place-forced", onlyDecision().get("pin"));
  }

  @Test
  void load_modelLargerThanTmpfsPinDir_refusedWithNothingWritten() throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small-pins"));
    mounts.tmpfs(small, "size=256k");
    byte[] big = new byte[1 << 20];
    new Random(18).nextBytes(big);
    Path model = Fixtures.write(tmp.resolve("models/model.onnx"), big);
    signer.sig(model);

    ForkedJvm.Result r = child(model, small).run();

    String out = r.stdout().lines().findFirst().orElse("");
    String before = "rejected: model rejected (TOO_LARGE): " + model + ": model.onnx (1048576 bytes) does not fit in"
        + " pin-dir " + small + " (";
    String after = " bytes free): refused before anything was written; set pin-dir to a file system with room, or let"
        + " the model's storage qualify for in-place pinning";
    assertTrue(out.startsWith(before) && out.endsWith(after), r::toString);
    long free = Long.parseLong(out.substring(before.length(), out.length() - after.length()));
    assertTrue(free < big.length, out);
    assertEquals(List.of(), Fixtures.linesStarting(r.stdout(), "PIN ").stream()
        .filter(l -> l.endsWith(" file") && !l.endsWith("/.lock file")).toList(), r::toString);
    assertEquals("deny", onlyDecision().get("decision"));
  }

  // ---------------------------------------------------------------- fixtures

  /** A signed tiny ONNX model on a fresh tmpfs, then remounted read-only (its super block). */
  private Path readOnlyTmpfsModel() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    mounts.tmpfs(vol, "size=8m");
    Path model = Fixtures.write(vol.resolve("model.onnx"), TinyModels.onnx());
    signer.sig(model);
    mustRun("mount", "-o", "remount,ro", vol.toString());
    return model;
  }

  /** {source dir, model under the read-only bind mount of it}: the source stays writable here. */
  private Path[] readOnlyBindMountModel() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    signer.sig(Fixtures.write(src.resolve("model.onnx"), TinyModels.onnx()));
    mustRun("mount", "--bind", src.toString(), ro.toString());
    mounts.track(ro);
    mustRun("mount", "-o", "remount,bind,ro", ro.toString());
    return new Path[] {src, ro.resolve("model.onnx")};
  }

  private ForkedJvm swapping(Path[] srcAndModel, boolean rename) {
    Path replacement = Fixtures.write(tmp.resolve("plus-two.onnx"), Fixtures.onnxPlusTwo());
    return child(srcAndModel[1], pins).jvmArgs("-Dprobe.swap.at=ai.onnxruntime.OrtSession.<init>",
        "-Dprobe.swap.target=" + srcAndModel[0].resolve("model.onnx"), "-Dprobe.swap.from=" + replacement,
        "-Dprobe.swap.rename=" + rename, ProbeJar.agentArg());
  }

  private void assertSwapDidNotReach(ForkedJvm.Result r, Path src) throws IOException {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(List.of("PROBE swapped " + src.resolve("model.onnx")),
        Fixtures.linesStarting(r.stderr(), "PROBE swapped"), r::toString);
    assertArrayEquals(Fixtures.onnxPlusTwo(), Files.readAllBytes(src.resolve("model.onnx")), "the source was changed");
    assertEquals(PREDICTION, r.stdout().lines().findFirst().orElse(""), r::toString);
    Map<String, Object> d = onlyDecision();
    assertEquals("copy", d.get("pin"), d::toString);
    assertTrue(String.valueOf(d.get("pinNote")).contains(" is read-only but the same file system is writable at /"),
        d::toString);
  }

  private ForkedJvm child(Path model, Path pinDir) {
    return child(model, pinDir, "");
  }

  /** LoadThenListPins on {@code model} with the agent (config naming {@code pinDir}, then {@code moreAgentArgs}). */
  private ForkedJvm child(Path model, Path pinDir, String moreAgentArgs) {
    Path conf = Fixtures.write(tmp.resolve("agent.conf"), "key.prod = " + signer.publicKeyFile + "\naudit-log = " + log
        + "\npin-dir = " + pinDir + "\n");
    return Fixtures.child(JDK, LOAD, model.toString(), pinDir.toString()).jvmArgs(Fixtures.agent("config=" + conf + moreAgentArgs));
  }

  private Map<String, Object> onlyDecision() {
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(1, decisions.size(), decisions::toString);
    return decisions.get(0);
  }
}
