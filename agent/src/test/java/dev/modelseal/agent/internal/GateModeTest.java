package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.SignedModels.MODEL_TEXT;
import static dev.modelseal.agent.internal.SignedModels.refused;
import static dev.modelseal.agent.internal.SignedModels.signSig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.bootstrap.ModelVerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the real gate does with a decision in each mode (enforce: the application gets {@link
 * ModelVerificationException}; audit: {@code audit-deny} is logged and the original goes through; an exempt path:
 * {@code exempt} is logged), and the refusals it makes itself, before any signature is looked at.
 */
class GateModeTest {
  private static final byte[] MODEL = MODEL_TEXT.getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;
  private SignedModels m;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
  }

  @Test
  void checkPath_unsignedInEnforceMode_logsDeny() throws Exception {
    Gate gate = m.gate("");

    refused(() -> gate.checkPath("test", m.model));
    String line = m.decisionLines().get(0);
    assertTrue(line.contains("\"decision\":\"deny\",\"reason\":\"UNSIGNED\""), line);
  }

  @Test
  void checkPath_unsignedInAuditMode_returnsTheCallersPath() throws Exception {
    Gate gate = m.gate("mode = audit\n");

    assertSame(m.model, gate.checkPath("test", m.model));
  }

  @Test
  void checkPath_unsignedInAuditMode_logsAuditDeny() throws Exception {
    m.gate("mode = audit\n").checkPath("test", m.model);

    String line = m.decisionLines().get(0);
    assertTrue(line.contains("\"decision\":\"audit-deny\",\"reason\":\"UNSIGNED\""), line);
  }

  @Test
  void checkBytes_unsignedInAuditMode_returnsTheModelBytes() throws Exception {
    Gate gate = m.gate("mode = audit\nmodels = " + m.model.getParent() + "\n");

    assertArrayEquals(MODEL, gate.checkBytes("test", MODEL.clone()));
  }

  @Test
  void checkPath_underExemptPath_logsExempt() throws Exception {
    m.gate("exempt = " + m.model.getParent() + "\n").checkPath("test", m.model);

    String line = m.decisionLines().get(0);
    assertTrue(line.contains("\"decision\":\"exempt\",\"reason\":null"), line);
  }

  @Test
  void checkPath_null_refusedUnsupportedSource() throws Exception {
    assertEquals("model rejected (UNSUPPORTED_SOURCE): <null>: no model path", m.refusal("", null));
  }

  @Test
  void checkPath_noSuchFile_refusedPathRefused() throws Exception {
    Path missing = m.dir.resolve("models/missing.onnx");

    assertEquals("model rejected (PATH_REFUSED): " + missing + ": no such file or directory", m.refusal("", missing));
  }

  @Test
  void checkBytes_overTheInMemoryLimit_refusedTooLarge() throws Exception {
    Gate gate = m.gate("max-in-memory = 4\n");

    ModelVerificationException e = refused(() -> gate.checkBytes("test", MODEL.clone()));
    assertEquals("model rejected (TOO_LARGE): <byte[] 11 bytes>: model of more than 4 bytes is over the in-memory"
        + " limit", e.getMessage());
  }

  @Test
  void checkBytes_noSignedCopyUnderTheModelRoots_refusedUnsigned() throws Exception {
    Gate gate = m.gate("models = " + m.model.getParent() + "\n");

    ModelVerificationException e = refused(() -> gate.checkBytes("test", MODEL.clone()));
    assertEquals("model rejected (UNSIGNED): <byte[] 11 bytes>: no signed model of 11 bytes under ["
        + m.model.getParent() + "] matches <byte[] 11 bytes>"
        + "; to allow a model loaded from memory (as from a jar), keep a signed copy of its bytes"
        + " under a models= root", e.getMessage());
  }

  @Test
  void checkPath_signedModelWithUnwritableDecisionLog_refusedInternalError() throws Exception {
    signSig(m.prod, m.model);
    Gate gate = m.gateLoggingTo(Path.of("/dev/full"), "");

    ModelVerificationException e = refused(() -> gate.checkPath("test", m.model));
    assertEquals("model rejected (INTERNAL_ERROR): " + m.model + ": cannot write the decision log /dev/full:"
        + " java.io.IOException: No space left on device", e.getMessage());
  }

  @Test
  void checkPath_signedModelWithUnwritableDecisionLog_leavesNoPinnedCopy() throws Exception {
    signSig(m.prod, m.model);
    Gate gate = m.gateLoggingTo(Path.of("/dev/full"), "");

    refused(() -> gate.checkPath("test", m.model));
    try (var roots = Files.list(m.dir.resolve("pins")); var loads = Files.list(roots.findFirst().orElseThrow())) {
      assertEquals(List.of(PinRoots.LOCK), loads.map(p -> p.getFileName().toString()).toList());
    }
  }
}
