package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.modelseal.testkit.ForkedJvm;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A runtime version whose required entry point moved cannot be guarded, and the agent fails closed: here ONNX
 * Runtime's real {@code OrtEnvironment} with {@code createSession} renamed (generated from the class on the
 * class path, placed ahead of it). In enforce mode the JVM stops as that class loads, before any model can
 * reach it, with one {@code modelseal: fatal:} line; in audit mode the agent says so and the class loads.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class UnsupportedRuntimeVersionIT {
  private static final String ENVIRONMENT = "ai.onnxruntime.OrtEnvironment";
  private static final String FAILURE = "could not guard ai.onnxruntime.OrtEnvironment: no method createSession("
      + "Ljava/lang/String;Lai/onnxruntime/OrtAllocator;...) in ai.onnxruntime.OrtEnvironment: unsupported "
      + "runtime version";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"enforce", "audit"})
  void load_ortEnvironmentWithoutCreateSession_failsClosed(String mode) throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path moved = movedEnvironment(tmp.resolve("moved"));

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.LoadClassOnly", ENVIRONMENT)
        .classpath(moved + File.pathSeparator + Fixtures.childClasspath())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, Files.createDirectories(tmp.resolve("models")), mode,
            tmp.resolve("decisions.jsonl"))).run();

    if (mode.equals("enforce")) {
      assertEquals(1, r.exitCode(), r::toString);
      assertEquals("LOADING" + Fixtures.NL, r.stdout(), r::toString);
      assertEquals(List.of("modelseal: fatal: " + FAILURE
          + "; stopping the JVM rather than loading models unverified"),
          Fixtures.linesStarting(r.stderr(), "modelseal: fatal: "), r::toString);
    } else {
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("LOADING" + Fixtures.NL + "LOADED " + ENVIRONMENT + Fixtures.NL, r.stdout(), r::toString);
      assertEquals(List.of("modelseal: AUDIT: " + FAILURE),
          Fixtures.linesStarting(r.stderr(), "modelseal: AUDIT: could"), r::toString);
    }
  }

  /** A class folder holding the real OrtEnvironment with every createSession renamed; returns the folder. */
  private static Path movedEnvironment(Path folder) throws Exception {
    byte[] original;
    try (InputStream in = UnsupportedRuntimeVersionIT.class.getClassLoader()
        .getResourceAsStream("ai/onnxruntime/OrtEnvironment.class")) {
      assertNotNull(in, "ONNX Runtime is not on the test class path");
      original = in.readAllBytes();
    }
    ClassReader reader = new ClassReader(original);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
        return super.visitMethod(access, name.equals("createSession") ? "createSessionMoved" : name, desc, signature,
            exceptions);
      }
    }, 0);
    Path file = folder.resolve("ai/onnxruntime/OrtEnvironment.class");
    Files.createDirectories(file.getParent());
    Files.write(file, writer.toByteArray());
    return folder;
  }
}
