package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The name tests every loaded class goes through before anything is parsed. */
class HookTransformerTest {
  @Test
  void inScope_djlAndOrtInternalNames_true() {
    assertTrue(HookTransformer.inScope("ai/djl/BaseModel"));
    assertTrue(HookTransformer.inScope("ai/onnxruntime/OrtEnvironment"));
  }

  @Test
  void inScope_otherPackagesAndLookalikes_false() {
    assertFalse(HookTransformer.inScope("java/lang/String"));
    assertFalse(HookTransformer.inScope("ai/djlx/Model"));
    assertFalse(HookTransformer.inScope("ai.djl.BaseModel"));
  }

  @Test
  void inScopeBinaryName_djlAndOrtBinaryNames_true() {
    assertTrue(HookTransformer.inScopeBinaryName("ai.djl.BaseModel"));
    assertTrue(HookTransformer.inScopeBinaryName("ai.onnxruntime.OrtSession$SessionOptions"));
  }

  @Test
  void inScopeBinaryName_otherPackagesAndInternalNames_false() {
    assertFalse(HookTransformer.inScopeBinaryName("java.lang.String"));
    assertFalse(HookTransformer.inScopeBinaryName("ai.onnxruntimex.OrtEnvironment"));
    assertFalse(HookTransformer.inScopeBinaryName("ai/djl/BaseModel"));
  }

  @Test
  void mayBeGuarded_exactHookTypes_true() {
    assertTrue(HookTransformer.mayBeGuarded("ai/onnxruntime/OrtEnvironment"));
    assertTrue(HookTransformer.mayBeGuarded("ai/onnxruntime/OrtSession$SessionOptions"));
    assertTrue(HookTransformer.mayBeGuarded("ai/djl/pytorch/jni/JniUtils"));
    assertTrue(HookTransformer.mayBeGuarded("ai/djl/util/ClassLoaderUtils"));
  }

  @Test
  void mayBeGuarded_namesEndingInAGuardedInterface_true() {
    assertTrue(HookTransformer.mayBeGuarded("ai/djl/onnxruntime/engine/OrtModel"));
    assertTrue(HookTransformer.mayBeGuarded("ai/djl/repository/SimpleRepository"));
  }

  @Test
  void mayBeGuarded_otherRuntimeClasses_false() {
    assertFalse(HookTransformer.mayBeGuarded("ai/djl/ndarray/NDArray"));
    assertFalse(HookTransformer.mayBeGuarded("ai/onnxruntime/OnnxTensor"));
    assertFalse(HookTransformer.mayBeGuarded("ai/djl/util/Utils"));
  }
}
