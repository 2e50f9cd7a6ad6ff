package dev.modelseal.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation (its internals, core, Byte Buddy, BouncyCastle) from the
 * {@code inst/} folder of the agent jar, where classes are stored as {@code .classdata} so that no
 * application class loader can define or see them. Its parent is the platform loader, so it sees the
 * JDK and the bootstrap bridge but never the application's classes or libraries.
 */
final class AgentClassLoader extends ClassLoader {
  private static final String PREFIX = "inst/";
  private static final long MAX_CLASS_BYTES = 16L << 20;

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;

  AgentClassLoader(File jarPath, ClassLoader parent) throws IOException {
    super("modelseal-agent", parent);
    this.jar = new JarFile(jarPath, false);
    this.jarUrl = "jar:" + jarPath.toURI() + "!/";
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry e = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
    if (e == null) {
      throw new ClassNotFoundException(name);
    }
    try (InputStream in = jar.getInputStream(e)) {
      // The jar stores these entries uncompressed with their sizes, so one read of the exact size
      // (no inflater, no growing buffer: class loading is most of the agent's start-up).
      long size = e.getSize();
      byte[] b = size >= 0 && size <= MAX_CLASS_BYTES ? in.readNBytes((int) size) : in.readAllBytes();
      int dot = name.lastIndexOf('.');
      if (dot > 0) {
        String pkg = name.substring(0, dot);
        if (getDefinedPackage(pkg) == null) {
          try {
            definePackage(pkg, null, null, null, null, null, null, null);
          } catch (IllegalArgumentException raced) {
            // defined concurrently
          }
        }
      }
      return defineClass(name, b, 0, b.length);
    } catch (IOException ex) {
      throw new ClassNotFoundException(name, ex);
    }
  }

  @Override
  protected URL findResource(String name) {
    String entry = name.endsWith(".class")
        ? PREFIX + name.substring(0, name.length() - ".class".length()) + ".classdata"
        : PREFIX + name;
    if (jar.getJarEntry(entry) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entry);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL u = findResource(name);
    return u == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(u));
  }
}
