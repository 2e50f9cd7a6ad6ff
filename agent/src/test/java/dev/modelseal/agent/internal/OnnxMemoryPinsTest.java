package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which files may wait for their ONNX Runtime session instead of a copy ({@link OnnxMemoryPins#eligible}). */
class OnnxMemoryPinsTest {
  private static final long MIN = OnnxMemoryPins.MIN_SIZE;
  private final OnnxMemoryPins pins = new OnnxMemoryPins(1L << 30);

  @Test
  void eligible_onnxFileAtTheLeastSize_true() {
    assertTrue(pins.eligible(Path.of("/m/model.onnx"), MIN));
  }

  @Test
  void eligible_onnxFileBelowTheLeastSize_false() {
    assertFalse(pins.eligible(Path.of("/m/model.onnx"), MIN - 1));
  }

  @Test
  void eligible_upperCaseSuffix_true() {
    assertTrue(pins.eligible(Path.of("/m/MODEL.ONNX"), MIN));
  }

  @Test
  void eligible_otherSuffix_false() {
    assertFalse(pins.eligible(Path.of("/m/model.onnx.data"), MIN));
  }

  @Test
  void eligible_overMaxInMemory_false() {
    assertFalse(pins.eligible(Path.of("/m/model.onnx"), (1L << 30) + 1));
  }

  @Test
  void eligible_overWhatOneBufferHolds_false() {
    assertFalse(new OnnxMemoryPins(Long.MAX_VALUE).eligible(Path.of("/m/model.onnx"), 1L << 31));
  }
}
