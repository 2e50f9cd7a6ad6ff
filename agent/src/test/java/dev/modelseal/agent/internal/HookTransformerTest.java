package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The name tests every loaded class goes through before anything is parsed (derived from {@link
 * Runtimes#ALL}), and what is then rewritten.
 */
class HookTransformerTest {
  @Test
  void inScope_djlAndOrtInternalNames_true() {
    assertTrue(Runtimes.ALL.inScope("ai/djl/BaseModel"));
    assertTrue(Runtimes.ALL.inScope("ai/onnxruntime/OrtEnvironment"));
  }

  @Test
  void inScope_otherPackagesAndLookalikes_false() {
    assertFalse(Runtimes.ALL.inScope("java/lang/String"));
    assertFalse(Runtimes.ALL.inScope("ai/djlx/Model"));
    assertFalse(Runtimes.ALL.inScope("ai.djl.BaseModel"));
  }

  @Test
  void inScopeBinaryName_djlAndOrtBinaryNames_true() {
    assertTrue(Runtimes.ALL.inScopeBinaryName("ai.djl.BaseModel"));
    assertTrue(Runtimes.ALL.inScopeBinaryName("ai.onnxruntime.OrtSession$SessionOptions"));
  }

  @Test
  void inScopeBinaryName_otherPackagesAndInternalNames_false() {
    assertFalse(Runtimes.ALL.inScopeBinaryName("java.lang.String"));
    assertFalse(Runtimes.ALL.inScopeBinaryName("ai.onnxruntimex.OrtEnvironment"));
    assertFalse(Runtimes.ALL.inScopeBinaryName("ai/djl/BaseModel"));
  }

  @Test
  void mayBeGuarded_exactHookTypes_true() {
    assertTrue(Runtimes.ALL.mayBeGuarded("ai/onnxruntime/OrtEnvironment"));
    assertTrue(Runtimes.ALL.mayBeGuarded("ai/onnxruntime/OrtSession$SessionOptions"));
    assertTrue(Runtimes.ALL.mayBeGuarded("ai/djl/pytorch/jni/JniUtils"));
    assertTrue(Runtimes.ALL.mayBeGuarded("ai/djl/util/ClassLoaderUtils"));
  }

  @Test
  void mayBeGuarded_namesEndingInAGuardedInterface_true() {
    assertTrue(Runtimes.ALL.mayBeGuarded("ai/djl/onnxruntime/engine/OrtModel"));
    assertTrue(Runtimes.ALL.mayBeGuarded("ai/djl/repository/SimpleRepository"));
  }

  @Test
  void mayBeGuarded_otherRuntimeClasses_false() {
    assertFalse(Runtimes.ALL.mayBeGuarded("ai/djl/ndarray/NDArray"));
    assertFalse(Runtimes.ALL.mayBeGuarded("ai/onnxruntime/OnnxTensor"));
    assertFalse(Runtimes.ALL.mayBeGuarded("ai/djl/util/Utils"));
  }

  /** A class in a DJL package implementing DJL's Repository, with a field that has an attribute and the given methods. */
  private static byte[] repositoryClass(String... methods) {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "ai/djl/repository/TestRepository", null, "java/lang/Object",
        new String[] {"ai/djl/repository/Repository"});
    w.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "LIMIT", "I", null, 7).visitEnd(); // ConstantValue
    MethodVisitor caller = w.visitMethod(Opcodes.ACC_PUBLIC, "refresh", "(Ljava/lang/Object;)V", null, null);
    caller.visitCode(); // calls, but does not declare, getResourceDirectory: the name is in the constant pool
    caller.visitVarInsn(Opcodes.ALOAD, 1);
    caller.visitTypeInsn(Opcodes.CHECKCAST, "ai/djl/repository/Repository");
    caller.visitInsn(Opcodes.ACONST_NULL);
    caller.visitMethodInsn(Opcodes.INVOKEINTERFACE, "ai/djl/repository/Repository", "getResourceDirectory",
        "(Lai/djl/repository/Artifact;)Ljava/nio/file/Path;", true);
    caller.visitInsn(Opcodes.POP);
    caller.visitInsn(Opcodes.RETURN);
    caller.visitMaxs(0, 0);
    caller.visitEnd();
    for (String name : methods) {
      MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC, name, "(Lai/djl/repository/Artifact;)Ljava/nio/file/Path;",
          null, null);
      m.visitCode();
      m.visitInsn(Opcodes.ACONST_NULL);
      m.visitInsn(Opcodes.ARETURN);
      m.visitMaxs(0, 0);
      m.visitEnd();
    }
    w.visitEnd();
    return w.toByteArray();
  }

  private static final List<MethodHook> REPOSITORY_HOOKS = repositoryHooks();

  private static List<MethodHook> repositoryHooks() {
    for (TypeHooks t : Runtimes.ALL.types()) {
      if (t.selectsSubtypes() && t.typeName().equals("ai/djl/repository/Repository")) {
        return t.methods();
      }
    }
    throw new AssertionError("no Repository hooks");
  }

  @Test
  void declaresAny_classDeclaringTheHookedMethod_true() {
    ClassReader r = new ClassReader(repositoryClass("getResourceDir", "getResourceDirectory"));
    assertTrue(MethodNameScan.declaresAny(r, REPOSITORY_HOOKS));
  }

  @Test
  void declaresAny_nameOnlyCalledOrAsAPrefix_false() {
    ClassReader r = new ClassReader(repositoryClass("getResourceDir", "getResourceDirectoryOf"));
    assertFalse(MethodNameScan.declaresAny(r, REPOSITORY_HOOKS));
  }

  /** Records what the transformer reports. */
  static final class Recorder implements HookTransformer.Events {
    final List<String> installed = new ArrayList<>();
    final List<Throwable> failed = new ArrayList<>();

    @Override
    public void installed(String type, List<String> methods) {
      installed.add(type + " " + methods);
    }

    @Override
    public void failed(String type, Throwable cause) {
      failed.add(cause);
    }
  }

  /** Transforms {@code TestRepository} with the given methods as the JVM would at class load. */
  private static byte[] transformRepository(Recorder events, String... methods) {
    return new HookTransformer(null, events).transform(null, HookTransformerTest.class.getClassLoader(),
        "ai/djl/repository/TestRepository", null, null, repositoryClass(methods));
  }

  @Test
  void transform_subtypeNotDeclaringTheGuardedMethod_leftUnchanged() {
    Recorder events = new Recorder();
    assertNull(transformRepository(events, "getResourceDir"));
    assertEquals(List.of(), events.installed);
    assertEquals(List.of(), events.failed);
  }

  @Test
  void transform_subtypeDeclaringTheGuardedMethod_rewrittenWithTheCheck() {
    Recorder events = new Recorder();
    byte[] out = transformRepository(events, "getResourceDirectory");
    assertNotNull(out);
    assertEquals(List.of("ai.djl.repository.TestRepository [getResourceDirectory(Lai/djl/repository/Artifact;)"
        + "Ljava/nio/file/Path;]"), events.installed);
    assertTrue(new String(out, java.nio.charset.StandardCharsets.ISO_8859_1).contains("checkPath"));
  }

  @Test
  void transform_exactTypeMissingARequiredMethod_reportsUnsupportedVersion() {
    ClassWriter w = new ClassWriter(0); // an OrtEnvironment with no createSession at all
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "ai/onnxruntime/OrtEnvironment", null, "java/lang/Object", null);
    w.visitEnd();
    Recorder events = new Recorder();
    assertNull(new HookTransformer(null, events).transform(null, HookTransformerTest.class.getClassLoader(),
        "ai/onnxruntime/OrtEnvironment", null, null, w.toByteArray()));
    assertEquals(1, events.failed.size());
    assertEquals("no method createSession(Ljava/lang/String;Lai/onnxruntime/OrtAllocator;...) in "
        + "ai.onnxruntime.OrtEnvironment: unsupported runtime version", events.failed.get(0).getMessage());
  }
}
