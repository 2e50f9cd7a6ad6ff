package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.TrustedRoot;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarTest {
  private static final String ROOT_ENTRY = "dev/modelseal/core/" + TrustedRoot.SHIPPED_RESOURCE;

  @TempDir
  Path tmp;

  private Path jar(Map<String, byte[]> entries) throws IOException {
    Path jar = tmp.resolve("agent.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void resource_entryInTheNeighboursPackage_itsBytes() throws Exception {
    byte[] bytes = "hello".getBytes(StandardCharsets.US_ASCII);
    AgentJar jar = new AgentJar(jar(Map.of("dev/modelseal/agent/internal/x.txt", bytes)).toFile());

    assertArrayEquals(bytes, jar.resource(AgentJarTest.class, "x.txt", 5));
  }

  @Test
  void resource_noSuchEntry_null() throws Exception {
    AgentJar jar = new AgentJar(jar(Map.of("other/x.txt", new byte[1])).toFile());

    assertNull(jar.resource(AgentJarTest.class, "x.txt", 5));
  }

  @Test
  void resource_largerThanTheBound_refused() throws Exception {
    Path file = jar(Map.of("dev/modelseal/agent/internal/x.txt", new byte[6]));
    AgentJar jar = new AgentJar(file.toFile());

    IOException e = assertThrows(IOException.class, () -> jar.resource(AgentJarTest.class, "x.txt", 5));
    assertEquals("dev/modelseal/agent/internal/x.txt in " + file + " is larger than 5 bytes", e.getMessage());
  }

  @Test
  void trustedRoot_packagedAgent_readsTheShippedRootFromItsJar() throws Exception {
    byte[] shipped;
    try (var in = TrustedRoot.class.getResourceAsStream(TrustedRoot.SHIPPED_RESOURCE)) {
      shipped = in.readAllBytes();
    }
    AgentJar jar = new AgentJar(jar(Map.of(ROOT_ENTRY, shipped)).toFile());

    assertNotNull(TrustedIdentity.trustedRoot(null, jar)); // the entry beside TrustedRoot's package, parsed
  }

  @Test
  void trustedRoot_jarWithoutTheShippedRoot_refusedNamingTheJar() throws Exception {
    Path file = jar(Map.of("other/x.txt", new byte[1]));

    SettingsException e = assertThrows(SettingsException.class,
        () -> TrustedIdentity.trustedRoot(null, new AgentJar(file.toFile())));
    assertEquals("the shipped trusted root trusted_root.production.json is missing from " + file, e.getMessage());
  }

  @Test
  void trustedRoot_jarWithABrokenShippedRoot_refused() throws Exception {
    Path file = jar(Map.of(ROOT_ENTRY, "{}".getBytes(StandardCharsets.US_ASCII)));

    String parseError = assertThrows(VerificationException.class,
        () -> TrustedRoot.parse("{}".getBytes(StandardCharsets.US_ASCII))).getMessage();

    SettingsException e = assertThrows(SettingsException.class,
        () -> TrustedIdentity.trustedRoot(null, new AgentJar(file.toFile())));
    assertEquals("the shipped trusted root does not load: " + parseError, e.getMessage());
  }
}
