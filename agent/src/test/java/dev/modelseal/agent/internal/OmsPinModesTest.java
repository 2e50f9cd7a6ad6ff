package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinning modes of OpenSSF model-signing directories and files through the gate ({@link OmsPinModes},
 * {@link OmsInPlace}), with the mount table and this JVM's uid made up: in place when every listed file qualifies (a
 * tree of links to open descriptors), copied whole when one does not, forced in place, and a tampered file refused;
 * the verified-result cache across restarts (hits, a write with the modification time restored, racily clean entries,
 * the cache off, nothing recorded for forced or copied files).
 */
class OmsPinModesTest {
  private static final UsableSpace PLENTY = PinModesTest.PLENTY;
  private static final Cloner NO_CLONE = PinModesTest.NO_CLONE;

  @TempDir Path tmp;
  private SignedModels m;
  private Path pins;
  private Path model;
  private String device;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    pins = m.dir.resolve("pins");
    model = Files.createDirectories(m.dir.resolve("oms"));
    SignedModels.write(model.resolve("a.bin"), "weights a");
    SignedModels.write(model.resolve("sub/b.bin"), "weights b");
    device = MountTable.device((Long) Files.getAttribute(model.resolve("a.bin"), "unix:dev"));
  }

  /** A mount table with one mount, "/", of the model's own device. */
  private String table(String mountOptions, String superOptions) {
    return "1 0 " + device + " / / " + mountOptions + " - ext4 /dev/x " + superOptions + "\n";
  }

  private Gate gate(String config, String mountinfo, int euid) throws Exception {
    return gate(config, mountinfo, euid, 0);
  }

  /**
   * A gate with the made-up mounts and uid; its verified-result cache (as {@code verified-cache} says) is this JVM's
   * user's, with {@code granularityNanos} for the racily-clean rule.
   */
  private Gate gate(String config, String mountinfo, int euid, long granularityNanos) throws Exception {
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\npin-dir = " + pins
        + "\naudit-log = " + m.decisions() + "\n" + config);
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    Pinner pinner = Pinner.create(s.pinDir(), PLENTY);
    VerifiedResultCache cache = s.verifiedCache()
        ? new VerifiedResultCache(pinner.pinDirectory(), InPlacePins.effectiveUid(), granularityNanos) : null;
    InPlacePins.Mounts mounts = () -> MountTable.parse(mountinfo);
    ModelFilePins files = new ModelFilePins(pinner, s.pinMode(),
        new InPlacePins(s.trustedOwners(), s.pinMode() == PinMode.IN_PLACE, cache, mounts, euid), NO_CLONE, mounts);
    return new Gate(s, DecisionLog.open(s.auditLog(), s.mode()), new ModelChecker(s, pinner, files));
  }

  private Gate readOnlyGate() throws Exception {
    return gate("", table("ro,relatime", "ro"), 0);
  }

  private String readOnlyNote() {
    return "pinned in place (its file system (ext4 " + device + ") is read-only)";
  }

  private Path cacheFile() {
    return pins.resolve(VerifiedResultCache.DIR).resolve(VerifiedResultCache.FILE);
  }

  private static String pinNote(String line) {
    Matcher n = Pattern.compile("\"pinNote\":\"([^\"]*)\"").matcher(line);
    return n.find() ? n.group(1) : null;
  }

  /** Rewrites {@code file} with {@code content} in place (same inode), then sets its modification time back. */
  private static void rewriteKeepingModificationTime(Path file, String content) throws Exception {
    FileTime mtime = Files.getLastModifiedTime(file);
    Thread.sleep(50); // past the kernel's coarse timestamp tick
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, mtime);
  }

  private String lastLine() throws Exception {
    List<String> lines = m.decisionLines();
    return lines.get(lines.size() - 1);
  }

  /** The regular files under {@code dir}, but for the pin lock and the verified-result cache. */
  private List<Path> regularFilesIn(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.endsWith(PinRoots.LOCK)
          && !p.startsWith(pins.resolve(VerifiedResultCache.DIR))).toList();
    }
  }

  private static boolean linksToOpenDescriptor(Path p) throws IOException {
    return Files.isSymbolicLink(p)
        && Files.readSymbolicLink(p).toString().startsWith("/proc/" + ProcessHandle.current().pid() + "/fd/");
  }

  @Test
  void checkPath_modelSigningDirectoryOnReadOnlyFileSystem_everyFileLinkedInPlace() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    Path handed = readOnlyGate().checkPath("test", model);

    assertEquals("oms", handed.getFileName().toString());
    assertTrue(linksToOpenDescriptor(handed.resolve("a.bin")));
    assertTrue(linksToOpenDescriptor(handed.resolve("sub/b.bin")));
    assertEquals("weights a", Files.readString(handed.resolve("a.bin")));
    assertEquals("weights b", Files.readString(handed.resolve("sub/b.bin")));
    assertFalse(Files.isSymbolicLink(handed.resolve("sub")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(handed.resolve("sub"))));
    assertEquals(List.of(), regularFilesIn(pins));
    assertTrue(lastLine().contains("\"decision\":\"allow\",\"reason\":null,\"pin\":\"in-place\",\"pinNote\":\"pinned in"
        + " place (its file system (ext4 " + device + ") is read-only)\""), lastLine());
  }

  @Test
  void checkPath_fileInsideReadOnlyModelSigningDirectory_handedItsLinkInTheLinkedTree() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    Path handed = readOnlyGate().checkPath("test", model.resolve("sub/b.bin"));

    assertTrue(linksToOpenDescriptor(handed));
    assertEquals("weights b", Files.readString(handed));
    assertTrue(linksToOpenDescriptor(handed.getParent().resolveSibling("a.bin")));
    assertTrue(lastLine().contains("\"pin\":\"in-place\""), lastLine());
  }

  @Test
  void checkPath_shardedModelSigningFileOnReadOnlyFileSystem_linkedInPlace() throws Exception {
    Path file = model.resolve("a.bin");
    Files.writeString(m.dir.resolve("oms/a.bin.sigstore.json"), ModelSigner.withKey(m.prod.getPrivate())
        .sign(file, ModelHashing.shards(4).build(), ProgressListener.NONE));

    Path handed = readOnlyGate().checkPath("test", file);

    assertEquals("a.bin", handed.getFileName().toString());
    assertTrue(linksToOpenDescriptor(handed));
    assertEquals("weights a", Files.readString(handed));
    assertTrue(lastLine().contains("\"pin\":\"in-place\""), lastLine());
  }

  @Test
  void checkPath_tamperedFileInReadOnlyModelSigningDirectory_refusedManifestMismatch() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    Files.writeString(model.resolve("sub/b.bin"), "other bytes");
    Gate gate = readOnlyGate();

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", model));

    assertEquals("model rejected (MANIFEST_MISMATCH): " + model + ": model.sig: model does not match its signature:"
        + " modified files: sub/b.bin", e.getMessage());
    try (Stream<Path> all = Files.walk(pins)) {
      assertEquals(List.of(), all.filter(Files::isSymbolicLink).toList());
    }
  }

  @Test
  void checkPath_oneListedFileWritableByOthers_wholeDirectoryCopied() throws Exception {
    Files.setPosixFilePermissions(model.resolve("a.bin"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(model.resolve("sub/b.bin"), PosixFilePermissions.fromString("rw-rw-rw-"));
    SignedModels.signDirectory(m.prod, model);

    Path handed = gate("", table("rw", "rw"), 1000).checkPath("test", model);

    assertTrue(Files.isRegularFile(handed.resolve("a.bin"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isRegularFile(handed.resolve("sub/b.bin"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("weights b", Files.readString(handed.resolve("sub/b.bin")));
    assertTrue(lastLine().contains("\"pin\":\"copy\",\"pinNote\":\"not pinned in place: sub/b.bin: its mount / is"
        + " writable, and group or others may write it (mode 666)\""), lastLine());
  }

  @Test
  void checkPath_forcedInPlaceOnWritableStorage_linkedLoggedInPlaceForced() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    Path handed = gate("pin = in-place\n", table("rw", "rw"), 0).checkPath("test", model);

    assertTrue(linksToOpenDescriptor(handed.resolve("a.bin")));
    assertTrue(linksToOpenDescriptor(handed.resolve("sub/b.bin")));
    assertTrue(lastLine().contains("\"pin\":\"in-place-forced\",\"pinNote\":\"pinned in place (forced by pin=in-place"
        + " although a.bin: its mount / is writable, and this JVM runs as root, which may write any file there;"
        + " sub/b.bin: its mount / is writable, and this JVM runs as root, which may write any file there)\""),
        lastLine());
  }

  @Test
  void checkPath_pinMemoryModelSigningDirectory_refused() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    Gate gate = gate("pin = memory\n", table("ro", "ro"), 0);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", model));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + model + ": oms (2 files): pin=memory, but this runtime"
        + " loads by path (only in-memory loads can be pinned in memory; set pin=auto)", e.getMessage());
  }

  @Test
  void checkPath_forcedCloneThatFails_refusedNamingTheFile() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    Gate gate = gate("pin = clone\n", table("rw", "rw"), 0);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", model));

    assertEquals("model rejected (PATH_REFUSED): " + model + ": oms (2 files): pin=clone, but a.bin could not be"
        + " cloned into pin-dir " + pins + ": cp --reflink=always failed (exit 1): cp: failed to clone: Operation not"
        + " supported", e.getMessage());
  }

  @Test
  void checkPath_restartOnUnchangedReadOnlyModelSigningDirectory_cacheHitLogged() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    readOnlyGate().checkPath("test", model);

    Path handed = readOnlyGate().checkPath("test", model);

    assertEquals("weights b", Files.readString(handed.resolve("sub/b.bin")));
    assertEquals(readOnlyNote() + "; verified-result cache hit (not hashed)", pinNote(lastLine()), lastLine());
  }

  @Test
  void checkPath_readOnlyModelSigningDirectory_digestsRecordedOwnerOnly() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    readOnlyGate().checkPath("test", model);

    assertEquals(2, Files.readString(cacheFile()).split("oms:sha256=", -1).length - 1, "one entry per listed file");
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cacheFile(), LinkOption.NOFOLLOW_LINKS)));
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cacheFile().getParent(), LinkOption.NOFOLLOW_LINKS)));
  }

  @Test
  void checkPath_restartOnUnchangedReadOnlyModelSigningDirectory_cachedDigestsCheckedAgainstManifest()
      throws Exception {
    SignedModels.signDirectory(m.prod, model);
    readOnlyGate().checkPath("test", model);
    String sha256OfWeightsB = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest("weights b".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String recorded = Files.readString(cacheFile());
    Files.writeString(cacheFile(), recorded.replace("oms:sha256=" + sha256OfWeightsB, "oms:sha256=" + "00".repeat(32)));
    Gate restarted = readOnlyGate();

    ModelVerificationException e = SignedModels.refused(() -> restarted.checkPath("test", model));

    assertTrue(recorded.contains("oms:sha256=" + sha256OfWeightsB), recorded);
    assertEquals("model rejected (MANIFEST_MISMATCH): " + model + ": model.sig: model does not match its signature:"
        + " modified files: sub/b.bin", e.getMessage());
  }

  @Test
  void checkPath_listedFileWrittenInPlaceWithModificationTimeRestoredAfterRestart_rehashedAndRefused()
      throws Exception {
    SignedModels.signDirectory(m.prod, model);
    readOnlyGate().checkPath("test", model);
    rewriteKeepingModificationTime(model.resolve("sub/b.bin"), "weights B");
    Gate restarted = readOnlyGate();

    ModelVerificationException e = SignedModels.refused(() -> restarted.checkPath("test", model));

    assertEquals("model rejected (MANIFEST_MISMATCH): " + model + ": model.sig: model does not match its signature:"
        + " modified files: sub/b.bin", e.getMessage());
  }

  @Test
  void checkPath_oneListedFileRewrittenWithSameBytesAfterRestart_onlyItHashedPartialHitLogged() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    readOnlyGate().checkPath("test", model);
    rewriteKeepingModificationTime(model.resolve("a.bin"), "weights a");

    readOnlyGate().checkPath("test", model);

    assertEquals(readOnlyNote() + "; verified-result cache hit for 1 of 2 files (not hashed)", pinNote(lastLine()),
        lastLine());
  }

  @Test
  void checkPath_restartWithinGranularityOfLastChange_racilyCleanEntryNotTrusted() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    long hour = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
    gate("", table("ro", "ro"), 0, hour).checkPath("test", model);

    gate("", table("ro", "ro"), 0, hour).checkPath("test", model);

    assertTrue(Files.readString(cacheFile()).contains("oms:sha256="), "recorded, yet not trusted");
    assertEquals(readOnlyNote(), pinNote(lastLine()), lastLine());
  }

  @Test
  void checkPath_cacheOff_nothingRecorded() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    gate("verified-cache = false\n", table("ro", "ro"), 0).checkPath("test", model);

    assertFalse(Files.exists(pins.resolve(VerifiedResultCache.DIR), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void checkPath_cacheOffAfterARunWithIt_recordedEntriesNotRead() throws Exception {
    SignedModels.signDirectory(m.prod, model);
    readOnlyGate().checkPath("test", model);

    gate("verified-cache = false\n", table("ro", "ro"), 0).checkPath("test", model);

    assertTrue(Files.readString(cacheFile()).contains("oms:sha256="), "recorded by the first run");
    assertEquals(readOnlyNote(), pinNote(lastLine()), lastLine());
  }

  @Test
  void checkPath_forcedInPlaceOnWritableStorage_nothingRecorded() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    gate("pin = in-place\n", table("rw", "rw"), 0).checkPath("test", model);

    assertTrue(lastLine().contains("\"pin\":\"in-place-forced\""), lastLine());
    assertFalse(Files.exists(cacheFile(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void checkPath_copiedModelSigningDirectory_nothingRecorded() throws Exception {
    SignedModels.signDirectory(m.prod, model);

    gate("", table("rw", "rw"), 0).checkPath("test", model);

    assertTrue(lastLine().contains("\"pin\":\"copy\""), lastLine());
    assertFalse(Files.exists(cacheFile(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void checkPath_restartOnUnchangedShardedModelSigningFile_cacheHitLogged() throws Exception {
    Path file = model.resolve("a.bin");
    Files.writeString(m.dir.resolve("oms/a.bin.sigstore.json"), ModelSigner.withKey(m.prod.getPrivate())
        .sign(file, ModelHashing.shards(4).build(), ProgressListener.NONE));
    readOnlyGate().checkPath("test", file);

    Path handed = readOnlyGate().checkPath("test", file);

    assertEquals("weights a", Files.readString(handed));
    assertEquals(readOnlyNote() + "; verified-result cache hit (not hashed)", pinNote(lastLine()), lastLine());
  }

  @Test
  void checkPath_restartOnUnchangedBlake2bModelSigningDirectory_cacheHitLogged() throws Exception {
    Files.writeString(model.resolve("model.sig"), ModelSigner.withKey(m.prod.getPrivate())
        .sign(model, ModelHashing.files().hashAlgorithm("blake2b").build(), ProgressListener.NONE));
    readOnlyGate().checkPath("test", model);

    readOnlyGate().checkPath("test", model);

    assertEquals(readOnlyNote() + "; verified-result cache hit (not hashed)", pinNote(lastLine()), lastLine());
  }
}
