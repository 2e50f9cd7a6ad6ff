package dev.modelseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Answers "is this class a subtype of that runtime type?" at class-load time, from class files only
 * (never by loading classes): the super class and interfaces are read from the class bytes and their
 * own class files are found through the defining loader's resources (the system loader's for the
 * bootstrap loader). Only types under the followed prefixes (the guarded runtimes' packages, {@link
 * Runtimes#scopePrefixes()}) are followed; anything else (the JDK, other libraries) cannot implement
 * a runtime type's contract for us and is treated as unrelated, without its class file being read.
 * A supertype whose class file the loader does not have is unrelated too. Results are cached per
 * loader (weakly: a loader's entries go with it).
 *
 * <p>Failure modes: {@link IOException} if a class file cannot be read or a hierarchy is deeper
 * than {@value #MAX_DEPTH} levels (a cycle, or a made-up class); the transformer reports it and fails
 * closed. A malformed class file throws what {@link ClassReader} throws, reported the same way.
 */
final class TypeHierarchy {
  static final int MAX_DEPTH = 32;

  private final String[] followedPrefixes;
  private final Map<ClassLoader, Map<String, Boolean>> cache = new WeakHashMap<>();

  /** Follows supertypes under {@code followedPrefixes} (internal names ending in {@code /}). */
  TypeHierarchy(String[] followedPrefixes) {
    this.followedPrefixes = followedPrefixes.clone();
  }

  /** Returns true if the class (given by its bytes) is, extends or implements {@code target}. */
  boolean isSubtype(ClassLoader loader, ClassReader reader, String target) throws IOException {
    return check(loader, reader.getClassName(), reader.getSuperName(), reader.getInterfaces(), target, 0);
  }

  private boolean isSubtype(ClassLoader loader, String name, String target, int depth) throws IOException {
    if (name == null || !Runtimes.startsWithAny(name, followedPrefixes)) {
      return false;
    }
    if (name.equals(target)) {
      return true;
    }
    synchronized (cache) {
      Boolean known = forLoader(loader).get(name + "->" + target);
      if (known != null) {
        return known;
      }
    }
    ClassReader reader;
    try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(name + ".class")
        : loader.getResourceAsStream(name + ".class")) {
      if (in == null) {
        return false;
      }
      reader = new ClassReader(in.readNBytes(8 << 20));
    }
    boolean result = check(loader, name, reader.getSuperName(), reader.getInterfaces(), target, depth + 1);
    synchronized (cache) {
      forLoader(loader).put(name + "->" + target, result);
    }
    return result;
  }

  /** The cache of one loader; call with the cache's lock held. No lambda: none on the start path. */
  private Map<String, Boolean> forLoader(ClassLoader loader) {
    Map<String, Boolean> m = cache.get(loader);
    if (m == null) {
      m = new HashMap<>();
      cache.put(loader, m);
    }
    return m;
  }

  private boolean check(ClassLoader loader, String name, String superName, String[] interfaces, String target,
      int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("type hierarchy of " + name + " is deeper than " + MAX_DEPTH);
    }
    if (name.equals(target)) {
      return true;
    }
    for (String i : interfaces) {
      if (isSubtype(loader, i, target, depth)) {
        return true;
      }
    }
    return isSubtype(loader, superName, target, depth);
  }
}
