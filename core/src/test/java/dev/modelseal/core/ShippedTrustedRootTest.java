package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The Sigstore production trusted root shipped in core's resources. */
class ShippedTrustedRootTest {
  @Test
  void shippedResource_isSigstorePythonsEmbeddedTarget() throws Exception {
    try (InputStream in = TrustedRoot.class.getResourceAsStream(TrustedRoot.SHIPPED_RESOURCE)) {
      byte[] bytes = in.readAllBytes();
      assertEquals("6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66",
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
  }

  @Test
  void shipped_parses_withFulcioRekorCtAndTimestampAuthorities() {
    TrustedRoot root = TrustedRoot.shipped();
    assertFalse(root.certificateAuthorities().isEmpty());
    assertFalse(root.transparencyLogs().isEmpty());
    assertFalse(root.ctLogs().isEmpty());
    assertFalse(root.timestampAuthorities().isEmpty());
  }

  @Test
  void shippedRootDate_is20251021() {
    assertEquals("2025-10-21", TrustedRoot.SHIPPED_ROOT_DATE);
  }
}
