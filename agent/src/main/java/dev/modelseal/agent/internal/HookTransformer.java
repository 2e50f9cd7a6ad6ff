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
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Inserts the {@link Hooks} into runtime classes as they load: decides which classes and hooks,
 * and has {@link HookWeaver} rewrite them. Each guarded method then calls the bootstrap bridge at
 * its entry (or before each return), so a rejection propagates and the original body, which hands
 * the model to the runtime, never runs.
 *
 * <p>Fail-closed: the JVM ignores exceptions thrown by transformers and loads the class unchanged,
 * so any failure on a guarded type, including a required method that is missing (an unsupported
 * runtime version), is reported to {@link Installer}, which stops the JVM in enforce mode.
 */
final class HookTransformer implements ClassFileTransformer {
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
  private static final String JLAMA_BINARY_PREFIX = Hooks.JLAMA_PREFIX.replace('/', '.');
  private static final String[] EXACT_NAMES = exactNames();
  private static final String[] SUPERTYPE_SIMPLE_NAMES = supertypeSimpleNames();

  /** Returns true if the internal class name is in a guarded runtime's package space. */
  static boolean inScope(String internalName) {
    return internalName.startsWith(Hooks.DJL_PREFIX) || internalName.startsWith(Hooks.ORT_PREFIX)
        || internalName.startsWith(Hooks.JLAMA_PREFIX);
  }

  /** {@link #inScope} for a binary name ({@code ai.djl.Model}), as {@link Class#getName} gives it. */
  static boolean inScopeBinaryName(String binaryName) {
    return binaryName.startsWith(DJL_BINARY_PREFIX) || binaryName.startsWith(ORT_BINARY_PREFIX)
        || binaryName.startsWith(JLAMA_BINARY_PREFIX);
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
   * compiles whole methods; kept out of it, this part costs C1 nothing at start-up.
   */
  private byte[] rewrite(Module module, ClassLoader loader, String className, byte[] bytes) {
    String typeName = className.replace('/', '.');
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
      HookWeaver.Woven woven = HookWeaver.weave(reader, typeName, hooks);
      if (woven.installed().isEmpty()) {
        return null;
      }
      if (module != null && module.isNamed() && !module.canRead(ModelGate.class.getModule())) {
        inst.redefineModule(module, Set.of(ModelGate.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
      }
      events.installed(typeName, woven.installed());
      return woven.bytes();
    } catch (Throwable t) {
      events.failed(typeName, t);
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
}
