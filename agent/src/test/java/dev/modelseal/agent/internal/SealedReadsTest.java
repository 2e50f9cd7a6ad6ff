package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ProgressListener;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed-read handler, called as the bridge calls it (no weaving): what each open under a root gets. */
class SealedReadsTest {
  private static final String HOOK = "java.io.FileInputStream.open";

  @TempDir Path tmp;
  private Path models;
  private KeyPair key;
  private SealedReads reads;

  @BeforeEach
  void setUp() throws Exception {
    models = Files.createDirectories(tmp.resolve("models"));
    key = CosignKeyWriter.generateKeyPair();
    Path pub = Files.writeString(tmp.resolve("k.pub"), CosignKeyWriter.publicKeyPem(key.getPublic()));
    Path conf = Files.writeString(tmp.resolve("agent.conf"), "key.k = " + pub + "\nmodels = " + models
        + "\nsealed-roots = true\naudit-log = " + tmp.resolve("log.jsonl") + "\npin-dir = " + tmp.resolve("pins") + "\n");
    AgentSettings settings = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    reads = new SealedReads(settings, DecisionLog.open(settings.auditLog(), settings.mode()),
        new ModelChecker(settings, Pinner.create(settings.pinDir())));
  }

  private Path signed(String name, String text) throws Exception {
    Path file = Files.writeString(models.resolve(name), text);
    Files.writeString(models.resolve(name + ".sig"),
        BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64());
    return file;
  }

  @Test
  void checkRead_signedFile_returnsPinnedCopyWithItsBytes() throws Exception {
    Path file = signed("m.bin", "weights");
    String pinned = reads.checkRead(HOOK, file.toString(), false);
    assertNotEquals(file.toString(), pinned);
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(Path.of(pinned)));
  }

  @Test
  void checkRead_sameUnchangedFileTwice_reusesPinnedCopy() throws Exception {
    Path file = signed("m.bin", "weights");
    assertEquals(reads.checkRead(HOOK, file.toString(), false), reads.checkRead(HOOK, file.toString(), true));
  }

  @Test
  void checkRead_fileRewrittenAndResignedAfterRead_pinsNewVersion() throws Exception {
    Path file = signed("m.bin", "weights");
    String first = reads.checkRead(HOOK, file.toString(), false);
    Files.delete(file);
    signed("m.bin", "weights v2");
    String second = reads.checkRead(HOOK, file.toString(), false);
    assertNotEquals(first, second);
    assertEquals("weights v2", Files.readString(Path.of(second), StandardCharsets.UTF_8));
  }

  @Test
  void checkRead_unsignedFile_throwsUnsigned() throws Exception {
    Path file = Files.writeString(models.resolve("u.bin"), "x");
    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> reads.checkRead(HOOK, file.toString(), false));
    assertEquals("model rejected (UNSIGNED): " + file + ": u.bin: not signed (no u.bin.sigstore.json or u.bin.sig)",
        e.getMessage());
  }

  @Test
  void checkRead_signatureSidecar_returnsItUnchecked() throws Exception {
    Path file = signed("m.bin", "weights");
    Path sig = models.resolve("m.bin.sig");
    assertEquals(sig.toRealPath().toString(), reads.checkRead(HOOK, sig.toString(), false));
    assertEquals(file.toRealPath().resolveSibling("m.bin.sig").toString(),
        reads.checkRead(HOOK, sig.toString(), true));
  }

  @Test
  void checkRead_directoryThroughNio_returnsNull() throws Exception {
    assertNull(reads.checkRead(HOOK, models.toString(), true));
  }

  @Test
  void checkRead_directoryThroughJavaIo_throwsAsTheJdkWould() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> reads.checkRead(HOOK, models.toString(), false));
    assertEquals(models + " (Is a directory)", e.getMessage());
  }

  @Test
  void checkRead_missingFileThroughJavaIo_throwsFileNotFound() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> reads.checkRead(HOOK, models.resolve("none").toString(), false));
    assertEquals(models.resolve("none") + " (No such file or directory)", e.getMessage());
  }

  @Test
  void checkRead_missingFileThroughNio_throwsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> reads.checkRead(HOOK, models.resolve("none").toString(), true));
  }

  @Test
  void withSealedRoots_jdkOpens_guardedOnlyThere() {
    for (String t : List.of("java/io/FileInputStream", "java/io/RandomAccessFile", "sun/nio/fs/UnixFileSystemProvider")) {
      assertEquals(true, Runtimes.withSealedRoots().mayBeGuarded(t), t);
      assertEquals(false, Runtimes.ALL.inScope(t), t);
    }
    assertEquals(false, Runtimes.withSealedRoots().mayBeGuarded("java/io/FileOutputStream"));
  }
}
