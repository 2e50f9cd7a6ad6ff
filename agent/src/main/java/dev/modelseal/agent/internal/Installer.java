package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelGate;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the {@link Hooks} with Byte Buddy, fail-closed at every step:
 *
 * <ul>
 *   <li>an error while installing or while retransforming classes already loaded throws, which
 *       stops the JVM before {@code main};
 *   <li>a guarded type that cannot be transformed later, or in which a required method is missing
 *       (an unsupported runtime version), halts the JVM in enforce mode, because the JVM would
 *       otherwise load that class unguarded; audit mode logs it.
 * </ul>
 *
 * Classes are decorated with inlined advice only: no fields, methods or initializers are added.
 */
final class Installer {
  private final AgentSettings settings;
  private final DecisionLog log;

  Installer(AgentSettings settings, DecisionLog log) {
    this.settings = settings;
    this.log = log;
  }

  void install(Instrumentation inst) {
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.RedefinitionStrategy.Listener.ErrorEscalating.FAIL_FAST)
        .with(new FailClosedListener())
        .ignore(not(nameStartsWith(Hooks.DJL_PREFIX).or(nameStartsWith(Hooks.ORT_PREFIX))))
        .assureReadEdgeTo(inst, ModelGate.class);
    for (Hooks.TypeHook hook : Hooks.all()) {
      builder = builder.type(hook.type()).transform(new CheckedAdvice(hook));
    }
    builder.installOn(inst);
  }

  /** Applies a type's advice after checking that every required method is there. */
  private final class CheckedAdvice implements AgentBuilder.Transformer {
    private final Hooks.TypeHook hook;

    CheckedAdvice(Hooks.TypeHook hook) {
      this.hook = hook;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
        ClassLoader loader, JavaModule module, ProtectionDomain domain) {
      AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
          .include(Installer.class.getClassLoader());
      StringBuilder installed = new StringBuilder();
      for (Hooks.MethodHook m : hook.methods()) {
        int n = type.getDeclaredMethods().filter(m.matcher()).size();
        if (n < m.minMatches()) {
          throw new IllegalStateException("hook " + m.name() + " found no matching method in "
              + type.getName() + " (unsupported " + hook.runtime() + " version)");
        }
        if (n > 0) {
          advice = advice.advice(m.matcher(), m.advice());
          installed.append(installed.length() == 0 ? "" : ", ").append(m.name());
        }
      }
      if (installed.length() > 0) {
        log.event("hook-installed", type.getName() + ": " + installed);
      }
      return advice.transform(builder, type, loader, module, domain);
    }
  }

  /**
   * Turns a failed transformation of a guarded type into a halt (enforce) or a logged warning
   * (audit). Only runtime types reach the listener: everything else is ignored up front.
   */
  private final class FailClosedListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
      String message = "could not guard " + typeName + ": " + t.getMessage();
      log.event("hook-failed", message);
      if (settings.mode() == AgentSettings.Mode.ENFORCE) {
        System.err.println("modelseal: fatal: " + message + "; stopping the JVM rather than loading models unverified");
        System.err.flush();
        Runtime.getRuntime().halt(1);
      }
      System.err.println("modelseal: AUDIT: " + message);
    }
  }
}
