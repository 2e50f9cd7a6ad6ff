package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelGate;
import java.util.List;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * For {@link Check#NATIVE_BYTES}: a method that reads a model itself (XGBoost's {@code Booster.readObject}
 * for Java serialization, {@code Booster.read} for Kryo) and hands the {@code byte[]} straight to a native
 * loader. Nothing can be checked at its entry, so each call to one of the {@link #LOADERS} inside it becomes
 * {@code loader(handle, ModelGate.checkBytes("Type.method", bytes))}: the native code receives only the verified
 * private copy, and a rejection propagates out of the method before the call (XGBoost catches only its own
 * {@code XGBoostError} there, never the gate's {@code SecurityException}).
 *
 * <p>Fail-closed: a guarded method without any such call (a runtime version that loads another way) fails the
 * rewrite with {@link IllegalStateException}, which {@link HookTransformer} reports as an unsupported version.
 */
final class NativeCallCheck extends MethodVisitor {
  /** A native loader whose last parameter is the model's bytes: owner (internal name), name and descriptor. */
  record Loader(String owner, String name, String descriptor) {}

  /** The native loaders whose {@code byte[]} argument is checked where they are called. */
  static final List<Loader> LOADERS = List.of(
      new Loader("ml/dmlc/xgboost4j/java/XGBoostJNI", "XGBoosterLoadModelFromBuffer", "(J[B)I"));

  private static final String GATE = Type.getInternalName(ModelGate.class);

  private final String hook;
  private int checked;

  NativeCallCheck(MethodVisitor next, String hook) {
    super(Opcodes.ASM9, next);
    this.hook = hook;
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
    if (opcode == Opcodes.INVOKESTATIC && isLoader(owner, name, descriptor)) {
      // Stack: ..., handle, bytes -> ..., handle, bytes, hook -> ..., handle, hook, bytes -> ..., handle, verified
      super.visitLdcInsn(hook);
      super.visitInsn(Opcodes.SWAP);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, Check.NATIVE_BYTES.gateMethod,
          "(Ljava/lang/String;[B)[B", false);
      checked++;
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitEnd() {
    if (checked == 0) {
      throw new IllegalStateException("no call of a native model loader in " + hook + ": unsupported runtime version");
    }
    super.visitEnd();
  }

  private static boolean isLoader(String owner, String name, String descriptor) {
    for (Loader l : LOADERS) {
      if (l.owner().equals(owner) && l.name().equals(name) && l.descriptor().equals(descriptor)) {
        return true;
      }
    }
    return false;
  }
}
