package dev.modelseal.agent.internal;

/**
 * What a hook's inserted call checks, and which {@code ModelGate} method it calls. {@link HookWeaver}
 * emits {@code value = ModelGate.<gateMethod>(hookName, value)} with {@link #type} as the value's
 * descriptor; {@link MethodHook.Builder} refuses a hook whose checked parameter has another type.
 */
enum Check {
  PATH("checkPath", MethodHook.PATH),
  PATH_STRING("checkPathString", MethodHook.STRING),
  STREAM("checkStream", MethodHook.STREAM),
  BYTES("checkBytes", MethodHook.BYTES),
  BUFFER("checkBuffer", MethodHook.BUFFER),
  /** An ONNX model's bytes, with the session options (the method's last parameter) for its external data. */
  ORT_BYTES("checkOrtBytes", MethodHook.BYTES, true),
  /** {@link #ORT_BYTES} for a buffer. */
  ORT_BUFFER("checkOrtBuffer", MethodHook.BUFFER, true),
  /**
   * An ONNX model's path (the first parameter), with the session options (the last): the gate returns the path to
   * load, or a direct buffer with the verified model, in which case the method returns what its own overload with a
   * {@code ByteBuffer} first parameter (the other arguments the same) returns for it ({@link #redirectType}).
   */
  ORT_PATH("checkOrtPath", MethodHook.STRING, true, false, true, MethodHook.BUFFER),
  /** A DJL repository path that may be an archive: becomes the directory extracted from its pinned copy. */
  ARCHIVE("checkArchive", MethodHook.PATH),
  /** No argument: the method reads a source the agent cannot verify; refused at its entry. */
  REFUSE("refuseSource", null),
  /** A Hugging Face {@code tokenizer.json}, or a directory standing for it: only that file is pinned. */
  TOKENIZER("checkTokenizer", MethodHook.PATH),
  /** One tokenizer file (a BPE vocabulary): pinned alone. */
  TOKENIZER_FILE("checkTokenizerFile", MethodHook.PATH),
  /** A BPE merges file, checked right after its vocabulary: pinned alone; if refused, the vocabulary's pin goes too. */
  TOKENIZER_MERGES("checkTokenizerMerges", MethodHook.PATH),
  /** An optional {@code tokenizer_config.json}: pinned alone; an absent one stays absent. */
  TOKENIZER_CONFIG("checkTokenizerConfig", MethodHook.PATH),
  /** A {@code tokenizer.json} stream (not verified twice after a tokenizer path check on the same thread). */
  TOKENIZER_STREAM("checkTokenizerStream", MethodHook.STREAM),
  /** A tokenizer hub id the runtime would download: refused. */
  HUB_NAME("refuseHubName", MethodHook.STRING),
  /** A model given as text: its JNI modified UTF-8 bytes are verified in memory; the same string goes on. */
  STRING_CONTENT("checkStringContent", MethodHook.STRING),
  /**
   * Bytes the method reads itself (deserialization): nothing is checked at entry; each call inside it to a native
   * loader of {@link NativeCallCheck#LOADERS} has its {@code byte[]} (last) argument replaced by the verified
   * private copy, just before the call.
   */
  NATIVE_BYTES("checkBytes", null),
  /** java-llama.cpp's argument vector: every file it names becomes its pinned copy ({@link LlamaArgvPinner}). */
  LLAMA_ARGV("checkLlamaArgs", "[Ljava/lang/String;"),
  /** A model directory as a {@code java.io.File} (or a file in it): becomes its pinned copy. */
  FILE("checkFile", "Ljava/io/File;"),
  /** A directory with the name of the one file read from it (the last parameter): becomes its pinned copy. */
  WEIGHTS_FILE("checkWeightsFile", MethodHook.PATH, true),
  /** A model's weights object, of any reference type: checked, never replaced (the gate method returns nothing). */
  WEIGHTS("checkWeights", "Ljava/lang/Object;", false, false, false),
  /** A JDK open of a path string, for sealed model roots ({@link SealedReads}). */
  SEALED_OPEN("sealedOpen", MethodHook.STRING),
  /** {@link #SEALED_OPEN} with the open mode (the next parameter, an {@code int}). */
  SEALED_OPEN_MODE("sealedOpenMode", MethodHook.STRING, false, true),
  /** A JDK provider open of a path, with its open options (the next parameter), for sealed model roots. */
  SEALED_CHANNEL("sealedChannel", MethodHook.PATH, false, true);

  final String gateMethod;
  /**
   * Descriptor of the checked value (argument or returned value); null for {@link #REFUSE} and {@link
   * #NATIVE_BYTES}, which check no value at entry or exit.
   */
  final String type;
  /** The method's last parameter is passed to the gate too, as an {@code Object}. */
  final boolean withLastArgument;
  /** The parameter after the checked one is passed to the gate too (as an {@code Object} if a reference). */
  final boolean withNextArgument;
  /** The gate returns what the checked value becomes (else it returns nothing and the value stays). */
  final boolean replacesArgument;
  /**
   * Null, or the descriptor of a type the gate may return instead of the checked value's own: the method then
   * returns the result of its overload that takes that type in the checked (first) parameter's place.
   */
  final String redirectType;

  Check(String gateMethod, String type) {
    this(gateMethod, type, false);
  }

  Check(String gateMethod, String type, boolean withLastArgument) {
    this(gateMethod, type, withLastArgument, false);
  }

  Check(String gateMethod, String type, boolean withLastArgument, boolean withNextArgument) {
    this(gateMethod, type, withLastArgument, withNextArgument, true);
  }

  Check(String gateMethod, String type, boolean withLastArgument, boolean withNextArgument,
      boolean replacesArgument) {
    this(gateMethod, type, withLastArgument, withNextArgument, replacesArgument, null);
  }

  Check(String gateMethod, String type, boolean withLastArgument, boolean withNextArgument,
      boolean replacesArgument, String redirectType) {
    this.redirectType = redirectType;
    this.gateMethod = gateMethod;
    this.type = type;
    this.withLastArgument = withLastArgument;
    this.withNextArgument = withNextArgument;
    this.replacesArgument = replacesArgument;
  }
}
