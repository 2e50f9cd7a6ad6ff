package dev.modelseal.agent.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of guarded runtimes ({@link #ALL}: one line per {@link RuntimeHooks} file), and the
 * name tables derived from it once: the package prefixes in scope (internal and binary names), the
 * exact type names, and the simple names of supertypes whose implementations are guarded.
 *
 * <p>{@link #inScope} and {@link #mayBeGuarded} run for every class the JVM loads, so they allocate
 * nothing and iterate no collection: plain loops over the precomputed arrays.
 *
 * <p>The constructor refuses, with {@link IllegalStateException} (at class initialisation for {@link
 * #ALL}, so in {@code premain}): a prefix that is not an internal package name ending in {@code /}, a
 * hooked or excluded type outside its runtime's prefixes (the transformer would never see it), and an
 * exact type hooked by two runtimes.
 */
final class Runtimes {
  /** Every runtime the agent guards. Adding a runtime is one hook file and one entry here. */
  static final Runtimes ALL = new Runtimes(List.of(new OrtHooks(), new DjlHooks(), new PyTorchHooks(),
      new TokenizersHooks(), new XGBoostHooks(), new LightGbmHooks(), new LlamaCppHooks(),
      new JlamaHooks()));

  /**
   * {@link #ALL} and the JDK's file opens ({@link JdkReadHooks}): the registry when sealed model roots are on.
   * Built on first use, so an agent without sealed roots never loads those hook classes at start-up.
   */
  static Runtimes withSealedRoots() {
    return SealedRootsHolder.RUNTIMES;
  }

  private static final class SealedRootsHolder {
    static final Runtimes RUNTIMES = ALL.with(new JdkReadHooks());
  }

  private final List<RuntimeHooks> runtimes;
  private final String[] scopePrefixes;
  private final String[] scopeBinaryPrefixes;
  private final String[] exactTypeNames;
  private final String[] supertypeSimpleNames;
  private final TypeHooks[] types;

  /** Builds the registry of {@code runtimes}; tests build their own. */
  Runtimes(List<RuntimeHooks> runtimes) {
    this.runtimes = List.copyOf(runtimes);
    List<String> prefixes = new ArrayList<>();
    List<String> exact = new ArrayList<>();
    List<String> supertypeNames = new ArrayList<>();
    List<TypeHooks> all = new ArrayList<>();
    for (RuntimeHooks r : this.runtimes) {
      for (String p : r.packagePrefixes()) {
        if (p.isEmpty() || !p.endsWith("/") || p.startsWith("/") || p.indexOf('.') >= 0) {
          throw new IllegalStateException(r.name() + ": not an internal package prefix ending in '/': " + p);
        }
        prefixes.add(p);
      }
      for (TypeHooks t : r.types()) {
        requireUnder(r, t.typeName());
        for (String e : t.excluded()) {
          requireUnder(r, e);
        }
        if (t.selectsSubtypes()) {
          addOnce(supertypeNames, t.supertypeSimpleName());
        } else if (exact.contains(t.typeName())) {
          throw new IllegalStateException(r.name() + ": " + t.typeName() + " is hooked by another runtime too");
        } else {
          exact.add(t.typeName());
        }
        all.add(t);
      }
    }
    this.scopePrefixes = outermost(prefixes);
    this.scopeBinaryPrefixes = new String[scopePrefixes.length];
    for (int i = 0; i < scopePrefixes.length; i++) {
      scopeBinaryPrefixes[i] = scopePrefixes[i].replace('/', '.');
    }
    this.exactTypeNames = exact.toArray(new String[0]);
    this.supertypeSimpleNames = supertypeNames.toArray(new String[0]);
    this.types = all.toArray(new TypeHooks[0]);
  }

  /** This registry and {@code more}. */
  Runtimes with(RuntimeHooks more) {
    List<RuntimeHooks> all = new ArrayList<>(runtimes);
    all.add(more);
    return new Runtimes(all);
  }

  /** The registered runtimes, in registration order. */
  List<RuntimeHooks> runtimes() {
    return runtimes;
  }

  /** Returns true if the internal class name is in a guarded runtime's package space. */
  boolean inScope(String internalName) {
    return startsWithAny(internalName, scopePrefixes);
  }

  /** {@link #inScope} for a binary name ({@code ai.djl.Model}), as {@link Class#getName} gives it. */
  boolean inScopeBinaryName(String binaryName) {
    return startsWithAny(binaryName, scopeBinaryPrefixes);
  }

  /** Returns true if {@code name} starts with one of {@code prefixes}: a plain loop, no allocation. */
  static boolean startsWithAny(String name, String[] prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Cheap name test before any parsing: an exact hook type, or a class whose simple name ends with
   * the simple name of a guarded supertype ({@code ...Model}, {@code ...Repository}), which is how DJL
   * names every implementation. Everything else in scope is left untouched without being parsed.
   */
  boolean mayBeGuarded(String internalName) {
    for (String exact : exactTypeNames) {
      if (internalName.equals(exact)) {
        return true;
      }
    }
    for (String simple : supertypeSimpleNames) {
      if (internalName.endsWith(simple)) {
        return true;
      }
    }
    return false;
  }

  /** The package prefixes in scope, outermost only (a copy): also those {@link TypeHierarchy} follows. */
  String[] scopePrefixes() {
    return scopePrefixes.clone();
  }

  /** Every runtime's type hooks, in registration order. The array is shared: callers never modify it. */
  TypeHooks[] types() {
    return types;
  }

  private static void requireUnder(RuntimeHooks r, String internalName) {
    for (String p : r.packagePrefixes()) {
      if (internalName.startsWith(p)) {
        return;
      }
    }
    throw new IllegalStateException(r.name() + ": " + internalName + " is outside its packages "
        + r.packagePrefixes());
  }

  private static void addOnce(List<String> names, String name) {
    if (!names.contains(name)) {
      names.add(name);
    }
  }

  /** The prefixes no other prefix contains ({@code ai/djl/pytorch/} is within {@code ai/djl/}), deduplicated. */
  private static String[] outermost(List<String> prefixes) {
    List<String> result = new ArrayList<>();
    for (String p : prefixes) {
      boolean covered = false;
      for (String q : prefixes) {
        if (p.startsWith(q) && (p.length() > q.length() || result.contains(q))) {
          covered = true;
        }
      }
      if (!covered) {
        result.add(p);
      }
    }
    return result.toArray(new String[0]);
  }
}
