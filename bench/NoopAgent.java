import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;

/**
 * The floor for bench/agent.sh: a {@code -javaagent} whose premain registers a transformer that
 * changes nothing. What any agent costs the JVM's start-up, before ModelSeal does anything.
 */
public final class NoopAgent {
  private NoopAgent() {}

  public static void premain(String args, Instrumentation inst) {
    inst.addTransformer(new ClassFileTransformer() {}, true); // the default transform returns null
  }
}
