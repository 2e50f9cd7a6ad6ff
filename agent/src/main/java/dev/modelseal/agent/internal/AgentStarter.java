package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelGate;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the agent on the bootstrap class loader: reads and freezes the settings, opens the
 * decision log and pin folder, installs the gate handler, then the hooks. Any exception stops the
 * JVM before {@code main}, or, for a late attach, leaves the running JVM without the agent (see
 * {@code ModelSealAgent}).
 */
public final class AgentStarter {
  private AgentStarter() {}

  /**
   * Called once, reflectively, by {@code ModelSealAgent}.
   *
   * @throws Exception any startup failure; the caller prints it and halts the JVM
   */
  public static void start(Instrumentation inst, String args, boolean lateAttach, File jar) throws Exception {
    // Loaded before a second thread runs: under contention the JDK's concurrent maps reach for
    // ThreadLocalRandom, so another agent's transformer (a ConcurrentHashMap contended by the warm-up
    // thread) could otherwise need it while this thread is first loading it: a ClassCircularityError.
    java.util.concurrent.ThreadLocalRandom.current();
    // The JCA providers need no settings: they load at once, on the other core, while this thread
    // reads the settings. JDK code only: no class of the agent's that a transform could need.
    Thread early = daemon("modelseal-warmup-early", new Runnable() {
      @Override
      public void run() {
        loadSignatureProviders();
      }
    });
    AgentJar agentJar = new AgentJar(jar);
    Map<String, String> properties = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      properties.put(name, System.getProperty(name));
    }
    AgentSettings settings;
    try {
      settings = AgentSettings.load(args, properties, System.getenv(), agentJar);
    } catch (SettingsException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (lateAttach && settings.mode() == AgentSettings.Mode.ENFORCE) {
      throw new IllegalStateException("late attach refused in enforce mode: models loaded before the attach were"
          + " not verified; start the JVM with -javaagent instead");
    }
    FdNumbers.enable(inst); // in-place pins read their descriptor numbers (opens two java.base packages on first use)
    DecisionLog log = DecisionLog.open(settings.auditLog(), settings.mode());
    ModelChecker checker = new ModelChecker(settings, Pinner.create(settings.pinDir()));
    try {
      ModelGate.install(new Gate(settings, log, checker));
    } catch (IllegalStateException e) {
      log.close();
      throw new IllegalStateException("the ModelSeal agent is already running in this JVM", e);
    }
    SealedReads.install(settings, log, checker, jar); // before the JDK's opens are rewritten
    new Installer(settings, log).install(inst);
    if (settings.mode() == AgentSettings.Mode.AUDIT) {
      System.err.println("modelseal: *** AUDIT MODE: model signatures are checked and logged but NOT enforced;"
          + " unsigned or tampered models WILL load ***");
    }
    if (settings.pinMode() == PinMode.IN_PLACE) {
      System.err.println("modelseal: *** PIN=IN-PLACE FORCED: models are verified and loaded in place even on storage"
          + " that does not qualify; whoever can write that storage can change a model after it was verified"
          + " (decision lines say pin \"" + PinMode.IN_PLACE_FORCED + "\") ***");
    }
    daemon("modelseal-warmup", new Runnable() {
      @Override
      public void run() {
        try {
          early.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        checker.warmUp(); // signature check and pin folder: what the first model load needs most
        if (settings.pinMode() == PinMode.AUTO || settings.pinMode() == PinMode.IN_PLACE) {
          FdNumbers.warmUp(); // the in-place test of the first model reads descriptor numbers
        }
        HookWeaver.warmUp(agentJar);
        log.event("agent-started", settings.describe());
        checker.warmUpHashing();
      }
    });
  }

  /**
   * Loads the JDK's EC signature provider (a cold JCA lookup walks the provider modules and SunEC
   * builds its curve table, a large share of a cold start). No {@code KeyFactory}: keys are decoded
   * without one.
   */
  private static void loadSignatureProviders() {
    try {
      java.security.Signature.getInstance("NONEwithECDSA");
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      // warm-up only; real verifications report their own errors
    }
  }

  private static Thread daemon(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }
}
