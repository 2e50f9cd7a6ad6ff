package dev.modelseal.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point. It does almost nothing: it puts its own jar on the bootstrap
 * search path (so the bridge in {@code dev.modelseal.bootstrap} is visible from every class loader, and
 * the agent's classes, its dependencies relocated under {@code dev.modelseal.agent.shaded}, load
 * there without bytecode verification) and hands over to the starter there. It keeps no state, and
 * refers to no other class of its jar: after the append, such a reference would resolve to the
 * bootstrap loader's copy.
 *
 * <p>Fail-closed: any error while starting prints one line to standard error and halts the JVM
 * before {@code main} runs. A late attach ({@code agentmain}) that fails or is refused (enforce mode,
 * or an agent already running) prints one line and returns: the JVM was already running its
 * application without the agent, and goes on doing so.
 */
public final class ModelSealAgent {
  private static final String STARTER = "dev.modelseal.agent.internal.AgentStarter";

  private ModelSealAgent() {}

  /** Called by the JVM for {@code -javaagent:modelseal-agent.jar=ARGS}. */
  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  /** Called by the JVM for a dynamic attach. */
  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean lateAttach) {
    try {
      File jar = ownJar();
      JarFile jarFile = new JarFile(jar, false);
      if (jarFile.getManifest() == null
          || !ModelSealAgent.class.getName()
              .equals(jarFile.getManifest().getMainAttributes().getValue("Premain-Class"))) {
        throw new IllegalStateException(jar + " is not the ModelSeal agent jar (no matching Premain-Class)");
      }
      inst.appendToBootstrapClassLoaderSearch(jarFile);
      Class<?> starter = Class.forName(STARTER, true, null);
      Method m = starter.getMethod("start", Instrumentation.class, String.class, boolean.class, File.class);
      m.invoke(null, inst, args, lateAttach, jar);
    } catch (InvocationTargetException e) {
      fail(e.getCause(), lateAttach);
    } catch (Throwable t) {
      fail(t, lateAttach);
    }
  }

  private static File ownJar() throws URISyntaxException {
    return new File(ModelSealAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @SuppressWarnings("PMD.DoNotTerminateVM")
  private static void fail(Throwable t, boolean lateAttach) {
    String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    if (lateAttach) {
      System.err.println("modelseal: not attached: " + message);
      System.err.flush();
      return;
    }
    System.err.println("modelseal: fatal: " + message);
    System.err.flush();
    Runtime.getRuntime().halt(1);
  }
}
