package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's DJL repository checks, in process: an archive is verified and pinned, then extracted from the pinned
 * copy into the pin folder; a refused archive is never extracted; unsafe entries refuse it; unverifiable sources
 * are refused in enforce mode and only logged in audit mode.
 */
class DjlArchiveGateTest {
  private static final byte[] MODEL = "model bytes".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;
  private Path dir;
  private KeyPair key;
  private Path pub;

  @BeforeEach
  void keys() throws Exception {
    dir = tmp.toRealPath();
    key = CosignKeyWriter.generateKeyPair();
    pub = Files.writeString(dir.resolve("prod.pub"), CosignKeyWriter.publicKeyPem(key.getPublic()));
  }

  private Gate gate(String mode) throws Exception {
    return gate(mode, "");
  }

  private Gate gate(String mode, String config) throws Exception {
    Path conf = Files.writeString(dir.resolve("agent.conf"), config + "key.prod = " + pub + "\nmode = " + mode
        + "\npin-dir = " + dir.resolve("pins") + "\naudit-log = " + dir.resolve("decisions.jsonl") + "\n");
    return TestGates.fromConfig(conf);
  }

  private Path signed(String name, byte[] bytes) throws Exception {
    Path file = Files.write(Files.createDirectories(dir.resolve("models")).resolve(name), bytes);
    String sig = BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64();
    Files.writeString(file.resolveSibling(name + ".sig"), sig);
    return file;
  }

  private static byte[] zip(String... names) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String n : names) {
        zip.putNextEntry(new ZipEntry(n));
        zip.write(MODEL);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** A .tar.gz with one entry of the given tar type ('0' file, '2' symbolic link). */
  private static byte[] tarGz(String name, char type) throws IOException {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    long size = type == '0' ? MODEL.length : 0;
    byte[] s = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, h, 124, s.length);
    h[156] = (byte) type;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(h);
      if (size > 0) {
        gz.write(MODEL);
        gz.write(new byte[512 - MODEL.length]);
      }
      gz.write(new byte[1024]);
    }
    return out.toByteArray();
  }

  /** The files under the pin directory other than its roots' lock files. */
  private List<Path> pinnedModelFiles() throws IOException {
    return pinnedFiles().stream().filter(p -> !p.getFileName().toString().equals(".lock")).toList();
  }

  private List<Path> pinnedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("pins"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void checkArchive_signedZip_returnsTheDirectoryExtractedFromThePinnedCopy() throws Exception {
    Path archive = signed("model.zip", zip("model.onnx", "sub/serving.properties"));

    Path extracted = gate("enforce").checkArchive("test", archive);

    assertEquals("model", extracted.getFileName().toString());
    assertTrue(extracted.startsWith(dir.resolve("pins")), extracted::toString);
    assertArrayEquals(MODEL, Files.readAllBytes(extracted.resolve("model.onnx")));
    assertArrayEquals(MODEL, Files.readAllBytes(extracted.resolve("sub/serving.properties")));
  }

  @Test
  void checkArchive_signedTarGz_returnsTheExtractedDirectory() throws Exception {
    Path archive = signed("model.tar.gz", tarGz("model.onnx", '0'));

    Path extracted = gate("enforce").checkArchive("test", archive);

    assertArrayEquals(MODEL, Files.readAllBytes(extracted.resolve("model.onnx")));
  }

  @Test
  void checkArchive_tamperedZip_refusedAndNothingExtracted() throws Exception {
    Path archive = signed("model.zip", zip("model.onnx"));
    Files.write(archive, zip("model.onnx", "extra.onnx"));
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkArchive("test", archive));

    assertEquals(RejectReason.SIGNATURE_INVALID, e.reason());
    assertFalse(Files.exists(dir.resolve("pins")) && pinnedFiles().stream()
        .anyMatch(p -> p.getFileName().toString().endsWith(".onnx")), () -> String.valueOf(e));
  }

  @Test
  void checkArchive_zipEntryClimbingOut_refusedUnsupportedSource() throws Exception {
    Path archive = signed("model.zip", zip("../escape.onnx"));
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkArchive("test", archive));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + archive + ": archive entry ../escape.onnx is not a"
        + " plain relative name", e.getMessage());
    assertFalse(Files.exists(dir.resolve("pins/escape.onnx")));
  }

  @Test
  void checkArchive_entryRefusedAfterVerification_leavesNoPinnedCopyOrExtractedFile() throws Exception {
    Path archive = signed("model.zip", zip("model.onnx", "../escape.onnx"));
    Gate gate = gate("enforce");

    assertThrows(ModelVerificationException.class, () -> gate.checkArchive("test", archive));

    assertEquals(List.of(), pinnedModelFiles());
  }

  @Test
  void checkArchive_entryRefusedAfterVerificationInAuditMode_returnsOriginalAndLeavesNothingPinned() throws Exception {
    Path archive = signed("model.zip", zip("model.onnx", "../escape.onnx"));
    Gate gate = gate("audit");

    Path returned = gate.checkArchive("test", archive);

    assertEquals(archive, returned);
    assertEquals(List.of(), pinnedModelFiles());
  }

  @Test
  void checkArchive_entryRefusedAfterVerification_refusalTimedFromTheStartOfTheCheck() throws Exception {
    Path archive = signed("model.zip", zip("../escape.onnx"));
    Gate gate = gate("enforce");

    assertThrows(ModelVerificationException.class, () -> gate.checkArchive("test", archive));

    List<String> log = Files.readAllLines(dir.resolve("decisions.jsonl"));
    assertEquals(2, log.size(), log::toString);
    assertTrue(log.get(0).contains("\"decision\":\"allow\"") && log.get(1).contains("\"decision\":\"deny\""),
        log::toString);
    // The archive was verified and pinned before its entries were read: the refusal's duration covers that.
    assertTrue(SignedModels.durationMs(log.get(1)) >= SignedModels.durationMs(log.get(0)), log::toString);
  }

  @Test
  void checkArchive_tarGzWithSymbolicLink_refusedUnsupportedSource() throws Exception {
    Path archive = signed("model.tgz", tarGz("model.onnx", '2'));
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkArchive("test", archive));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): " + archive + ": archive entry model.onnx is a link or"
        + " special file (tar type 2)", e.getMessage());
  }

  @Test
  void checkArchive_unsignedArchiveUnderExemptPath_extractedIntoThePinFolder() throws Exception {
    Path archive = Files.write(Files.createDirectories(dir.resolve("public")).resolve("model.zip"), zip("a.onnx"));

    Path extracted = gate("enforce", "exempt = " + dir.resolve("public") + "\n").checkArchive("test", archive);

    assertTrue(extracted.startsWith(dir.resolve("pins")), extracted::toString);
    assertArrayEquals(MODEL, Files.readAllBytes(extracted.resolve("a.onnx")));
  }

  @Test
  void checkArchive_directory_returnedUnchanged() throws Exception {
    Path model = Files.createDirectories(dir.resolve("models/tiny"));

    assertEquals(model, gate("enforce").checkArchive("test", model));
  }

  @Test
  void refuseSource_enforceMode_throwsUnsupportedSourceNamingTheHook() throws Exception {
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.refuseSource("ai.djl.repository.AbstractRepository.prepare"));

    assertEquals("model rejected (UNSUPPORTED_SOURCE): ai.djl.repository.AbstractRepository.prepare: DJL would"
        + " fetch or extract the model into its cache (a jar:, djl://, http(s) or LocalRepository source), which"
        + " ModelSeal cannot verify: load a signed model directory, or a signed .zip/.tar.gz archive, by its local"
        + " path", e.getMessage());
  }

  @Test
  void refuseSource_auditMode_logsAndReturns() throws Exception {
    gate("audit").refuseSource("ai.djl.repository.LocalRepository.<init>");

    String log = Files.readString(dir.resolve("decisions.jsonl"));
    assertTrue(log.contains("\"decision\":\"audit-deny\",\"reason\":\"UNSUPPORTED_SOURCE\""), log);
  }
}
