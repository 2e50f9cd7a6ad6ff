package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused load leaves no pinned copy behind; an allowed one keeps its copy (the runtime may map it). */
class LocationVerifierRefusalTest {
  @TempDir Path tmp;
  private KeyPair keys;
  private Path pins;
  private LocationVerifier locations;
  private Path model;

  @BeforeEach
  void setUp() throws Exception {
    Path dir = tmp.toRealPath();
    keys = CosignKeyWriter.generateKeyPair();
    Path key = Files.writeString(dir.resolve("trusted.pub"), CosignKeyWriter.publicKeyPem(keys.getPublic()));
    AgentSettings settings = AgentSettings.load("key=" + key, Map.of(), Map.of());
    pins = Files.createDirectories(dir.resolve("pins"));
    Pinner pinner = Pinner.create(pins);
    ModelChecker checker = new ModelChecker(settings, pinner);
    locations = new LocationVerifier(settings, checker, new OmsPinner(settings, pinner));
    model = Files.write(Files.createDirectories(dir.resolve("models")).resolve("model.onnx"), new byte[4096]);
  }

  private void sign(Path file) throws Exception {
    Files.writeString(file.resolveSibling(file.getFileName() + ".sig"),
        BlobSigner.create(keys.getPrivate()).sign(file, ProgressListener.NONE).base64());
  }

  /** Everything under the pin roots, relative to them. */
  private List<String> pinned() throws Exception {
    try (Stream<Path> s = Files.walk(pins)) {
      return s.filter(p -> p.getNameCount() > pins.getNameCount() + 1)
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void verifyAndPin_tamperedModel_refusedAndLeavesNoPinnedCopy() throws Exception {
    sign(model);
    Files.write(model, new byte[] {1, 2, 3});

    for (int i = 0; i < 3; i++) {
      Rejection r = assertThrows(Rejection.class, () -> locations.verifyAndPin(model));
      assertEquals(RejectReason.SIGNATURE_INVALID, r.reason);
    }

    assertEquals(List.of(PinRoots.LOCK), pinned());
  }

  @Test
  void verifyAndPin_unsignedModel_refusedAndLeavesNoPinnedCopy() throws Exception {
    Rejection r = assertThrows(Rejection.class, () -> locations.verifyAndPin(model));

    assertEquals(RejectReason.UNSIGNED, r.reason);
    assertEquals(List.of(PinRoots.LOCK), pinned());
  }

  @Test
  void verifyAndPin_signedModel_pinnedCopyStays() throws Exception {
    sign(model);

    Verdict v = locations.verifyAndPin(model);

    assertEquals(List.of(PinRoots.LOCK, "1", "model.onnx"), pinned());
    assertEquals(4096, Files.size(v.pinned()));
  }
}
