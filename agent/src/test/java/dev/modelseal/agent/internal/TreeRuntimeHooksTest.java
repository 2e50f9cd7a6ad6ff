package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The XGBoost4J and LightGBM hooks on the real class files of {@code xgboost4j_2.12} 3.4.0, {@code lightgbm4j}
 * 4.3.0-1 and Microsoft's {@code lightgbmlib} 3.3.510 (read from the test classpath, never loaded): which methods are
 * rewritten, and where XGBoost's deserializers get their check.
 */
class TreeRuntimeHooksTest {
  private static final String BOOSTER = "ml/dmlc/xgboost4j/java/Booster";
  private static final String SWIG = "com/microsoft/ml/lightgbm/lightgbmlib";

  private static byte[] classFile(String internalName) throws Exception {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
      assertNotNull(in, internalName);
      return in.readAllBytes();
    }
  }

  private static List<String> messages(List<Throwable> failed) {
    List<String> out = new ArrayList<>();
    for (Throwable t : failed) {
      out.add(t.getMessage());
    }
    return out;
  }

  private static byte[] transform(HookTransformerTest.Recorder events, String internalName, byte[] bytes) {
    return new HookTransformer(null, events).transform(null, TreeRuntimeHooksTest.class.getClassLoader(),
        internalName, null, null, bytes);
  }

  /** The instructions of one method, as {@code OPCODE owner.name descriptor} / {@code LDC value} lines. */
  private static List<String> instructions(byte[] classFile, String method, String descriptor) {
    List<String> out = new ArrayList<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
        if (!name.equals(method) || !desc.equals(descriptor)) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitLdcInsn(Object value) {
            out.add("LDC " + value);
          }

          @Override
          public void visitInsn(int opcode) {
            out.add(opcode == Opcodes.SWAP ? "SWAP" : "INSN " + opcode);
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            out.add("CALL " + owner + "." + name + desc);
          }
        };
      }
    }, 0);
    return out;
  }

  @Test
  void inScope_xgboostAndLightgbmPackages_true() {
    assertTrue(Runtimes.ALL.inScope(BOOSTER));
    assertTrue(Runtimes.ALL.inScope(SWIG));
    assertTrue(Runtimes.ALL.inScopeBinaryName("ml.dmlc.xgboost4j.java.Booster"));
    assertTrue(Runtimes.ALL.inScopeBinaryName("com.microsoft.ml.lightgbm.lightgbmlib"));
    assertTrue(Runtimes.ALL.mayBeGuarded(BOOSTER));
    assertTrue(Runtimes.ALL.mayBeGuarded(SWIG));
  }

  @Test
  void transform_xgboostBooster_guardsBothLoadersAndBothDeserializers() throws Exception {
    HookTransformerTest.Recorder events = new HookTransformerTest.Recorder();
    assertNotNull(transform(events, BOOSTER, classFile(BOOSTER)));
    assertEquals(List.of(), events.failed);
    assertEquals(List.of("ml.dmlc.xgboost4j.java.Booster [loadModel(Ljava/lang/String;)Lml/dmlc/xgboost4j/java/Booster;, "
        + "loadModel([B)Lml/dmlc/xgboost4j/java/Booster;, readObject(Ljava/io/ObjectInputStream;)V, "
        + "read(Lcom/esotericsoftware/kryo/Kryo;Lcom/esotericsoftware/kryo/io/Input;)V]"), events.installed);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"readObject, (Ljava/io/ObjectInputStream;)V",
      "read, (Lcom/esotericsoftware/kryo/Kryo;Lcom/esotericsoftware/kryo/io/Input;)V"})
  void transform_xgboostDeserializer_checksTheBytesJustBeforeTheNativeLoad(String method, String descriptor)
      throws Exception {
    byte[] out = transform(new HookTransformerTest.Recorder(), BOOSTER, classFile(BOOSTER));
    List<String> calls = instructions(out, method, descriptor);
    int at = calls.indexOf("CALL ml/dmlc/xgboost4j/java/XGBoostJNI.XGBoosterLoadModelFromBuffer(J[B)I");
    assertTrue(at >= 3, calls::toString);
    assertEquals(List.of("LDC ml.dmlc.xgboost4j.java.Booster." + method, "SWAP",
        "CALL dev/modelseal/bootstrap/ModelGate.checkBytes(Ljava/lang/String;[B)[B"), calls.subList(at - 3, at));
  }

  @Test
  void transform_xgboostLoadModelByPath_checksTheArgumentAtEntry() throws Exception {
    byte[] out = transform(new HookTransformerTest.Recorder(), BOOSTER, classFile(BOOSTER));
    List<String> calls = instructions(out, "loadModel", "(Ljava/lang/String;)Lml/dmlc/xgboost4j/java/Booster;");
    assertEquals(List.of("LDC ml.dmlc.xgboost4j.java.Booster.loadModel",
        "CALL dev/modelseal/bootstrap/ModelGate.checkPathString(Ljava/lang/String;Ljava/lang/String;)"
            + "Ljava/lang/String;"), calls.subList(0, 2));
  }

  /** The SWIG class of lightgbm4j 4.3.0-1 and of Microsoft's lightgbmlib 3.3.510, both on the test classpath. */
  private static List<byte[]> swigClassFiles() throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (java.net.URL url : java.util.Collections.list(ClassLoader.getSystemResources(SWIG + ".class"))) {
      try (InputStream in = url.openStream()) {
        out.add(in.readAllBytes());
      }
    }
    assertEquals(2, out.size(), "lightgbmlib.class in lightgbm4j and in lightgbmlib");
    return out;
  }

  @Test
  void transform_lightgbmSwigClassOfEitherJar_guardsTheFileAndTheStringLoad() throws Exception {
    String tail = "Lcom/microsoft/ml/lightgbm/SWIGTYPE_p_int;Lcom/microsoft/ml/lightgbm/SWIGTYPE_p_p_void;)I";
    for (byte[] swig : swigClassFiles()) {
      HookTransformerTest.Recorder events = new HookTransformerTest.Recorder();
      byte[] out = transform(events, SWIG, swig);
      assertNotNull(out);
      assertEquals(List.of(), events.failed);
      assertEquals(List.of("com.microsoft.ml.lightgbm.lightgbmlib [LGBM_BoosterCreateFromModelfile("
          + "Ljava/lang/String;" + tail + ", LGBM_BoosterLoadModelFromString(Ljava/lang/String;" + tail + "]"),
          events.installed);
      List<String> calls = instructions(out, "LGBM_BoosterLoadModelFromString", "(Ljava/lang/String;" + tail);
      assertEquals(List.of("LDC com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterLoadModelFromString",
          "CALL dev/modelseal/bootstrap/ModelGate.checkStringContent(Ljava/lang/String;Ljava/lang/String;)"
              + "Ljava/lang/String;"), calls.subList(0, 2));
    }
  }

  @Test
  void transform_deserializerWithoutANativeLoad_reportsUnsupportedVersion() {
    HookTransformerTest.Recorder events = new HookTransformerTest.Recorder();
    assertNull(transform(events, BOOSTER, boosterWithoutNativeLoads()));
    assertEquals(List.of("no call of a native model loader in ml.dmlc.xgboost4j.java.Booster.readObject: "
        + "unsupported runtime version"), messages(events.failed));
  }

  /** A Booster that declares every guarded method, but whose deserializers never call the native loader. */
  private static byte[] boosterWithoutNativeLoads() {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, BOOSTER, null, "java/lang/Object", null);
    String kryo = "(Lcom/esotericsoftware/kryo/Kryo;Lcom/esotericsoftware/kryo/io/Input;)V";
    String[][] methods = {{"loadModel", "(Ljava/lang/String;)L" + BOOSTER + ";"}, {"loadModel", "([B)L" + BOOSTER + ";"},
        {"readObject", "(Ljava/io/ObjectInputStream;)V"}, {"read", kryo}};
    for (String[] m : methods) {
      boolean isStatic = m[0].equals("loadModel");
      MethodVisitor v = w.visitMethod(isStatic ? Opcodes.ACC_STATIC : Opcodes.ACC_PRIVATE, m[0], m[1], null, null);
      v.visitCode();
      v.visitInsn(isStatic ? Opcodes.ACONST_NULL : Opcodes.NOP);
      v.visitInsn(isStatic ? Opcodes.ARETURN : Opcodes.RETURN);
      v.visitMaxs(0, 0);
      v.visitEnd();
    }
    w.visitEnd();
    return w.toByteArray();
  }
}
