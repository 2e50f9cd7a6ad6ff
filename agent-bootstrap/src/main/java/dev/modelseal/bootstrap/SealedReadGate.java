package dev.modelseal.bootstrap;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Sealed model roots, bridge side: the state the hooked JDK opens consult ({@link ModelGate#sealedOpen},
 * {@link ModelGate#sealedOpenMode}, {@link ModelGate#sealedChannel}). The roots are frozen once, before
 * any JDK class is rewritten; a path outside them costs one lexical prefix test and never reaches the
 * agent, so JDK start-up and the agent's own class loading never call into it.
 *
 * <p>A per-thread guard keeps the agent's own reads under a root (originals and sidecars it verifies)
 * from being checked again: it is set while the handler runs on the calling thread, and by the agent's
 * helper threads through {@link #enterOwnRead}, which needs the token the agent installed. It is not
 * inherited by threads started meanwhile.
 */
public final class SealedReadGate {
  private static final ThreadLocal<Object> OWN_READ = new ThreadLocal<Object>();
  /**
   * The fresh path a checked {@code newByteChannel} continues with: on JDK 21 and later it hands it straight to
   * the provider's {@code newFileChannel}, which then is the same open, already decided (compared by identity:
   * no other code ever holds that object).
   */
  private static final ThreadLocal<Path> DELEGATED = new ThreadLocal<Path>();
  private static volatile SealedRoots roots;
  private static volatile boolean enforce = true;
  private static volatile SealedReadHandler handler;
  private static volatile Object token;

  private SealedReadGate() {}

  /**
   * Freezes the roots. Only the first call succeeds.
   *
   * @param sealed the roots
   * @param enforceMode true to refuse reads under a root while no handler is installed
   * @throws IllegalStateException if roots are already frozen
   */
  public static synchronized void seal(SealedRoots sealed, boolean enforceMode) {
    if (roots != null) {
      throw new IllegalStateException("ModelSeal sealed roots are already set");
    }
    enforce = enforceMode;
    roots = sealed;
  }

  /**
   * Installs the handler and the token its helper threads use; only the first call succeeds.
   *
   * @throws IllegalStateException if a handler is already installed
   */
  public static synchronized void install(SealedReadHandler h, Object ownReadToken) {
    if (h == null || ownReadToken == null) {
      throw new NullPointerException("handler");
    }
    if (handler != null) {
      throw new IllegalStateException("ModelSeal sealed read handler is already installed");
    }
    token = ownReadToken;
    handler = h;
  }

  /**
   * Marks this thread as reading for the agent until {@link #exitOwnRead}; does nothing without the
   * installed token.
   *
   * @return whether the thread was already marked (pass it to {@link #exitOwnRead})
   */
  public static boolean enterOwnRead(Object ownReadToken) {
    Object t = token;
    if (t == null || t != ownReadToken) {
      return true;
    }
    boolean inside = OWN_READ.get() != null;
    OWN_READ.set(Boolean.TRUE);
    return inside;
  }

  /** Ends what {@link #enterOwnRead} began, unless the thread was already marked before it. */
  public static void exitOwnRead(boolean wasInside) {
    if (!wasInside) {
      OWN_READ.remove();
    }
  }

  /**
   * Checks a read-only open of {@code path}: returns the path to open instead, or null to open it
   * unchanged (outside every root, the agent's own read, or what the handler decided).
   */
  /**
   * {@link #check} for the NIO provider: returns the path to open. A {@code newByteChannel} open under a root
   * continues with a fresh path object, which its own delegation to {@code newFileChannel} is recognised by.
   */
  static Path checkChannel(String hook, Path path) throws IOException {
    SealedRoots r = roots;
    if (r == null || r.underRoot(path.toString()) == null) {
      return path;
    }
    if (DELEGATED.get() == path) {
      DELEGATED.remove();
      return path;
    }
    String replaced = check(hook, path.toString(), true);
    if (!hook.endsWith(".newByteChannel")) {
      return replaced == null ? path : Paths.get(replaced);
    }
    Path fresh = Paths.get(replaced == null ? path.toString() : replaced);
    DELEGATED.set(fresh);
    return fresh;
  }

  static String check(String hook, String path, boolean nio) throws IOException {
    SealedRoots r = roots;
    if (r == null) {
      return null;
    }
    String abs = r.underRoot(path);
    if (abs == null || OWN_READ.get() != null) {
      return null;
    }
    SealedReadHandler h = handler;
    if (h == null) {
      if (enforce) {
        throw new ModelVerificationException(RejectReason.GUARD_NOT_READY, abs,
            "the ModelSeal agent has not finished starting");
      }
      return null;
    }
    OWN_READ.set(Boolean.TRUE);
    try {
      return h.checkRead(hook, abs, nio);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      ModelVerificationException e = new ModelVerificationException(
          RejectReason.INTERNAL_ERROR, abs, "internal error: " + t.getClass().getName());
      e.initCause(t);
      throw e;
    } finally {
      OWN_READ.remove();
    }
  }
}
