package dev.modelseal.agent.internal;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the {@link HookTransformer}, fail-closed at every step:
 *
 * <ul>
 *   <li>guarded classes that are already loaded (late attach, or loaded before the agent) are
 *       retransformed, and an error there stops the JVM before {@code main};
 *   <li>a guarded type that cannot be transformed later, or in which a required method is missing
 *       (an unsupported runtime version), halts the JVM in enforce mode, because the JVM would
 *       otherwise load that class unguarded; audit mode logs it.
 * </ul>
 */
final class Installer implements HookTransformer.Events {
  private final AgentSettings settings;
  private final DecisionLog log;

  Installer(AgentSettings settings, DecisionLog log) {
    this.settings = settings;
    this.log = log;
  }

  void install(Instrumentation inst) throws UnmodifiableClassException {
    Runtimes runtimes = settings.sealedRoots() ? Runtimes.withSealedRoots() : Runtimes.ALL;
    inst.addTransformer(new HookTransformer(inst, this, runtimes), true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      // Only classes the transformer would guard: retransforming a class costs, and every java/io class is in scope.
      if (runtimes.inScopeBinaryName(c.getName()) && runtimes.mayBeGuarded(c.getName().replace('.', '/'))
          && inst.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    if (!loaded.isEmpty()) {
      inst.retransformClasses(loaded.toArray(new Class<?>[0]));
    }
  }

  @Override
  public void installed(String type, List<String> methods) {
    log.event("hook-installed", type + ": " + String.join(", ", methods));
  }

  @Override
  public void failed(String type, Throwable t) {
    String message = "could not guard " + type + ": " + t.getMessage();
    log.event("hook-failed", message);
    if (settings.mode() == AgentSettings.Mode.ENFORCE) {
      System.err.println("modelseal: fatal: " + message + "; stopping the JVM rather than loading models unverified");
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    System.err.println("modelseal: AUDIT: " + message);
  }
}
