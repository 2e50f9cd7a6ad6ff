package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Scenario 8: the packaged agent jar holds only the entry classes, the bootstrap bridge and inst/. */
class AgentJarContentIT {
  @Test
  void agentJar_entries_onlyEntryClassesBootstrapAndIsolatedClassdata() throws Exception {
    List<String> unexpected = new ArrayList<>();
    int classdata = 0;
    int bootstrap = 0;
    try (JarFile jar = new JarFile(Fixtures.AGENT_JAR.toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        String n = e.getName();
        if (e.isDirectory()) {
          continue;
        }
        if (n.startsWith("inst/")) {
          if (n.endsWith(".classdata")) {
            classdata++;
          } else if (n.endsWith(".class") || n.endsWith("module-info.class") || n.startsWith("inst/META-INF/")) {
            unexpected.add(n);
          }
        } else if (n.startsWith("dev/modelseal/bootstrap/") && n.endsWith(".class")) {
          bootstrap++;
        } else if (!List.of("META-INF/MANIFEST.MF", "dev/modelseal/agent/ModelSealAgent.class",
            "dev/modelseal/agent/AgentClassLoader.class").contains(n)) {
          unexpected.add(n);
        }
        String upper = n.toUpperCase(java.util.Locale.ROOT);
        if (upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC")
            || n.endsWith("module-info.class") || n.endsWith("module-info.classdata")) {
          unexpected.add(n);
        }
      }
      assertEquals(List.of(), unexpected);
      assertTrue(classdata > 1000, "inst/ classdata entries: " + classdata);
      assertTrue(bootstrap >= 5, "bootstrap classes: " + bootstrap);
      for (String required : List.of("dev/modelseal/agent/ModelSealAgent.class",
          "dev/modelseal/agent/AgentClassLoader.class", "dev/modelseal/bootstrap/ModelGate.class",
          "inst/dev/modelseal/agent/internal/AgentStarter.classdata", "inst/dev/modelseal/core/BlobVerifier.classdata",
          "inst/net/bytebuddy/jar/asm/ClassReader.classdata")) {
        assertTrue(jar.getJarEntry(required) != null, required);
      }
      // Only Byte Buddy's bundled ASM is packaged: its AgentBuilder machinery made start-up many times slower.
      assertEquals(null, jar.getJarEntry("inst/net/bytebuddy/ByteBuddy.classdata"));
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("dev.modelseal.agent.ModelSealAgent", main.getValue("Premain-Class"));
      assertEquals("dev.modelseal.agent.ModelSealAgent", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertEquals(null, main.getValue("Boot-Class-Path"));
      assertEquals(null, main.getValue("Class-Path"));
    }
  }
}
