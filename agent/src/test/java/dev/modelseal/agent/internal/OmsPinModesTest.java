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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinning modes of OpenSSF model-signing directories and files through the gate ({@link OmsPinModes},
 * {@link OmsInPlace}), with the mount table and this JVM's uid made up: in place when every listed file qualifies (a
 * tree of links to open descriptors), copied whole when one does not, forced in place, and a tampered file refused.
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
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\npin-dir = " + pins
        + "\naudit-log = " + m.decisions() + "\n" + config);
    AgentSettings s = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    Pinner pinner = Pinner.create(s.pinDir(), PLENTY);
    InPlacePins.Mounts mounts = () -> MountTable.parse(mountinfo);
    ModelFilePins files = new ModelFilePins(pinner, s.pinMode(),
        new InPlacePins(s.trustedOwners(), s.pinMode() == PinMode.IN_PLACE, null, mounts, euid), NO_CLONE, mounts);
    return new Gate(s, DecisionLog.open(s.auditLog(), s.mode()), new ModelChecker(s, pinner, files));
  }

  private Gate readOnlyGate() throws Exception {
    return gate("", table("ro,relatime", "ro"), 0);
  }

  private String lastLine() throws Exception {
    List<String> lines = m.decisionLines();
    return lines.get(lines.size() - 1);
  }

  private List<Path> regularFilesIn(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.endsWith(PinRoots.LOCK)).toList();
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
}
