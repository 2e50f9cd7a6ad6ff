package dev.modelseal.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared fixtures: the packaged agent, the children's JDKs and classpath, signing, models, the decision log. */
final class Fixtures {
  static final String NL = System.lineSeparator();
  static final String PREDICTION = "prediction: [2.0, 3.0, 4.0, 5.0]";
  static final String PREDICTION_PLUS_TWO = "prediction: [3.0, 4.0, 5.0, 6.0]";
  static final String REJECTED = "rejected: dev.modelseal.bootstrap.ModelVerificationException model rejected (";
  static final String MAIN_STARTED = "MAIN-STARTED";

  static final Path BUILD_DIR = Path.of(System.getProperty("modelseal.build.dir", "target")).toAbsolutePath();
  static final Path AGENT_JAR = Path.of(System.getProperty("modelseal.agent.jar",
      "../agent/target/modelseal-agent.jar")).toAbsolutePath().normalize();
  static final Path DJL_CACHE = Path.of(System.getProperty("modelseal.djl.cache",
      BUILD_DIR.resolve("djl-cache").toString())).toAbsolutePath();
  static final Path CHILD_TMP = Path.of(System.getProperty("modelseal.child.tmp",
      BUILD_DIR.resolve("child-tmp").toString())).toAbsolutePath();

  /** The option names of the agent's environment variables, removed from every child's environment. */
  private static final List<String> MODELSEAL_ENV = List.of("MODELSEAL_KEY", "MODELSEAL_CONFIG", "MODELSEAL_MODE",
      "MODELSEAL_AUDIT_LOG", "MODELSEAL_MODELS", "MODELSEAL_SEALED_ROOTS");

  private Fixtures() {}

  // ---------------------------------------------------------------- JDKs

  /** The JDKs every child-JVM scenario runs on: "17" is this JVM's java.home, "25" the Temurin 25 install. */
  static final String[] JDKS = {"17", "25"};

  /** Returns the java.home for a JDK label; skips the test (assumption) if that JDK is not installed. */
  static Path javaHome(String jdk) {
    Path home = switch (jdk) {
      case "17" -> Path.of(System.getProperty("java.home"));
      case "25" -> Path.of(System.getProperty("modelseal.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
      default -> throw new IllegalArgumentException(jdk);
    };
    assumeTrue(Files.isExecutable(home.resolve("bin/java")), "JDK " + jdk + " not installed at " + home);
    return home;
  }

  // ---------------------------------------------------------------- children

  /**
   * The children's classpath: this JVM's test classpath without the agent, its bootstrap bridge, core,
   * BouncyCastle and Byte Buddy, i.e. the examples' runtime classpath plus these tests' own classes (child mains,
   * probe). The agent must reach the child only as the packaged -javaagent jar.
   */
  static String childClasspath(String... extra) {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      String name = e.substring(e.lastIndexOf('/') + 1);
      if (e.contains("/agent/target/") || e.contains("/agent-bootstrap/") || e.contains("/core/target/")
          || name.startsWith("modelseal-agent") || name.startsWith("modelseal-core")
          || name.startsWith("bcprov") || name.startsWith("byte-buddy")) {
        continue;
      }
      entries.add(entry);
    }
    entries.addAll(Arrays.asList(extra));
    return String.join(File.pathSeparator, entries);
  }

  /** The Byte Buddy jar on this JVM's test classpath (the probe agent's), never the application's. */
  static Path testByteBuddyJar() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> p.getFileName().toString().startsWith("byte-buddy-"))
        .findFirst().orElseThrow(() -> new IllegalStateException("byte-buddy not on the test classpath"));
  }

  /** A child running {@code main} on {@code jdk}, offline, with a target-local DJL cache and temp directory. */
  static ForkedJvm child(String jdk, String main, String... args) {
    try {
      Files.createDirectories(CHILD_TMP);
      Files.createDirectories(DJL_CACHE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ForkedJvm jvm = ForkedJvm.main(main)
        .javaHome(javaHome(jdk))
        .classpath(childClasspath())
        .jvmArgs("-Dai.djl.offline=true", "-Djava.io.tmpdir=" + CHILD_TMP)
        .env("DJL_OFFLINE", "true")
        .env("OPT_OUT_TRACKING", "true")
        .env("DJL_CACHE_DIR", DJL_CACHE.toString())
        .args(args)
        .timeout(Duration.ofSeconds(120));
    MODELSEAL_ENV.forEach(v -> jvm.env(v, null));
    return jvm;
  }

  /** A child running the examples' LoadModel MODE MODEL. */
  static ForkedJvm loadModel(String jdk, String mode, Path model) {
    return child(jdk, "dev.modelseal.examples.LoadModel", mode, model.toString());
  }

  /** {@code -javaagent:<packaged jar>=<args>}. */
  static String agent(String args) {
    return "-javaagent:" + AGENT_JAR + (args == null ? "" : "=" + args);
  }

  /** The common agent arguments: one trusted key, the model root, a mode and the decision log. */
  static String agent(Path key, Path modelsRoot, String mode, Path auditLog) {
    return agent("key=" + key + ",models=" + modelsRoot + ",mode=" + mode + ",audit-log=" + auditLog);
  }

  /**
   * As above, for a test whose subject is the hook of {@code loadMode}. Where the child reads the model file itself
   * and hands the runtime its bytes (a byte[], buffer, stream or model string: {@link #readsModelItself}), sealed
   * roots are turned off: with them, the default, the child's own read is checked first and the runtime's hook only
   * ever sees verified bytes. {@code SealedRootsIT} covers those loads with sealing.
   */
  static String agent(Path key, Path modelsRoot, String mode, Path auditLog, String loadMode) {
    return agent(key, modelsRoot, mode, auditLog) + (readsModelItself(loadMode) ? ",sealed-roots=false" : "");
  }

  /** True for a load mode in which the child reads the model file itself and hands the runtime its contents. */
  static boolean readsModelItself(String loadMode) {
    return loadMode.contains("stream") || loadMode.contains("-bytes") || loadMode.contains("-buffer")
        || loadMode.endsWith("-string");
  }

  /** Lines of a child's stderr starting {@code prefix}. */
  static List<String> linesStarting(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  // ---------------------------------------------------------------- signing

  /** A cosign-style key pair whose public key is written to {@code <dir>/<name>.pub}. */
  static final class Signer {
    final KeyPair pair;
    final Path publicKeyFile;
    final BlobSigner signer;

    Signer(Path dir, String name) {
      try {
        this.pair = CosignKeyWriter.generateKeyPair();
        this.publicKeyFile = Files.writeString(dir.resolve(name + ".pub"),
            CosignKeyWriter.publicKeyPem(pair.getPublic()));
        this.signer = BlobSigner.create(pair.getPrivate());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    String keyId() {
      return KeyId.hex(pair.getPublic());
    }

    SignatureMaterial signature(Path file) {
      try {
        return signer.sign(file, ProgressListener.NONE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes {@code <file>.sig} (base64 detached signature). */
    Path sig(Path file) {
      return write(sidecar(file, ".sig"), signature(file).base64());
    }

    /** Writes {@code <file>.sigstore.json}. */
    Path bundle(Path file) {
      return write(sidecar(file, ".sigstore.json"), signature(file).toSigstoreBundleJson());
    }

    /** Signs every regular file (not sidecars) under {@code dir} with a {@code .sig}. */
    Path signTree(Path dir) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String n = f.getFileName().toString();
          if (!n.endsWith(".sig") && !n.endsWith(".sigstore.json")) {
            sig(f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return dir;
    }
  }

  static Path sidecar(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  static Path write(Path file, String text) {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- models

  /** y = x + 2: the tiny ONNX model with its bias constant B = [1,1,1,1] rewritten to [2,2,2,2] (same length). */
  static byte[] onnxPlusTwo() {
    return plusTwo(TinyModels.onnx());
  }

  /** {@code model} (the tiny ONNX model, padded or not) with its bias made 2: y = x + 2, same length. */
  static byte[] plusTwo(byte[] original) {
    byte[] model = original.clone();
    byte[] one = floats(1f);
    byte[] two = floats(2f);
    int at = indexOf(model, one);
    if (at < 0 || indexOf(Arrays.copyOfRange(model, at + 1, model.length), one) >= 0) {
      throw new IllegalStateException("bias constant not found exactly once");
    }
    System.arraycopy(two, 0, model, at, two.length);
    return model;
  }

  /**
   * The tiny ONNX model with one byte changed: still a valid model (the first bias float goes from 1.0 to
   * 1.0000001), so only the signature can tell.
   */
  static byte[] onnxTampered() {
    byte[] model = TinyModels.onnx();
    int at = indexOf(model, floats(1f));
    model[at] ^= 0x01;
    return model;
  }

  private static byte[] floats(float v) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---------------------------------------------------------------- decision log

  /** Every JSON line of the decision log, parsed; an absent file is an empty log. */
  static List<Map<String, Object>> decisionLog(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(FlatJson::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The decision lines (those with a "decision" field), without the events. */
  static List<Map<String, Object>> decisions(Path file) {
    return decisionLog(file).stream().filter(m -> m.containsKey("decision")).toList();
  }
}
