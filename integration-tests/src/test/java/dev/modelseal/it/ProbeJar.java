package dev.modelseal.it;

import dev.modelseal.it.probe.ProbeAgent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packages the test-only probe agent ({@code dev.modelseal.it.probe}) into {@code target/probe-agent.jar} at test
 * time: manifest {@code Premain-Class} plus a {@code Class-Path} with the absolute file URL of the test classpath's
 * Byte Buddy, which the JVM adds to the system class path together with the agent jar.
 */
final class ProbeJar {
  private static Path jar;

  private ProbeJar() {}

  static synchronized Path get() {
    if (jar == null) {
      jar = build(Fixtures.BUILD_DIR.resolve("probe-agent.jar"));
    }
    return jar;
  }

  /** {@code -javaagent:<probe jar>}. */
  static String agentArg() {
    return "-javaagent:" + get();
  }

  private static Path build(Path out) {
    try {
      Path classes = Path.of(ProbeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path pkg = classes.resolve("dev/modelseal/it/probe");
      Manifest mf = new Manifest();
      Attributes a = mf.getMainAttributes();
      a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
      a.putValue("Premain-Class", ProbeAgent.class.getName());
      a.putValue("Can-Retransform-Classes", "true");
      a.putValue("Class-Path", Fixtures.testByteBuddyJar().toUri().toString());
      Files.createDirectories(out.getParent());
      Path tmp = Files.createTempFile(out.getParent(), "probe-agent", ".jar");
      try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(os, mf);
          Stream<Path> files = Files.list(pkg)) {
        List<Path> classFiles = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        for (Path f : classFiles) {
          jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          jos.write(Files.readAllBytes(f));
          jos.closeEntry();
        }
      }
      return Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
