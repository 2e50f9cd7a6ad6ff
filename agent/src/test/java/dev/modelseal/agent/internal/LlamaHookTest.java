package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The java-llama.cpp hook, woven into the real classes of de.kherud:llama 4.2.0 (read, not loaded). Its
 * {@code ModelParameters.toArray()}, which {@code LlamaModel.<init>} calls, is a synthetic bridge (the declaring
 * {@code CliParameters} is package-private), so the check goes where the method is declared.
 */
class LlamaHookTest {
  @Test
  void inScope_javaLlamaCppNames_true() {
    assertTrue(Runtimes.ALL.inScope("de/kherud/llama/CliParameters"));
    assertTrue(Runtimes.ALL.inScopeBinaryName("de.kherud.llama.CliParameters"));
    assertTrue(Runtimes.ALL.mayBeGuarded("de/kherud/llama/CliParameters"));
  }

  @Test
  void inScope_lookalikeAndOtherLlamaClasses_notGuarded() {
    assertFalse(Runtimes.ALL.inScope("de/kherud/llamax/CliParameters"));
    assertFalse(Runtimes.ALL.mayBeGuarded("de/kherud/llama/InferenceParameters"));
    assertFalse(Runtimes.ALL.mayBeGuarded("de/kherud/llama/ModelParameters"));
  }

  @Test
  void transform_llamaModelOf420_leftUnchanged() throws Exception {
    HookTransformerTest.Recorder events = new HookTransformerTest.Recorder();
    assertNull(transform(events, "de/kherud/llama/LlamaModel"));
    assertEquals(List.of(), events.installed);
    assertEquals(List.of(), events.failed);
  }

  @Test
  void transform_cliParametersOf420_toArrayReturnGoesThroughTheGate() throws Exception {
    HookTransformerTest.Recorder events = new HookTransformerTest.Recorder();
    byte[] woven = transform(events, "de/kherud/llama/CliParameters");

    assertEquals(List.of(), events.failed);
    assertEquals(List.of("de.kherud.llama.CliParameters [toArray()[Ljava/lang/String;]"), events.installed);
    List<String> body = toArrayBody(woven);
    assertEquals(List.of("LDC", "SWAP", "INVOKESTATIC dev/modelseal/bootstrap/ModelGate.checkLlamaArgs"
        + "(Ljava/lang/String;[Ljava/lang/String;)[Ljava/lang/String;", "ARETURN"),
        body.subList(body.size() - 4, body.size()));
    assertEquals(1, body.stream().filter(i -> i.equals("ARETURN")).count());
  }

  private static byte[] transform(HookTransformerTest.Recorder events, String type) throws Exception {
    byte[] original;
    try (InputStream in = LlamaHookTest.class.getResourceAsStream("/" + type + ".class")) {
      original = in.readAllBytes();
    }
    return new HookTransformer(null, events).transform(null, LlamaHookTest.class.getClassLoader(), type, null, null,
        original);
  }

  /** The instructions of {@code toArray()} other than loads, stores, jumps and type checks. */
  private static List<String> toArrayBody(byte[] type) {
    List<String> body = new ArrayList<>();
    new ClassReader(type).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
        if (!name.equals("toArray")) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitInsn(int opcode) {
            body.add(opcode == Opcodes.SWAP ? "SWAP" : opcode == Opcodes.ARETURN ? "ARETURN" : "opcode " + opcode);
          }

          @Override
          public void visitLdcInsn(Object value) {
            body.add("LDC");
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String m, String d, boolean itf) {
            body.add(opcode == Opcodes.INVOKESTATIC ? "INVOKESTATIC " + owner + "." + m + d : "call " + m);
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return body;
  }
}
