package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Weaves every class of the supported runtime versions (the real jars on the test class path, see
 * agent/pom.xml) through {@link HookTransformer} with the agent's registry, and asserts exactly which
 * methods of which classes get a check; then that a real class whose required entry point moved is
 * reported as failed (the run-time rule: {@link Installer} halts the JVM in enforce mode).
 */
class SupportedRuntimesTest {
  private static final String ORT_SESSION = "Lai/onnxruntime/OrtSession;";
  private static final String ORT_TAIL = "Lai/onnxruntime/OrtAllocator;Lai/onnxruntime/OrtSession$SessionOptions;)";
  private static final String LORA_TAIL = "Lai/onnxruntime/OrtAllocator;)Lai/onnxruntime/OrtLoraAdapter;";
  private static final String REPOSITORY_DIRECTORY =
      "getResourceDirectory(Lai/djl/repository/Artifact;)Ljava/nio/file/Path;";
  private static final String MODEL_LOAD_PATH = "load(Ljava/nio/file/Path;Ljava/lang/String;Ljava/util/Map;)V";
  private static final String MODEL_LOAD_STREAM = "load(Ljava/io/InputStream;Ljava/util/Map;)V";

  /** Records what the transformer reports, by type. */
  private static final class Recorder implements HookTransformer.Events {
    final Map<String, List<String>> installed = new TreeMap<>();
    final Map<String, String> failed = new TreeMap<>();

    @Override
    public void installed(String type, List<String> methods) {
      installed.put(type, methods);
    }

    @Override
    public void failed(String type, Throwable cause) {
      failed.put(type, cause.getMessage());
    }
  }

  /** The jar on the test class path that holds this class file (internal name). */
  private static Path jarOf(String internalName) throws Exception {
    URL url = SupportedRuntimesTest.class.getClassLoader().getResource(internalName + ".class");
    assertNotNull(url, internalName + " is not on the test class path");
    String s = url.toString();
    assertTrue(s.startsWith("jar:file:"), s);
    return Path.of(new URI(s.substring("jar:".length(), s.indexOf("!/"))));
  }

  /** Transforms every class of the jar holding {@code anchor} as the JVM would when each loads. */
  private static Recorder weaveJar(String anchor) throws Exception {
    Recorder events = new Recorder();
    HookTransformer transformer = new HookTransformer(null, events);
    ClassLoader loader = SupportedRuntimesTest.class.getClassLoader();
    try (JarFile jar = new JarFile(jarOf(anchor).toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String name = e.getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        transformer.transform(null, loader, name.substring(0, name.length() - ".class".length()), null, null,
            bytes);
      }
    }
    return events;
  }

  /** Weaves the jar holding {@code anchor}: nothing fails, and exactly these types get these methods guarded. */
  private static void assertGuardsExactly(String anchor, Map<String, List<String>> expected) throws Exception {
    Recorder events = weaveJar(anchor);
    assertEquals(Map.of(), events.failed);
    assertEquals(expected, events.installed);
  }

  private static byte[] classBytes(String internalName) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
      assertNotNull(in, internalName);
      return in.readAllBytes();
    }
  }

  @Test
  void weave_onnxRuntimeJar_guardsTheThreeFunnelsExactly() throws Exception {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("ai.onnxruntime.OrtEnvironment", List.of(
        "createSession(Ljava/lang/String;" + ORT_TAIL + ORT_SESSION,
        "createSession(Ljava/nio/ByteBuffer;" + ORT_TAIL + ORT_SESSION,
        "createSession([B" + ORT_TAIL + ORT_SESSION));
    expected.put("ai.onnxruntime.OrtLoraAdapter", List.of(
        "create([B" + LORA_TAIL, "create(Ljava/nio/ByteBuffer;" + LORA_TAIL, "create(Ljava/lang/String;" + LORA_TAIL));
    expected.put("ai.onnxruntime.OrtSession$SessionOptions", List.of("registerCustomOpLibrary(Ljava/lang/String;)V"));
    assertGuardsExactly("ai/onnxruntime/OrtEnvironment", expected);
  }

  @Test
  void weave_djlApiJar_guardsModelsRepositoriesAndCodeLoadingExactly() throws Exception {
    Map<String, List<String>> expected = new TreeMap<>();
    // JarRepository, RemoteRepository and SimpleUrlRepository inherit getResourceDirectory, which is
    // guarded where it is declared; ZooModel is excluded (it delegates to the model it wraps).
    expected.put("ai.djl.BaseModel", List.of(MODEL_LOAD_STREAM));
    expected.put("ai.djl.engine.rpc.RpcModel", List.of(MODEL_LOAD_PATH));
    expected.put("ai.djl.repository.AbstractRepository", List.of(
        "prepare(Lai/djl/repository/Artifact;Lai/djl/util/Progress;)V"));
    expected.put("ai.djl.repository.LocalRepository", List.of(
        "<init>(Ljava/lang/String;Ljava/net/URI;Ljava/nio/file/Path;)V"));
    expected.put("ai.djl.repository.SimpleRepository", List.of(
        "<init>(Ljava/lang/String;Ljava/net/URI;Ljava/nio/file/Path;)V", REPOSITORY_DIRECTORY));
    expected.put("ai.djl.util.ClassLoaderUtils", List.of(
        "findImplementation(Ljava/nio/file/Path;Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Object;",
        "compileJavaClass(Ljava/nio/file/Path;)V"));
    assertGuardsExactly("ai/djl/Model", expected);
  }

  @Test
  void weave_pytorchEngineJar_guardsJniUtilsAndPtModelExactly() throws Exception {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("ai.djl.pytorch.engine.PtModel", List.of(MODEL_LOAD_PATH, MODEL_LOAD_STREAM,
        "load(Ljava/io/InputStream;Z)V"));
    expected.put("ai.djl.pytorch.jni.JniUtils", List.of(
        "loadModule(Lai/djl/pytorch/engine/PtNDManager;Ljava/nio/file/Path;Z[Ljava/lang/String;[Ljava/lang/String;Z)"
            + "Lai/djl/pytorch/engine/PtSymbolBlock;",
        "loadModuleHandle(Ljava/io/InputStream;Lai/djl/Device;ZZ)J"));
    assertGuardsExactly("ai/djl/pytorch/jni/JniUtils", expected);
  }

  @Test
  void weave_djlOnnxRuntimeEngineJar_guardsOrtModelExactly() throws Exception {
    assertGuardsExactly("ai/djl/onnxruntime/engine/OrtModel",
        Map.of("ai.djl.onnxruntime.engine.OrtModel", List.of(MODEL_LOAD_PATH, MODEL_LOAD_STREAM)));
  }

  @Test
  void weave_tokenizersJar_guardsEveryTokenizerFunnelExactly() throws Exception {
    String tokenizer = "Lai/djl/huggingface/tokenizers/HuggingFaceTokenizer;";
    Map<String, List<String>> expected = new TreeMap<>();
    // The jar's DJL Rust engine model is a DJL Model: DjlHooks guards its path load.
    expected.put("ai.djl.engine.rust.RsModel", List.of(MODEL_LOAD_PATH));
    expected.put("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer", List.of(
        "newInstance(Ljava/lang/String;Ljava/util/Map;)" + tokenizer,
        "newInstance(Ljava/nio/file/Path;Ljava/util/Map;)" + tokenizer,
        "newInstance(Ljava/nio/file/Path;Ljava/lang/String;Ljava/util/Map;)" + tokenizer,
        "newInstance(Ljava/nio/file/Path;Ljava/nio/file/Path;Ljava/util/Map;)" + tokenizer,
        "newInstance(Ljava/io/InputStream;Ljava/util/Map;)" + tokenizer,
        "newInstance(Ljava/io/InputStream;Ljava/util/Map;Lai/djl/huggingface/tokenizers/TokenizerConfig;)"
            + tokenizer));
    expected.put("ai.djl.huggingface.tokenizers.TokenizerConfig", List.of(
        "load(Ljava/nio/file/Path;)Lai/djl/huggingface/tokenizers/TokenizerConfig;"));
    assertGuardsExactly("ai/djl/huggingface/tokenizers/HuggingFaceTokenizer", expected);
  }

  @Test
  void weave_xgboostJar_guardsBoosterLoadsExactly() throws Exception {
    String booster = "Lml/dmlc/xgboost4j/java/Booster;";
    assertGuardsExactly("ml/dmlc/xgboost4j/java/Booster", Map.of("ml.dmlc.xgboost4j.java.Booster", List.of(
        "loadModel(Ljava/lang/String;)" + booster, "loadModel([B)" + booster,
        "readObject(Ljava/io/ObjectInputStream;)V",
        "read(Lcom/esotericsoftware/kryo/Kryo;Lcom/esotericsoftware/kryo/io/Input;)V")));
  }

  @Test
  void weave_llamaJar_guardsTheArgumentVectorExactly() throws Exception {
    assertGuardsExactly("de/kherud/llama/CliParameters", Map.of("de.kherud.llama.CliParameters",
        List.of("toArray()[Ljava/lang/String;")));
  }

  @Test
  void weave_jlamaJar_guardsModelDirectoriesAndWeightsExactly() throws Exception {
    String j = "Lcom/github/tjake/jlama/";
    String dtype = j + "safetensors/DType;";
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("com.github.tjake.jlama.model.AbstractModel", List.of("<init>(" + j + "model/AbstractModel$InferenceType;"
        + j + "safetensors/Config;" + j + "safetensors/WeightLoader;" + j + "safetensors/tokenizer/Tokenizer;" + dtype
        + dtype + "Ljava/util/Optional;)V"));
    expected.put("com.github.tjake.jlama.model.ModelSupport", List.of("loadModel(" + j + "model/AbstractModel$InferenceType;"
        + "Ljava/io/File;Ljava/io/File;" + dtype + dtype + "Ljava/util/Optional;Ljava/util/Optional;Ljava/util/Optional;"
        + "Ljava/util/function/Function;)" + j + "model/AbstractModel;"));
    expected.put("com.github.tjake.jlama.safetensors.SafeTensorIndex", List.of(
        "loadWithWeights(Ljava/nio/file/Path;)" + j + "safetensors/SafeTensorIndex;",
        "loadSingleFile(Ljava/nio/file/Path;Ljava/lang/String;)" + j + "safetensors/SafeTensorIndex;"));
    expected.put("com.github.tjake.jlama.safetensors.SafeTensorSupport", List.of(
        "detectModel(Ljava/io/File;)" + j + "model/ModelSupport$ModelType;",
        "loadTokenizer(Ljava/nio/file/Path;)" + j + "safetensors/tokenizer/TokenizerModel;"));
    assertGuardsExactly("com/github/tjake/jlama/model/ModelSupport", expected);
  }

  @Test
  void weave_jdkFileOpensWithSealedRoots_guardsTheRunningJdksFunnelsExactly() throws Exception {
    Recorder events = new Recorder();
    HookTransformer transformer = new HookTransformer(null, events, Runtimes.withSealedRoots());
    for (String type : List.of("java/io/FileInputStream", "java/io/RandomAccessFile", "sun/nio/fs/UnixFileSystemProvider",
        "java/io/FileOutputStream")) {
      transformer.transform(null, null, type, null, null, classBytes(type));
    }
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("java.io.FileInputStream", List.of("open(Ljava/lang/String;)V"));
    expected.put("java.io.RandomAccessFile", List.of("open(Ljava/lang/String;I)V"));
    String options = "Ljava/util/Set;[Ljava/nio/file/attribute/FileAttribute;)";
    expected.put("sun.nio.fs.UnixFileSystemProvider", List.of(
        "newFileChannel(Ljava/nio/file/Path;" + options + "Ljava/nio/channels/FileChannel;",
        "newAsynchronousFileChannel(Ljava/nio/file/Path;Ljava/util/Set;Ljava/util/concurrent/ExecutorService;"
            + "[Ljava/nio/file/attribute/FileAttribute;)Ljava/nio/channels/AsynchronousFileChannel;",
        "newByteChannel(Ljava/nio/file/Path;" + options + "Ljava/nio/channels/SeekableByteChannel;"));
    assertEquals(Map.of(), events.failed);
    assertEquals(expected, events.installed);
  }

  @Test
  void weave_ortEnvironment_namesTheHookTheGateRecognises() throws Exception {
    byte[] original = classBytes("ai/onnxruntime/OrtEnvironment");
    byte[] woven = new HookTransformer(null, new Recorder()).transform(null, getClass().getClassLoader(),
        "ai/onnxruntime/OrtEnvironment", null, null, original);
    assertNotNull(woven);
    assertFalse(new String(original, StandardCharsets.ISO_8859_1).contains(OrtHooks.CREATE_SESSION_HOOK));
    assertTrue(new String(woven, StandardCharsets.ISO_8859_1).contains(OrtHooks.CREATE_SESSION_HOOK));
  }

  /**
   * A copy of a real class whose methods called {@code name} moved, as a new runtime version might
   * move them: renamed, or for constructors, given a new first parameter.
   */
  private static byte[] withEntryPointMoved(byte[] original, String name) {
    ClassReader reader = new ClassReader(original);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String n, String desc, String signature, String[] exceptions) {
        if (!n.equals(name)) {
          return super.visitMethod(access, n, desc, signature, exceptions);
        }
        return n.equals("<init>") ? super.visitMethod(access, n, "(I" + desc.substring(1), null, exceptions)
            : super.visitMethod(access, n + "Moved", desc, signature, exceptions);
      }
    }, 0);
    return writer.toByteArray();
  }

  @Test
  void transform_ortEnvironmentWithCreateSessionRenamed_reportsUnsupportedVersion() throws Exception {
    Recorder events = new Recorder();
    byte[] moved = withEntryPointMoved(classBytes("ai/onnxruntime/OrtEnvironment"), "createSession");
    assertEquals(null, new HookTransformer(null, events).transform(null, getClass().getClassLoader(),
        "ai/onnxruntime/OrtEnvironment", null, null, moved));
    assertEquals(Map.of(), events.installed);
    assertEquals(Map.of("ai.onnxruntime.OrtEnvironment", "no method createSession(Ljava/lang/String;"
        + "Lai/onnxruntime/OrtAllocator;...) in ai.onnxruntime.OrtEnvironment: unsupported runtime version"),
        events.failed);
  }

  @Test
  void transform_anyRequiredEntryPointMovedInItsRealClass_reportsUnsupportedVersion() throws Exception {
    List<String> checked = new ArrayList<>();
    for (TypeHooks t : Runtimes.ALL.types()) {
      for (MethodHook h : t.methods()) {
        if (!h.required() || checked.contains(t.typeName() + "." + h.name())) {
          continue;
        }
        checked.add(t.typeName() + "." + h.name());
        Recorder events = new Recorder();
        byte[] moved = withEntryPointMoved(classBytes(t.typeName()), h.name());
        new HookTransformer(null, events).transform(null, getClass().getClassLoader(), t.typeName(), null, null,
            moved);
        String type = t.typeName().replace('/', '.');
        assertEquals(Map.of(type, "no method " + firstRequired(t, h.name()).describe() + " in " + type
            + ": unsupported runtime version"), events.failed, h.name());
      }
    }
    // Every registered runtime's required entry points, so a new hook file is covered once its jar is a
    // test dependency (classBytes fails until it is).
    assertTrue(checked.contains("ai/onnxruntime/OrtEnvironment.createSession"), checked.toString());
    assertTrue(checked.contains("ai/djl/pytorch/jni/JniUtils.loadModuleHandle"), checked.toString());
  }

  private static MethodHook firstRequired(TypeHooks t, String name) {
    for (MethodHook h : t.methods()) {
      if (h.required() && h.name().equals(name)) {
        return h;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void supportedVersions_nameTheVersionsWovenHere() {
    String djl = System.getProperty("djl.version");
    String ort = System.getProperty("onnxruntime.version");
    assumeTrue(djl != null && ort != null, "run by Maven, which passes the versions");
    assertEquals("com.microsoft.onnxruntime:onnxruntime " + ort, new OrtHooks().supportedVersions());
    assertEquals("ai.djl:api " + djl, new DjlHooks().supportedVersions());
    assertEquals("ai.djl.pytorch:pytorch-engine " + djl, new PyTorchHooks().supportedVersions());
    assertEquals("ai.djl.huggingface:tokenizers " + djl, new TokenizersHooks().supportedVersions());
  }
}
