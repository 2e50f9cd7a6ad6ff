package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model handed to native code as a string (LightGBM's {@code LGBM_BoosterLoadModelFromString}): verified as the
 * modified UTF-8 bytes native code gets, matched against signed files under the model roots.
 */
class StringContentGateTest {
  private static final String TEXT = "tree\nversion=v4\nTree=0\nleaf_value=0.5 -0.25\n";

  @TempDir Path tmp;
  private Path dir;
  private Path models;
  private KeyPair key;
  private Path pub;

  @BeforeEach
  void keys() throws Exception {
    dir = tmp.toRealPath();
    models = Files.createDirectories(dir.resolve("models"));
    key = CosignKeyWriter.generateKeyPair();
    pub = Files.writeString(dir.resolve("prod.pub"), CosignKeyWriter.publicKeyPem(key.getPublic()));
  }

  private Gate gate(String mode) throws Exception {
    Path conf = Files.writeString(dir.resolve("agent.conf"), "key.prod = " + pub + "\nmode = " + mode
        + "\nmodels = " + models + "\npin-dir = " + dir.resolve("pins") + "\naudit-log = "
        + dir.resolve("decisions.jsonl") + "\n");
    return TestGates.fromConfig(conf);
  }

  private Path signed(String name, byte[] bytes) throws Exception {
    Path file = Files.write(models.resolve(name), bytes);
    String sig = BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64();
    Files.writeString(file.resolveSibling(name + ".sig"), sig);
    return file;
  }

  private String unsigned(int bytes) {
    return "model rejected (UNSIGNED): <String " + bytes + " bytes>: no signed model of " + bytes + " bytes under ["
        + models + "] matches <String " + bytes + " bytes>"
        + "; to allow a model loaded from memory (as from a jar), keep a signed copy of its bytes"
        + " under a models= root";
  }

  @Test
  void checkStringContent_textOfASignedFile_returnsTheSameString() throws Exception {
    signed("model.txt", TEXT.getBytes(StandardCharsets.UTF_8));
    String text = new String(TEXT.toCharArray());

    assertSame(text, gate("enforce").checkStringContent("test", text));
    assertTrue(Files.readString(dir.resolve("decisions.jsonl")).contains("\"decision\":\"allow\""));
  }

  @Test
  void checkStringContent_unsignedText_refusedUnsigned() throws Exception {
    Gate gate = gate("enforce");
    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkStringContent("test", TEXT));
    assertEquals(RejectReason.UNSIGNED, e.reason());
    assertEquals(unsigned(TEXT.length()), e.getMessage());
  }

  @Test
  void checkStringContent_tamperedTextOfASignedFile_refusedUnsigned() throws Exception {
    signed("model.txt", TEXT.getBytes(StandardCharsets.UTF_8));
    String tampered = TEXT.replace("0.5", "9.5");
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkStringContent("test", tampered));
    assertEquals(unsigned(tampered.length()), e.getMessage());
  }

  @Test
  void checkStringContent_nulWhoseUtf8FormIsSigned_refusedBecauseNativeCodeGetsC080() throws Exception {
    String text = TEXT + "\0";
    signed("model.txt", text.getBytes(StandardCharsets.UTF_8)); // ends in a 0 byte; JNI sends C0 80
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkStringContent("test", text));
    assertEquals(unsigned(TEXT.length() + 2), e.getMessage());
  }

  @Test
  void checkStringContent_supplementaryCharacterWhoseUtf8FormIsSigned_refused() throws Exception {
    String text = TEXT + "# \uD83D\uDE00\n";
    signed("model.txt", text.getBytes(StandardCharsets.UTF_8)); // F0 9F 98 80; JNI sends ED A0 BD ED B8 80
    Gate gate = gate("enforce");

    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkStringContent("test", text));
    assertEquals(unsigned(TEXT.length() + 2 + 6 + 1), e.getMessage());
  }

  @Test
  void checkStringContent_supplementaryCharacterWhoseModifiedUtf8FormIsSigned_accepted() throws Exception {
    String text = TEXT + "# \uD83D\uDE00\n";
    signed("model.txt", ModifiedUtf8.encode(text)); // exactly the bytes native code reads

    assertSame(text, gate("enforce").checkStringContent("test", text));
  }

  @Test
  void checkStringContent_unsignedTextInAuditMode_returnsTheStringAndLogsAuditDeny() throws Exception {
    String text = TEXT;

    assertSame(text, gate("audit").checkStringContent("test", text));
    String log = Files.readString(dir.resolve("decisions.jsonl"));
    assertTrue(log.contains("\"decision\":\"audit-deny\""), log);
    assertTrue(log.contains("\"reason\":\"UNSIGNED\""), log);
  }

  @Test
  void checkStringContent_null_refusedUnsupportedSource() throws Exception {
    Gate gate = gate("enforce");
    ModelVerificationException e = assertThrows(ModelVerificationException.class,
        () -> gate.checkStringContent("test", null));
    assertEquals("model rejected (UNSUPPORTED_SOURCE): <String>: no model string", e.getMessage());
  }
}
