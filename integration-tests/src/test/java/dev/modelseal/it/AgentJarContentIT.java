package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8: the packaged agent jar holds the entry class, the bootstrap bridge, the agent's internals, and its
 * dependencies relocated under {@code dev/modelseal/agent/shaded/}: the whole jar goes on the bootstrap search path,
 * so nothing in it may carry the name of a class an application could ship itself.
 */
class AgentJarContentIT {
  private static final String SHADED = "dev/modelseal/agent/shaded/";

  @Test
  void agentJar_entries_onlyEntryClassBridgeInternalsAndRelocatedDependencies() throws Exception {
    List<String> unexpected = new ArrayList<>();
    int shaded = 0;
    int bootstrap = 0;
    try (JarFile jar = new JarFile(Fixtures.AGENT_JAR.toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        String n = e.getName();
        if (e.isDirectory()) {
          continue;
        }
        if (n.startsWith(SHADED + "core/") || n.startsWith(SHADED + "asm/")
            || n.startsWith(SHADED + "bouncycastle/")) {
          shaded++;
        } else if (n.startsWith("dev/modelseal/bootstrap/") && n.endsWith(".class")) {
          bootstrap++;
        } else if (!(n.startsWith("dev/modelseal/agent/internal/") && n.endsWith(".class"))
            && !List.of("META-INF/MANIFEST.MF", "dev/modelseal/agent/ModelSealAgent.class").contains(n)) {
          unexpected.add(n);
        }
        String upper = n.toUpperCase(java.util.Locale.ROOT);
        if (upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC")
            || n.endsWith("module-info.class")) {
          unexpected.add(n);
        }
      }
      assertEquals(List.of(), unexpected);
      assertTrue(shaded > 1000, "relocated entries: " + shaded);
      assertTrue(bootstrap >= 5, "bootstrap classes: " + bootstrap);
      for (String required : List.of("dev/modelseal/agent/ModelSealAgent.class",
          "dev/modelseal/bootstrap/ModelGate.class", "dev/modelseal/agent/internal/AgentStarter.class",
          SHADED + "core/BlobVerifier.class", SHADED + "core/trusted_root.production.json",
          SHADED + "asm/ClassReader.class", SHADED + "bouncycastle/math/ec/rfc8032/Ed25519.class")) {
        assertTrue(jar.getJarEntry(required) != null, required);
      }
      // Only Byte Buddy's bundled ASM is packaged: its AgentBuilder machinery made start-up many times slower.
      assertEquals(List.of(), entriesStartingWith(jar, SHADED + "ByteBuddy"));
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("dev.modelseal.agent.ModelSealAgent", main.getValue("Premain-Class"));
      assertEquals("dev.modelseal.agent.ModelSealAgent", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertEquals(null, main.getValue("Boot-Class-Path"));
      assertEquals(null, main.getValue("Class-Path"));
    }
  }

  @Test
  void agentJar_classes_referToNoUnrelocatedDependency() throws Exception {
    List<String> leaks = new ArrayList<>();
    try (JarFile jar = new JarFile(Fixtures.AGENT_JAR.toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        if (!e.getName().endsWith(".class")) {
          continue;
        }
        // Internal names in the constant pool are plain modified UTF-8: an unrelocated type reference shows as is.
        String text = read(jar, e);
        for (String original : List.of("org/bouncycastle/", "net/bytebuddy/", "dev/modelseal/core/")) {
          if (text.contains(original)) {
            leaks.add(e.getName() + " -> " + original);
          }
        }
      }
    }
    assertEquals(List.of(), leaks);
  }

  private static List<String> entriesStartingWith(JarFile jar, String prefix) {
    List<String> found = new ArrayList<>();
    for (JarEntry e : Collections.list(jar.entries())) {
      if (e.getName().startsWith(prefix)) {
        found.add(e.getName());
      }
    }
    return found;
  }

  private static String read(JarFile jar, JarEntry e) throws IOException {
    try (InputStream in = jar.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
