package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinning modes through the gate ({@link ModelFilePins}), with the mount table, this JVM's uid, the cloner and the
 * free space of the pin folder made up: in place, the verified-result cache across restarts, forced modes, clones and
 * the free-space refusal, each named in the decision line's {@code pin}.
 */
class PinModesTest {
  /** A pin folder with room for anything (also {@link OmsPinModesTest}'s). */
  static final UsableSpace PLENTY = dir -> Long.MAX_VALUE;
  /** A cloner on a file system that cannot clone, failing as {@code cp --reflink=always} does on ext4. */
  static final Cloner NO_CLONE = (s, t) -> {
    throw new IOException("cp --reflink=always failed (exit 1): cp: failed to clone: Operation not supported");
  };

  @TempDir Path tmp;
  private SignedModels m;
  private Path pins;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    SignedModels.signSig(m.prod, m.model);
    pins = m.dir.resolve("pins");
  }

  /** A mount table with one mount, "/", of the model's own device: {@code options} per mount and per super block. */
  private String table(String mountOptions, String type, String superOptions) throws IOException {
    long dev = (Long) Files.getAttribute(m.model, "unix:dev");
    return "1 0 " + MountTable.device(dev) + " / / " + mountOptions + " - " + type + " /dev/x " + superOptions + "\n";
  }

  private Gate gate(String config, String mountinfo, int euid, UsableSpace space, Cloner cloner) throws Exception {
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\npin-dir = " + pins
        + "\naudit-log = " + m.decisions() + "\n" + config);
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    Pinner pinner = Pinner.create(s.pinDir(), space);
    VerifiedResultCache cache = s.verifiedCache() ? new VerifiedResultCache(pinner.pinDirectory(), euid, 0) : null;
    InPlacePins.Mounts mounts = () -> MountTable.parse(mountinfo);
    ModelFilePins files = new ModelFilePins(pinner, s.pinMode(),
        new InPlacePins(s.trustedOwners(), s.pinMode() == PinMode.IN_PLACE, cache, mounts, euid), cloner, mounts);
    return new Gate(s, DecisionLog.open(s.auditLog(), s.mode()), new ModelChecker(s, pinner, files));
  }

  private Gate readOnlyGate() throws Exception {
    return gate("", table("ro,relatime", "ext4", "ro"), 0, PLENTY, NO_CLONE);
  }

  private String lastLine() throws Exception {
    List<String> lines = m.decisionLines();
    return lines.get(lines.size() - 1);
  }

  @Test
  void checkPath_readOnlyFileSystem_linkToOpenFileLoggedInPlace() throws Exception {
    Path handed = readOnlyGate().checkPath("test", m.model);

    assertTrue(Files.readSymbolicLink(handed).toString().startsWith("/proc/" + ProcessHandle.current().pid() + "/fd/"));
    assertEquals(SignedModels.MODEL_TEXT, Files.readString(handed));
    assertEquals("model.onnx", handed.getFileName().toString());
    assertTrue(lastLine().contains("\"decision\":\"allow\",\"reason\":null,\"pin\":\"in-place\""), lastLine());
  }

  @Test
  void checkPath_cosignDirectoryOnReadOnlyFileSystem_eachFileLinkedInPlace() throws Exception {
    Path weights = SignedModels.write(m.model.resolveSibling("weights.bin"), "weights");
    SignedModels.signSig(m.prod, weights);

    Path handed = readOnlyGate().checkPath("test", m.model.getParent());

    assertTrue(Files.isSymbolicLink(handed.resolve("model.onnx")));
    assertEquals("weights", Files.readString(handed.resolve("weights.bin")));
    assertTrue(lastLine().contains("\"pin\":\"in-place\""), lastLine());
  }

  @Test
  void checkPath_handedOwnInPlaceLinkAgain_passedOnUnverifiedTwice() throws Exception {
    Gate gate = readOnlyGate();
    Path handed = gate.checkPath("test", m.model);
    int lines = m.decisionLines().size();

    assertEquals(handed, gate.checkPath("test", handed));
    assertEquals(lines, m.decisionLines().size());
  }

  @Test
  void checkPath_restartOnUnchangedInPlaceModel_cacheHitLogged() throws Exception {
    readOnlyGate().checkPath("test", m.model);

    readOnlyGate().checkPath("test", m.model);

    assertTrue(lastLine().contains("; verified-result cache hit (not hashed)"), lastLine());
  }

  @Test
  void checkPath_inPlaceWriteWithModificationTimeRestoredAfterRestart_rehashedAndRefused() throws Exception {
    readOnlyGate().checkPath("test", m.model);
    FileTime mtime = Files.getLastModifiedTime(m.model);
    Thread.sleep(50); // past the kernel's coarse timestamp tick
    Files.writeString(m.model, SignedModels.MODEL_TEXT.toUpperCase(java.util.Locale.ROOT));
    Files.setLastModifiedTime(m.model, mtime);
    Gate restarted = readOnlyGate();

    ModelVerificationException e = SignedModels.refused(() -> restarted.checkPath("test", m.model));

    assertEquals("model rejected (SIGNATURE_INVALID): " + m.model + ": model.onnx: signature does not verify with key "
        + SignedModels.keyId(m.prod) + " (tried [ECDSA_P256_SHA256])", e.getMessage());
    assertFalse(lastLine().contains("cache hit"), lastLine());
  }

  @Test
  void checkPath_writableStorageJvmAsRoot_copiedSayingWhyNotInPlace() throws Exception {
    Path handed = gate("", table("rw", "ext4", "rw"), 0, PLENTY, NO_CLONE).checkPath("test", m.model);

    assertTrue(Files.isRegularFile(handed, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertTrue(lastLine().contains("\"pin\":\"copy\""), lastLine());
    assertTrue(lastLine().contains("\"pinNote\":\"not pinned in place: its mount / is writable, and this JVM runs as root, which"
        + " may write any file there"), lastLine());
  }

  @Test
  void checkPath_forcedInPlaceOnWritableStorage_loggedInPlaceForced() throws Exception {
    gate("pin = in-place\n", table("rw", "ext4", "rw"), 0, PLENTY, NO_CLONE).checkPath("test", m.model);

    assertTrue(lastLine().contains("\"pin\":\"in-place-forced\""), lastLine());
    assertTrue(lastLine().contains("pinned in place (forced by pin=in-place although its mount / is writable"), lastLine());
  }

  @Test
  void checkPath_copyLargerThanFreeSpace_refusedBeforeAnythingWritten() throws Exception {
    Gate gate = gate("pin = copy\n", table("rw", "ext4", "rw"), 0, dir -> 4, NO_CLONE);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", m.model));

    assertEquals("model rejected (TOO_LARGE): " + m.model + ": model.onnx (11 bytes) does not fit in pin-dir " + pins
        + " (4 bytes free): refused before anything was written; set pin-dir to a file system with room, or let the"
        + " model's storage qualify for in-place pinning", e.getMessage());
    try (Stream<Path> all = Files.walk(pins)) {
      assertEquals(List.of(), all.filter(p -> Files.isRegularFile(p) && !p.endsWith(PinRoots.LOCK)).toList());
    }
  }

  @Test
  void checkPath_modelSigningDirectoryLargerThanFreeSpace_refusedBeforeAnythingWritten() throws Exception {
    Path model = Files.createDirectories(m.dir.resolve("oms"));
    Files.write(model.resolve("a.bin"), new byte[6]);
    Files.write(model.resolve("b.bin"), new byte[6]);
    SignedModels.signDirectory(m.prod, model);
    Gate gate = gate("", table("rw", "ext4", "rw"), 0, dir -> 11, NO_CLONE);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", model));

    assertEquals("model rejected (TOO_LARGE): " + model + ": oms (2 files) (12 bytes) does not fit in pin-dir " + pins
        + " (11 bytes free): refused before anything was written; set pin-dir to a file system with room, or let the"
        + " model's storage qualify for in-place pinning", e.getMessage());
    try (Stream<Path> all = Files.walk(pins)) {
      assertEquals(List.of(), all.filter(p -> Files.isRegularFile(p) && !p.endsWith(PinRoots.LOCK)).toList());
    }
  }

  @Test
  void checkPath_forcedCloneWithWorkingCloner_loggedClone() throws Exception {
    Cloner copying = (s, t) -> Files.copy(s, t);

    Path handed = gate("pin = clone\n", table("rw", "xfs", "rw"), 0, PLENTY, copying).checkPath("test", m.model);

    assertEquals(SignedModels.MODEL_TEXT, Files.readString(handed));
    assertTrue(lastLine().contains("\"pin\":\"clone\""), lastLine());
  }

  @Test
  void checkPath_forcedCloneThatFails_refusedNamingTheFailure() throws Exception {
    Gate gate = gate("pin = clone\n", table("rw", "ext4", "rw"), 0, PLENTY, NO_CLONE);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", m.model));

    assertEquals("model rejected (PATH_REFUSED): " + m.model + ": model.onnx: pin=clone, but it could not be cloned"
        + " into pin-dir " + pins + ": cp --reflink=always failed (exit 1): cp: failed to clone: Operation not"
        + " supported", e.getMessage());
  }

  @Test
  void checkPath_autoOnCloningFileSystemWhereCloneFails_copied() throws Exception {
    Path large = Files.write(m.dir.resolve("large.onnx"), dev.modelseal.testkit.TinyModels.onnxWithPadding(
        Pinner.SMALL_FILE + 1));
    SignedModels.signSig(m.prod, large);

    gate("", table("rw", "xfs", "rw"), 0, PLENTY, NO_CLONE).checkPath("test", large);

    assertTrue(lastLine().contains("\"pin\":\"copy\""), lastLine());
    assertTrue(lastLine().contains("; clone failed: cp --reflink=always failed"), lastLine());
  }

  @Test
  void checkPath_autoSmallFileOnCloningFileSystem_copiedWithoutTryingAClone() throws Exception {
    Cloner mustNotRun = (s, t) -> {
      throw new AssertionError("cloned " + s);
    };

    Path handed = gate("", table("rw", "xfs", "rw"), 0, PLENTY, mustNotRun).checkPath("test", m.model);

    assertArrayEquals(Files.readAllBytes(m.model), Files.readAllBytes(handed));
    assertTrue(lastLine().contains("\"pin\":\"copy\""), lastLine());
  }

  @Test
  void checkPath_pinMemoryLoadByPath_refused() throws Exception {
    Gate gate = gate("pin = memory\n", table("ro", "ext4", "ro"), 0, PLENTY, NO_CLONE);

    ModelVerificationException e = SignedModels.refused(() -> gate.checkPath("test", m.model));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + m.model + ": model.onnx: pin=memory, but this runtime"
        + " loads by path (only in-memory loads, and ONNX Runtime sessions of .onnx files, can be pinned in memory;"
        + " set pin=auto)", e.getMessage());
  }

  @Test
  void checkBytes_signedBytes_loggedMemoryNothingPinned() throws Exception {
    Gate gate = gate("models = " + m.model.getParent() + "\n", table("rw", "ext4", "rw"), 0, PLENTY, NO_CLONE);

    gate.checkBytes("test", SignedModels.MODEL_TEXT.getBytes(StandardCharsets.UTF_8));

    assertTrue(lastLine().contains("\"decision\":\"allow\",\"reason\":null,\"pin\":\"memory\""), lastLine());
    try (Stream<Path> all = Files.walk(pins)) {
      assertEquals(List.of(), all.filter(p -> Files.isRegularFile(p) && !p.endsWith(PinRoots.LOCK)).toList());
    }
  }
}
