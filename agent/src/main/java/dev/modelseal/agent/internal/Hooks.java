package dev.modelseal.agent.internal;

import java.util.List;

/**
 * Every model-loading entry point the agent guards. A type is selected by exact name, or by being a
 * subtype of a DJL interface; a method by name, its parameter descriptor and whether it is static.
 * A hook with {@code required = true} must be found in its type, or the runtime version is
 * unsupported and the agent fails closed (see {@link HookTransformer}).
 */
final class Hooks {
  /** Every guarded type lives under one of these prefixes (internal names); others are never parsed. */
  static final String DJL_PREFIX = "ai/djl/";
  static final String ORT_PREFIX = "ai/onnxruntime/";
  static final String JLAMA_PREFIX = "com/github/tjake/jlama/";

  static final String PATH = "Ljava/nio/file/Path;";
  static final String STRING = "Ljava/lang/String;";
  static final String STREAM = "Ljava/io/InputStream;";
  static final String BYTES = "[B";
  static final String BUFFER = "Ljava/nio/ByteBuffer;";

  /** What the inserted call checks, and which {@code ModelGate} method it calls. */
  enum Check {
    PATH("checkPath", Hooks.PATH),
    PATH_STRING("checkPathString", Hooks.STRING),
    STREAM("checkStream", Hooks.STREAM),
    BYTES("checkBytes", Hooks.BYTES),
    BUFFER("checkBuffer", Hooks.BUFFER),
    /** An ONNX model's bytes, with the session options (the method's last parameter) for its external data. */
    ORT_BYTES("checkOrtBytes", Hooks.BYTES, true),
    /** {@link #ORT_BYTES} for a buffer. */
    ORT_BUFFER("checkOrtBuffer", Hooks.BUFFER, true),
    /** A DJL repository path that may be an archive: becomes the directory extracted from its pinned copy. */
    ARCHIVE("checkArchive", Hooks.PATH),
    /** A model directory as a {@code java.io.File} (or a file in it): becomes its pinned copy. */
    FILE("checkFile", "Ljava/io/File;"),
    /** A directory with the name of the one file read from it (the last parameter): becomes its pinned copy. */
    WEIGHTS_FILE("checkWeightsFile", Hooks.PATH, true),
    /** A model's weights object: checked, never replaced (the gate method returns nothing). */
    WEIGHTS("checkWeights", "Ljava/lang/Object;", false, false),
    /** No argument: the method reads a source the agent cannot verify; refused at its entry. */
    REFUSE("refuseSource", null);

    final String gateMethod;
    final String type;
    /** The method's last parameter is passed to the gate too, as an {@code Object}. */
    final boolean withLastArgument;
    /** The gate returns what the checked argument becomes (else it returns nothing and the argument stays). */
    final boolean replacesArgument;

    Check(String gateMethod, String type) {
      this(gateMethod, type, false);
    }

    Check(String gateMethod, String type, boolean withLastArgument) {
      this(gateMethod, type, withLastArgument, true);
    }

    Check(String gateMethod, String type, boolean withLastArgument, boolean replacesArgument) {
      this.gateMethod = gateMethod;
      this.type = type;
      this.withLastArgument = withLastArgument;
      this.replacesArgument = replacesArgument;
    }
  }

  /** The hook name (type.method) of ORT's session loading, whose path loads also get their external data checked. */
  static final String ORT_CREATE_SESSION = "ai.onnxruntime.OrtEnvironment.createSession";

  /**
   * One guarded method.
   *
   * @param name method name
   * @param paramsPrefix the descriptor must start with {@code "(" + paramsPrefix}
   * @param paramCount exact number of parameters, or -1 for any
   * @param isStatic required static-ness, or null for either
   * @param argument index of the checked parameter, or -1 to check the returned value
   * @param check what is checked
   * @param required the type must declare at least one such method
   */
  record MethodHook(String name, String paramsPrefix, int paramCount, Boolean isStatic, int argument, Check check,
      boolean required) {}

  /**
   * A guarded type.
   *
   * @param exactName internal name of the type, or null when selected by {@code supertype}
   * @param supertype internal name of a DJL interface whose implementations are guarded, or null
   * @param excluded internal names never guarded even though they match
   */
  record TypeHook(String exactName, String supertype, List<String> excluded, List<MethodHook> methods) {}

  private Hooks() {}

  static final List<TypeHook> ALL = List.of(
      new TypeHook("ai/onnxruntime/OrtEnvironment", null, List.of(), List.of(
          new MethodHook("createSession", STRING + "Lai/onnxruntime/OrtAllocator;", 3, false, 0, Check.PATH_STRING, true),
          new MethodHook("createSession", BYTES + "Lai/onnxruntime/OrtAllocator;", 3, false, 0, Check.ORT_BYTES, true),
          new MethodHook("createSession", BUFFER + "Lai/onnxruntime/OrtAllocator;", 3, false, 0, Check.ORT_BUFFER,
              true))),
      // Every public OrtLoraAdapter.create funnels into these package-private ones.
      new TypeHook("ai/onnxruntime/OrtLoraAdapter", null, List.of(), List.of(
          new MethodHook("create", STRING + "Lai/onnxruntime/OrtAllocator;", 2, true, 0, Check.PATH_STRING, true),
          new MethodHook("create", BYTES + "Lai/onnxruntime/OrtAllocator;", 2, true, 0, Check.BYTES, true),
          new MethodHook("create", BUFFER + "Lai/onnxruntime/OrtAllocator;", 2, true, 0, Check.BUFFER, true))),
      new TypeHook("ai/onnxruntime/OrtSession$SessionOptions", null, List.of(), List.of(
          new MethodHook("registerCustomOpLibrary", STRING, 1, false, 0, Check.PATH_STRING, true))),
      new TypeHook("ai/djl/pytorch/jni/JniUtils", null, List.of(), List.of(
          new MethodHook("loadModule", "Lai/djl/pytorch/engine/PtNDManager;" + PATH, -1, true, 1, Check.PATH, true),
          new MethodHook("loadModuleHandle", STREAM, -1, true, 0, Check.STREAM, true))),
      new TypeHook(null, "ai/djl/Model", List.of("ai/djl/repository/zoo/ZooModel"), List.of(
          new MethodHook("load", PATH + STRING + "Ljava/util/Map;", 3, false, 0, Check.PATH, false),
          new MethodHook("load", STREAM + "Ljava/util/Map;", 2, false, 0, Check.STREAM, false),
          new MethodHook("load", STREAM + "Z", 2, false, 0, Check.STREAM, false))),
      new TypeHook(null, "ai/djl/repository/Repository", List.of(), List.of(
          new MethodHook("getResourceDirectory", "Lai/djl/repository/Artifact;", 1, false, -1, Check.PATH, false))),
      // DJL repositories other than SimpleRepository read model files (metadata.json, serving.properties, the
      // cache) before any getResourceDirectory: SimpleRepository's archives are verified and extracted by the
      // agent; fetching or extracting into DJL's cache and LocalRepository are refused.
      new TypeHook("ai/djl/repository/SimpleRepository", null, List.of(), List.of(
          new MethodHook("<init>", STRING + "Ljava/net/URI;" + PATH, 3, false, 2, Check.ARCHIVE, true))),
      new TypeHook("ai/djl/repository/AbstractRepository", null, List.of(), List.of(
          new MethodHook("prepare", "Lai/djl/repository/Artifact;Lai/djl/util/Progress;", 2, false, 0, Check.REFUSE,
              true))),
      new TypeHook("ai/djl/repository/LocalRepository", null, List.of(), List.of(
          new MethodHook("<init>", STRING + "Ljava/net/URI;" + PATH, 3, false, 0, Check.REFUSE, true))),
      new TypeHook("ai/djl/util/ClassLoaderUtils", null, List.of(), List.of(
          new MethodHook("findImplementation", PATH, -1, true, 0, Check.PATH, true),
          new MethodHook("compileJavaClass", PATH, -1, true, 0, Check.PATH, false))),
      // Jlama (JlamaModels): every ModelSupport.loadModel*/loadEmbeddingModel/loadClassifierModel funnels into this
      // one, which reads config.json and the tokenizer from the model's directory.
      new TypeHook("com/github/tjake/jlama/model/ModelSupport", null, List.of(), List.of(
          new MethodHook("loadModel", "Lcom/github/tjake/jlama/model/AbstractModel$InferenceType;Ljava/io/File;"
              + "Ljava/io/File;", 9, true, 1, Check.FILE, true))),
      // The model's config (its type) and tokenizer, read by loadModel, LangChain4j's registry, or an application
      // that constructs a model itself: from a verified directory too (a pinned one goes on as it is).
      new TypeHook("com/github/tjake/jlama/safetensors/SafeTensorSupport", null, List.of(), List.of(
          new MethodHook("detectModel", "Ljava/io/File;", 1, true, 0, Check.FILE, true),
          new MethodHook("loadTokenizer", PATH, 1, true, 0, Check.PATH, true))),
      // The only two callers of SafeTensorIndex.loadWeights (package-private), the only code that maps weights.
      new TypeHook("com/github/tjake/jlama/safetensors/SafeTensorIndex", null, List.of(), List.of(
          new MethodHook("loadWithWeights", PATH, 1, true, 0, Check.PATH, true),
          new MethodHook("loadSingleFile", PATH + STRING, 2, true, 0, Check.WEIGHTS_FILE, true))),
      // Its only constructor: every model's weights, whoever loaded them.
      new TypeHook("com/github/tjake/jlama/model/AbstractModel", null, List.of(), List.of(
          new MethodHook("<init>", "Lcom/github/tjake/jlama/model/AbstractModel$InferenceType;"
              + "Lcom/github/tjake/jlama/safetensors/Config;Lcom/github/tjake/jlama/safetensors/WeightLoader;", 7,
              false, 2, Check.WEIGHTS, true))));
}
