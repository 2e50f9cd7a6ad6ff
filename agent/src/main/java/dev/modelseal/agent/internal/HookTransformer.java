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
 * Inserts the hooks of the registered runtimes ({@link Runtimes}) into their classes as they load:
 * decides which classes and hooks, and has {@link HookWeaver} rewrite them. Each guarded method then
 * calls the bootstrap bridge at its entry (or before each return), so a rejection propagates and the
 * original body, which hands the model to the runtime, never runs.
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
  private final Runtimes runtimes;
  private final TypeHierarchy hierarchy;

  HookTransformer(Instrumentation inst, Events events) {
    this(inst, events, Runtimes.ALL);
  }

  /** A transformer for the hooks of {@code runtimes} (the agent's are {@link Runtimes#ALL}). */
  HookTransformer(Instrumentation inst, Events events, Runtimes runtimes) {
    this.inst = inst;
    this.events = events;
    this.runtimes = runtimes;
    this.hierarchy = new TypeHierarchy(runtimes.scopePrefixes());
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    // Every class the JVM loads passes these name tests: they allocate nothing (see Runtimes). The agent's own
    // classes (dev/modelseal/) are in no runtime's scope: turned away before any other code runs, so that a
    // transform never needs a class of ours that another thread is defining or initialising.
    if (className == null || !runtimes.inScope(className)) {
      return null;
    }
    if (!runtimes.mayBeGuarded(className)) {
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
      List<MethodHook> hooks = new ArrayList<>();
      for (TypeHooks t : runtimes.types()) {
        // A class that declares none of the hooked methods has nothing to rewrite (an inherited
        // method is guarded where it is declared), so neither its hierarchy is read nor its pool
        // decoded; unless a hook is required, so that a missing method fails closed below.
        if (t.isExcluded(className) || (!t.anyRequired() && !MethodNameScan.declaresAny(reader, t.methods()))) {
          continue;
        }
        boolean selected = t.selectsSubtypes()
            ? (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0 && hierarchy.isSubtype(loader, reader, t.typeName())
            : className.equals(t.typeName());
        if (selected) {
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
}
