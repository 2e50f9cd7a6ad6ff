package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelGate;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Inserts the {@link Hooks} into runtime classes as they load, with Byte Buddy's bundled ASM. Each
 * guarded method gets, at its entry, the equivalent of {@code arg = ModelGate.checkX("Type.method",
 * arg);} (or, for a returned path, the same call before each return): one static call into the
 * bootstrap bridge, nothing else, so a rejection propagates and the original body, which hands the
 * model to the runtime, never runs. No fields, methods or initializers are added, so classes can be
 * retransformed.
 *
 * <p>Fail-closed: the JVM ignores exceptions thrown by transformers and loads the class unchanged,
 * so any failure on a guarded type, including a required method that is missing (an unsupported
 * runtime version), is reported to {@link Installer}, which stops the JVM in enforce mode.
 */
final class HookTransformer implements ClassFileTransformer {
  private static final String GATE = Type.getInternalName(ModelGate.class);

  /** Receives what happened to each guarded type. */
  interface Events {
    void installed(String type, List<String> methods);

    void failed(String type, Throwable cause);
  }

  private final Instrumentation inst;
  private final Events events;
  private final TypeHierarchy hierarchy = new TypeHierarchy();

  HookTransformer(Instrumentation inst, Events events) {
    this.inst = inst;
    this.events = events;
  }

  // Every class the JVM loads passes the name tests below, so they allocate nothing and iterate no
  // collection: plain string tests against names taken once from Hooks.
  private static final String DJL_BINARY_PREFIX = Hooks.DJL_PREFIX.replace('/', '.');
  private static final String ORT_BINARY_PREFIX = Hooks.ORT_PREFIX.replace('/', '.');
  private static final String[] EXACT_NAMES = exactNames();
  private static final String[] SUPERTYPE_SIMPLE_NAMES = supertypeSimpleNames();

  /** Returns true if the internal class name is in a guarded runtime's package space. */
  static boolean inScope(String internalName) {
    return internalName.startsWith(Hooks.DJL_PREFIX) || internalName.startsWith(Hooks.ORT_PREFIX);
  }

  /** {@link #inScope} for a binary name ({@code ai.djl.Model}), as {@link Class#getName} gives it. */
  static boolean inScopeBinaryName(String binaryName) {
    return binaryName.startsWith(DJL_BINARY_PREFIX) || binaryName.startsWith(ORT_BINARY_PREFIX);
  }

  /**
   * Cheap name test before any parsing: an exact hook type, or a class whose simple name ends with
   * the name of a guarded DJL interface ({@code ...Model}, {@code ...Repository}), which is how DJL
   * names every implementation. Everything else in scope is left untouched without being parsed.
   */
  static boolean mayBeGuarded(String internalName) {
    for (String exact : EXACT_NAMES) {
      if (internalName.equals(exact)) {
        return true;
      }
    }
    for (String simple : SUPERTYPE_SIMPLE_NAMES) {
      if (internalName.endsWith(simple)) {
        return true;
      }
    }
    return false;
  }

  private static String[] exactNames() {
    List<String> names = new ArrayList<>();
    for (Hooks.TypeHook t : Hooks.ALL) {
      if (t.exactName() != null) {
        names.add(t.exactName());
      }
    }
    return names.toArray(new String[0]);
  }

  private static String[] supertypeSimpleNames() {
    List<String> names = new ArrayList<>();
    for (Hooks.TypeHook t : Hooks.ALL) {
      if (t.supertype() != null) {
        names.add(t.supertype().substring(t.supertype().lastIndexOf('/') + 1));
      }
    }
    return names.toArray(new String[0]);
  }

  /**
   * The agent's own loader. Its classes are never guarded, and are turned away before any other
   * code runs: a transform that needed one of our classes while another thread was defining or
   * initialising it could deadlock class loading.
   */
  private static final ClassLoader OWN_LOADER = isolatedLoader();

  /** This class's loader if it is the agent's isolated loader (always, in the packaged agent), else null. */
  private static ClassLoader isolatedLoader() {
    ClassLoader own = HookTransformer.class.getClassLoader();
    return own != null && own.getClass().getName().equals("dev.modelseal.agent.AgentClassLoader") ? own : null;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if ((OWN_LOADER != null && loader == OWN_LOADER) || className == null || !inScope(className)) {
      return null;
    }
    if (!mayBeGuarded(className)) {
      return null;
    }
    return rewrite(module, loader, className, bytes);
  }

  /**
   * The rest of {@link #transform}, for the few classes that pass its name tests. A method of its
   * own: {@code transform} runs for every class the JVM loads, so C1 compiles it early, and C1
   * compiles whole methods; with this part inside, that compile took 16 ms of C1's time at start-up
   * in a {@code -XX:+LogCompilation} run, against under 1 ms now.
   */
  private byte[] rewrite(Module module, ClassLoader loader, String className, byte[] bytes) {
    try {
      ClassReader reader = new ClassReader(bytes);
      List<Hooks.MethodHook> hooks = new ArrayList<>();
      for (Hooks.TypeHook t : Hooks.ALL) {
        // A class that declares none of the hooked methods has nothing to rewrite (an inherited
        // method is guarded where it is declared), so neither its hierarchy is read nor its pool
        // decoded; unless a hook is required, so that a missing method fails closed below.
        if (t.excluded().contains(className)
            || (!anyRequired(t.methods()) && !MethodNameScan.declaresAny(reader, t.methods()))) {
          continue;
        }
        if (className.equals(t.exactName())
            || (t.supertype() != null && (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0
                && hierarchy.isSubtype(loader, reader, t.supertype()))) {
          hooks.addAll(t.methods());
        }
      }
      if (hooks.isEmpty()) {
        return null;
      }
      ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
      Weaver weaver = new Weaver(writer, className.replace('/', '.'), hooks);
      reader.accept(weaver, 0);
      for (Hooks.MethodHook h : hooks) {
        if (h.required() && !weaver.matched.contains(h)) {
          throw new IllegalStateException("no method " + h.name() + "(" + h.paramsPrefix() + "...) in "
              + className.replace('/', '.') + ": unsupported runtime version");
        }
      }
      if (weaver.installed.isEmpty()) {
        return null;
      }
      if (module != null && module.isNamed() && !module.canRead(ModelGate.class.getModule())) {
        inst.redefineModule(module, Set.of(ModelGate.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
      }
      events.installed(className.replace('/', '.'), weaver.installed);
      return writer.toByteArray();
    } catch (Throwable t) {
      events.failed(className.replace('/', '.'), t);
      return null;
    }
  }

  private static boolean anyRequired(List<Hooks.MethodHook> hooks) {
    for (Hooks.MethodHook h : hooks) {
      if (h.required()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the weaving machinery once on a class of the agent's own, so that ASM is loaded, verified
   * and partly compiled on a background thread before the first runtime class arrives.
   */
  static void warmUp() {
    try (java.io.InputStream in = HookTransformer.class.getResourceAsStream("HookTransformer.class")) {
      if (in == null) {
        return;
      }
      ClassReader reader = new ClassReader(in.readAllBytes());
      ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
      Hooks.MethodHook any = new Hooks.MethodHook("transform", "", -1, false, 0, Hooks.Check.PATH, false);
      reader.accept(new Weaver(writer, "warm.up", List.of(any)), 0);
      writer.toByteArray();
    } catch (Exception | LinkageError e) {
      // warm-up only
    }
  }

  /** Finds the guarded methods of one class and wraps them. */
  private static final class Weaver extends ClassVisitor {
    // Identity, not equals: a record's hashCode is an invokedynamic bootstrap that costs a cold
    // JVM tens of ms; the hooks are singletons from Hooks.ALL.
    final Set<Hooks.MethodHook> matched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final List<String> installed = new ArrayList<>();
    private final String typeName;
    private final List<Hooks.MethodHook> hooks;

    Weaver(ClassVisitor next, String typeName, List<Hooks.MethodHook> hooks) {
      super(Opcodes.ASM9, next);
      this.typeName = typeName;
      this.hooks = hooks;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0) {
        return mv;
      }
      boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
      for (Hooks.MethodHook h : hooks) {
        if (matches(h, name, desc, isStatic)) {
          matched.add(h);
          installed.add(name + desc);
          return new CheckCall(mv, typeName + "." + name, h, slot(desc, isStatic, h.argument()));
        }
      }
      return mv;
    }

    private static boolean matches(Hooks.MethodHook h, String name, String desc, boolean isStatic) {
      if (!h.name().equals(name) || !desc.startsWith("(" + h.paramsPrefix())
          || (h.isStatic() != null && h.isStatic() != isStatic)) {
        return false;
      }
      Type[] args = Type.getArgumentTypes(desc);
      if (h.paramCount() >= 0 && args.length != h.paramCount()) {
        return false;
      }
      return h.argument() >= 0 || Type.getReturnType(desc).getDescriptor().equals(h.check().type);
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

  /** Inserts {@code x = ModelGate.checkX(hook, x)} at entry, or before each reference return. */
  private static final class CheckCall extends MethodVisitor {
    private final String hook;
    private final Hooks.MethodHook h;
    private final int slot;

    CheckCall(MethodVisitor next, String hook, Hooks.MethodHook h, int slot) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
      this.h = h;
      this.slot = slot;
    }

    private String gateDescriptor() {
      return "(Ljava/lang/String;" + h.check().type + ")" + h.check().type;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      if (h.argument() >= 0) {
        super.visitLdcInsn(hook);
        super.visitVarInsn(Opcodes.ALOAD, slot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, h.check().gateMethod, gateDescriptor(), false);
        super.visitVarInsn(Opcodes.ASTORE, slot);
      }
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.ARETURN && h.argument() < 0) {
        super.visitLdcInsn(hook);
        super.visitInsn(Opcodes.SWAP);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, h.check().gateMethod, gateDescriptor(), false);
      }
      super.visitInsn(opcode);
    }
  }
}
