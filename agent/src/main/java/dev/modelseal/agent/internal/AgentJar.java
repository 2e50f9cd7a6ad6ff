package dev.modelseal.agent.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The packaged agent's own jar, read directly. The agent's classes are bootstrap classes, whose
 * {@code getResourceAsStream} asks the system class loader: that searches the application's class path before the
 * agent jar, so a folder on it (one holding models, say) could put its own file in the place of the agent's. What the
 * agent trusts (the shipped Sigstore root) it therefore reads from this jar only.
 */
final class AgentJar {
  private final File file;

  /** The jar at {@code file} (the one the JVM started the agent from). */
  AgentJar(File file) {
    this.file = file;
  }

  /**
   * The entry {@code name} in the package of {@code neighbour} (the relocated package, in the packaged agent).
   *
   * @return its bytes, or null if the jar has no such entry
   * @throws IOException if the jar cannot be read, or the entry is larger than {@code maxBytes}
   */
  byte[] resource(Class<?> neighbour, String name, int maxBytes) throws IOException {
    String pkg = neighbour.getPackageName().replace('.', '/');
    String entryName = pkg.isEmpty() ? name : pkg + "/" + name;
    try (JarFile jar = new JarFile(file, false)) {
      ZipEntry entry = jar.getEntry(entryName);
      if (entry == null) {
        return null;
      }
      try (InputStream in = jar.getInputStream(entry)) {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
          throw new IOException(entryName + " in " + file + " is larger than " + maxBytes + " bytes");
        }
        return bytes;
      }
    }
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
