package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites a runtime class with Byte Buddy's bundled ASM, for {@link HookTransformer}: each method a
 * hook matches gets, at its entry, the equivalent of {@code arg = ModelGate.checkX("Type.method",
 * arg);} (or {@code ModelGate.checkX("Type.method", arg);} for a check that replaces nothing; or,
 * for a returned path, the same call before each return; for a refused source,
 * {@code ModelGate.refuseSource("Type.method");}): one static call into the
 * bootstrap bridge, nothing else. No fields, methods or initializers are added, so classes can be
 * retransformed. Methods no hook matches are copied unparsed. A class of its own so that ASM's
 * writing side is loaded by the first rewrite (or the warm-up thread), not in {@code premain}.
 */
final class HookWeaver {
  private static final String GATE = Type.getInternalName(ModelGate.class);

  private HookWeaver() {}

  /**
   * Rewrites one class: inserts the checks of {@code hooks} into the methods they match.
   *
   * @param typeName the class's binary name, as the hooks' names in the log show it
   * @throws IllegalStateException if a required hook matches no method (an unsupported runtime
   *     version); the caller reports it and fails closed
   */
  static Woven weave(ClassReader reader, String typeName, List<MethodHook> hooks) {
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    Weaver weaver = new Weaver(writer, typeName, hooks);
    reader.accept(weaver, 0);
    for (MethodHook h : hooks) {
      if (h.required() && !weaver.matched.contains(h)) {
        throw new IllegalStateException("no method " + h.describe() + " in " + typeName
            + ": unsupported runtime version");
      }
    }
    for (String target : weaver.redirectTargets) {
      if (!weaver.declared.contains(target)) {
        throw new IllegalStateException("no method " + target + " in " + typeName
            + " to hand verified bytes to: unsupported runtime version");
      }
    }
    return new Woven(weaver.installed.isEmpty() ? null : writer.toByteArray(), weaver.installed);
  }

  /** A rewritten class: its bytes (null if no method was guarded) and the guarded methods. */
  static final class Woven {
    private final byte[] bytes;
    private final List<String> installed;

    Woven(byte[] bytes, List<String> installed) {
      this.bytes = bytes;
      this.installed = installed;
    }

    byte[] bytes() {
      return bytes;
    }

    List<String> installed() {
      return installed;
    }
  }

  /**
   * Runs the weaving machinery once on a class of the agent's own, so that ASM is loaded
   * and partly compiled on a background thread before the first runtime class arrives. Reads that class from
   * {@code agentJar}.
   */
  static void warmUp(AgentJar agentJar) {
    try {
      // From the agent's own jar: through a class loader, a folder on the application's class path could hand
      // this parser a class file of its own (AgentJar).
      byte[] bytes = agentJar.resource(HookTransformer.class, "HookTransformer.class", 1 << 20);
      if (bytes == null) {
        return;
      }
      // rewrite(Module, ClassLoader, String className, byte[]): an entry check of a String argument.
      MethodHook any = MethodHook.named("rewrite").paramsStartWith("Ljava/lang/Module;", "Ljava/lang/ClassLoader;",
          MethodHook.STRING).anyParamCount().instanceMethod().argument(2).check(Check.PATH_STRING).optional();
      weave(new ClassReader(bytes), "warm.up", List.of(any));
    } catch (Exception | LinkageError e) {
      // warm-up only
    }
  }

  /** Finds the guarded methods of one class and wraps them. */
  private static final class Weaver extends ClassVisitor {
    // Identity, not equals: a record's hashCode is an invokedynamic bootstrap that costs a cold
    // JVM tens of ms; the hooks are singletons from the runtimes' hook files.
    final Set<MethodHook> matched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final List<String> installed = new ArrayList<>();
    /** Every method this class declares ({@code name + descriptor}), and the overloads redirects call. */
    final Set<String> declared = new java.util.HashSet<>();
    final List<String> redirectTargets = new ArrayList<>();
    private final String typeName;
    private final List<MethodHook> hooks;
    private String owner;
    private boolean frames;

    Weaver(ClassVisitor next, String typeName, List<MethodHook> hooks) {
      super(Opcodes.ASM9, next);
      this.typeName = typeName;
      this.hooks = hooks;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      owner = name;
      frames = (version & 0xFFFF) >= Opcodes.V1_6; // stack map frames: required from 50 (Java 6) on
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
      declared.add(name + desc);
      MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0) {
        return mv;
      }
      boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
      MethodVisitor out = mv;
      for (MethodHook h : hooks) {
        if (matches(h, name, desc, isStatic)) {
          // Several hooks may check different arguments of one method: their calls are chained at its entry.
          if (out == mv) {
            installed.add(name + desc);
          }
          matched.add(h);
          if (h.check() == Check.NATIVE_BYTES) {
            out = new NativeCallCheck(out, typeName + "." + name);
            continue;
          }
          Type[] args = Type.getArgumentTypes(desc);
          int extra = h.check().withLastArgument ? args.length - 1
              : h.check().withNextArgument ? h.argument() + 1 : -1;
          int checkedSlot = h.checksArgument() ? slot(desc, isStatic, h.argument()) : -1;
          CheckCall call = new CheckCall(out, typeName + "." + name, h, checkedSlot,
              extra >= 0 ? slot(desc, isStatic, extra) : -1, extra >= 0 ? args[extra] : null);
          if (h.check().redirectType != null) {
            String target = "(" + h.check().redirectType + desc.substring(1 + args[0].getDescriptor().length());
            redirectTargets.add(name + target);
            call.redirect(owner, name, target, isStatic, frames);
          }
          out = call;
        }
      }
      return out;
    }

    private static boolean matches(MethodHook h, String name, String desc, boolean isStatic) {
      if (!h.name().equals(name) || !desc.startsWith(h.descriptorPrefix()) || h.isStatic() != isStatic) {
        return false;
      }
      if (!h.matchesParamCount(Type.getArgumentTypes(desc).length)) {
        return false;
      }
      return !h.checksReturnValue() || Type.getReturnType(desc).getDescriptor().equals(h.check().type);
    }

    private static int slot(String desc, boolean isStatic, int argument) {
      int slot = isStatic ? 0 : 1;
      Type[] args = Type.getArgumentTypes(desc);
      for (int i = 0; i < argument; i++) {
        slot += args[i].getSize();
      }
      return slot;
    }
  }

  /**
   * Inserts {@code x = ModelGate.checkX(hook, x)} at entry (or {@code checkX(hook, x, lastArgument)}), or
   * before each reference return.
   */
  private static final class CheckCall extends MethodVisitor {
    private final String hook;
    private final MethodHook h;
    private final int slot;
    private final int lastSlot;
    /** The type of the extra parameter at {@code lastSlot}, or null. */
    private final Type lastType;

    CheckCall(MethodVisitor next, String hook, MethodHook h, int slot, int lastSlot, Type lastType) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
      this.h = h;
      this.slot = slot;
      this.lastSlot = lastSlot;
      this.lastType = lastType;
    }

    /** The gate method's descriptor: a reference extra parameter is passed as an {@code Object}, a primitive as is. */
    private String gateDescriptor() {
      String extra = lastSlot < 0 ? ""
          : lastType.getSort() == Type.OBJECT || lastType.getSort() == Type.ARRAY ? "Ljava/lang/Object;"
          : lastType.getDescriptor();
      return "(Ljava/lang/String;" + h.check().type + extra + ")"
          + (h.check().replacesArgument ? h.check().type : "V");
    }

    private String owner;
    private String redirectName;
    private String redirectDesc;
    private boolean isStatic;
    private boolean frames;

    /**
     * Makes the gate's call a possible redirect ({@link Check#redirectType}): when it returns a value of that type,
     * {@code return owner.name(value, other arguments)} ({@code desc}), else the checked argument becomes the
     * returned value. {@code frames}: the class needs stack map frames.
     */
    void redirect(String owner, String name, String desc, boolean isStatic, boolean frames) {
      this.owner = owner;
      this.redirectName = name;
      this.redirectDesc = desc;
      this.isStatic = isStatic;
      this.frames = frames;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      if (redirectDesc != null) {
        emitRedirectingCheck();
      } else if (h.check() == Check.REFUSE) {
        super.visitLdcInsn(hook);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, h.check().gateMethod, "(Ljava/lang/String;)V", false);
      } else if (h.checksArgument()) {
        super.visitLdcInsn(hook);
        super.visitVarInsn(Opcodes.ALOAD, slot);
        if (lastSlot >= 0) {
          super.visitVarInsn(lastType.getOpcode(Opcodes.ILOAD), lastSlot);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, h.check().gateMethod, gateDescriptor(), false);
        if (h.check().replacesArgument) {
          super.visitVarInsn(Opcodes.ASTORE, slot);
        }
      }
    }

    /**
     * {@code Object r = ModelGate.checkX(hook, arg, last); if (r instanceof R) return this.name((R) r, ...); arg =
     * (T) r;}. Frames at both targets: the entry's locals, unchanged (the checked argument keeps its type), and an
     * empty stack, or the one {@code Object}; a {@code NOP} keeps the continuation's frame off the offset of a frame
     * the original code may have at its first instruction.
     */
    private void emitRedirectingCheck() {
      Label toRedirect = new Label();
      Label carryOn = new Label();
      String redirectType = Type.getType(h.check().redirectType).getInternalName();
      String checkedType = Type.getType(h.check().type).getInternalName();
      super.visitLdcInsn(hook);
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitVarInsn(lastType.getOpcode(Opcodes.ILOAD), lastSlot);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, h.check().gateMethod,
          "(Ljava/lang/String;" + h.check().type + "Ljava/lang/Object;)Ljava/lang/Object;", false);
      super.visitInsn(Opcodes.DUP);
      super.visitTypeInsn(Opcodes.INSTANCEOF, redirectType);
      super.visitJumpInsn(Opcodes.IFNE, toRedirect);
      super.visitTypeInsn(Opcodes.CHECKCAST, checkedType);
      super.visitVarInsn(Opcodes.ASTORE, slot);
      super.visitJumpInsn(Opcodes.GOTO, carryOn);
      super.visitLabel(toRedirect);
      if (frames) {
        super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
      }
      super.visitTypeInsn(Opcodes.CHECKCAST, redirectType);
      if (!isStatic) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitInsn(Opcodes.SWAP);
      }
      Type[] params = Type.getArgumentTypes(redirectDesc);
      int next = slot + 1; // the checked argument is the first parameter, a reference: one slot
      for (int i = 1; i < params.length; i++) {
        super.visitVarInsn(params[i].getOpcode(Opcodes.ILOAD), next);
        next += params[i].getSize();
      }
      super.visitMethodInsn(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKEVIRTUAL, owner, redirectName,
          redirectDesc, false);
      super.visitInsn(Type.getReturnType(redirectDesc).getOpcode(Opcodes.IRETURN));
      super.visitLabel(carryOn);
      if (frames) {
        super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
      }
      super.visitInsn(Opcodes.NOP);
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.ARETURN && h.checksReturnValue()) {
        super.visitLdcInsn(hook);
        super.visitInsn(Opcodes.SWAP);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, h.check().gateMethod, gateDescriptor(), false);
      }
      super.visitInsn(opcode);
    }
  }
}
