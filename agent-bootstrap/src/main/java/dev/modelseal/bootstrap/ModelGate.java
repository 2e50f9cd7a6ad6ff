package dev.modelseal.bootstrap;

import java.io.File;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The only class that advice inlined into model runtimes calls. Each method forwards to the
 * {@link GateHandler} the agent installed at startup and fails closed: no handler yet, or any
 * exception inside the handler, becomes a {@link ModelVerificationException}, so a load never goes
 * through unverified. The handler is installed once and cannot be replaced through this API.
 *
 * <p>What this does not do: code already running inside the JVM can disable this or any agent, by
 * reflection on this class, JNI or instrumentation of its own. The agent guards the artifacts a
 * service loads (files and bytes from storage it does not trust), not the process against hostile
 * code it already runs.
 */
public final class ModelGate {
  private static volatile GateHandler handler;

  private ModelGate() {}

  /**
   * Installs the handler. Only the first call succeeds.
   *
   * @throws IllegalStateException if a handler is already installed
   */
  public static synchronized void install(GateHandler h) {
    if (h == null) {
      throw new NullPointerException("handler");
    }
    if (handler != null) {
      throw new IllegalStateException("ModelSeal gate handler is already installed");
    }
    handler = h;
  }

  /** Checks a model path; returns the verified path the runtime must load instead. */
  public static Path checkPath(String hook, Path path) {
    GateHandler h = ready(path == null ? "<null path>" : path.toString());
    try {
      return h.checkPath(hook, path);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path == null ? "<null path>" : path.toString(), t);
    }
  }

  /** Checks a model path given as a string; returns the verified path as a string. */
  public static String checkPathString(String hook, String path) {
    return checkPath(hook, parsePath(path)).toString();
  }

  /** A model path given as a string; a null or invalid one is refused. */
  private static Path parsePath(String path) {
    if (path == null) {
      throw new ModelVerificationException(RejectReason.UNSUPPORTED_SOURCE, "<null path>", "no model path");
    }
    try {
      return Paths.get(path);
    } catch (RuntimeException e) {
      throw new ModelVerificationException(RejectReason.PATH_REFUSED, path, "not a valid path");
    }
  }

  /**
   * Checks the path of an ONNX model on its way to an ONNX Runtime session (see {@link GateHandler#checkOrtPath}):
   * returns the verified path to load (a {@code String}), or a direct {@code ByteBuffer} holding the verified model,
   * which the caller then hands to its own buffer overload instead.
   */
  public static Object checkOrtPath(String hook, String path, Object options) {
    Path p = parsePath(path);
    GateHandler h = ready(path);
    try {
      return h.checkOrtPath(hook, p, options);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path, t);
    }
  }

  /**
   * Called by DJL's {@code SimpleRepository} constructor: an archive path becomes the directory extracted from its
   * verified, pinned copy; any other path is returned unchanged (it is checked where DJL resolves it).
   *
   * @throws ModelVerificationException if the archive is refused (enforce mode)
   */
  public static Path checkArchive(String hook, Path path) {
    GateHandler h = ready(path == null ? "<null path>" : path.toString());
    try {
      return h.checkArchive(hook, path);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path == null ? "<null path>" : path.toString(), t);
    }
  }

  /**
   * Called where a runtime would read a model source the agent cannot verify (DJL fetching into its cache, a
   * {@code LocalRepository}): refuses it in enforce mode; logs it in audit mode.
   *
   * @throws ModelVerificationException in enforce mode
   */
  public static void refuseSource(String hook) {
    GateHandler h = ready(hook);
    try {
      h.refuseSource(hook);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(hook, t);
    }
  }

  /** Checks a model stream; returns a stream over the verified bytes. */
  public static InputStream checkStream(String hook, InputStream in) {
    GateHandler h = ready("<stream>");
    try {
      return h.checkStream(hook, in);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<stream>", t);
    }
  }

  /** Checks model bytes; returns the verified copy the runtime must load instead. */
  public static byte[] checkBytes(String hook, byte[] bytes) {
    GateHandler h = ready("<byte[]>");
    try {
      return h.checkBytes(hook, bytes);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<byte[]>", t);
    }
  }

  /** Checks a model buffer; returns the verified copy the runtime must load instead. */
  public static ByteBuffer checkBuffer(String hook, ByteBuffer buffer) {
    GateHandler h = ready("<ByteBuffer>");
    try {
      return h.checkBuffer(hook, buffer);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<ByteBuffer>", t);
    }
  }

  /** Checks an ONNX model's bytes and external data for an ONNX Runtime session (see {@link GateHandler}). */
  public static byte[] checkOrtBytes(String hook, byte[] bytes, Object options) {
    GateHandler h = ready("<byte[]>");
    try {
      return h.checkOrtBytes(hook, bytes, options);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<byte[]>", t);
    }
  }

  /** Checks an ONNX model buffer and its external data for an ONNX Runtime session (see {@link GateHandler}). */
  public static ByteBuffer checkOrtBuffer(String hook, ByteBuffer buffer, Object options) {
    GateHandler h = ready("<ByteBuffer>");
    try {
      return h.checkOrtBuffer(hook, buffer, options);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<ByteBuffer>", t);
    }
  }

  /**
   * Called with java-llama.cpp's argument vector on its way to the native {@code loadModel}: returns a new vector in
   * which every file llama.cpp would read is the verified, pinned copy (see {@link GateHandler#checkLlamaArgs}).
   *
   * @throws ModelVerificationException if a file or source is refused (enforce mode)
   */
  public static String[] checkLlamaArgs(String hook, String[] argv) {
    GateHandler h = ready("<llama.cpp arguments>");
    try {
      return h.checkLlamaArgs(hook, argv);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<llama.cpp arguments>", t);
    }
  }

  /**
   * Checks a model directory given as a {@link File}, or a file in it (Jlama's {@code ModelSupport.loadModel}, see
   * {@link GateHandler#checkFile}); returns the pinned directory, or the same-named file in it, for the runtime to
   * load instead.
   */
  public static File checkFile(String hook, File file) {
    String location = file == null ? "<null path>" : file.toString();
    GateHandler h = ready(location);
    try {
      return h.checkFile(hook, file);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(location, t);
    }
  }

  /**
   * Checks the directory a runtime maps one named weights file from (Jlama's {@code SafeTensorIndex.loadSingleFile},
   * see {@link GateHandler#checkWeightsFile}); returns the pinned directory for the runtime to read instead.
   */
  public static Path checkWeightsFile(String hook, Path directory, Object fileName) {
    String location = directory == null ? "<null path>" : directory.toString();
    GateHandler h = ready(location);
    try {
      return h.checkWeightsFile(hook, directory, fileName);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(location, t);
    }
  }

  /**
   * Checks the weights a model is constructed with (Jlama's {@code AbstractModel.<init>}, see
   * {@link GateHandler#checkWeights}); returns normally if they may be used.
   */
  public static void checkWeights(String hook, Object weights) {
    String location = weights == null ? "<null weights>" : "<" + weights.getClass().getName() + ">";
    GateHandler h = ready(location);
    try {
      h.checkWeights(hook, weights);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(location, t);
    }
  }

  private static GateHandler ready(String location) {
    GateHandler h = handler;
    if (h == null) {
      throw new ModelVerificationException(
          RejectReason.GUARD_NOT_READY, location, "the ModelSeal agent has not finished starting");
    }
    return h;
  }

  private static ModelVerificationException internal(String location, Throwable t) {
    ModelVerificationException e = new ModelVerificationException(
        RejectReason.INTERNAL_ERROR, location, "internal error: " + t.getClass().getName());
    e.initCause(t);
    return e;
  }

  /** Checks a Hugging Face {@code tokenizer.json} or its directory; returns the pinned file (see {@link GateHandler}). */
  public static Path checkTokenizer(String hook, Path path) {
    GateHandler h = ready(path == null ? "<null path>" : path.toString());
    try {
      return h.checkTokenizer(hook, path);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path == null ? "<null path>" : path.toString(), t);
    }
  }

  /** Checks one tokenizer file (a BPE vocabulary); returns its pinned copy. */
  public static Path checkTokenizerFile(String hook, Path path) {
    GateHandler h = ready(path == null ? "<null path>" : path.toString());
    try {
      return h.checkTokenizerFile(hook, path);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path == null ? "<null path>" : path.toString(), t);
    }
  }

  /** Checks a BPE {@code merges.txt} after its vocabulary; returns its pinned copy (see {@link GateHandler}). */
  public static Path checkTokenizerMerges(String hook, Path path) {
    GateHandler h = ready(path == null ? "<null path>" : path.toString());
    try {
      return h.checkTokenizerMerges(hook, path);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path == null ? "<null path>" : path.toString(), t);
    }
  }

  /** Checks an optional {@code tokenizer_config.json}; returns its pinned copy, or a path where none can appear. */
  public static Path checkTokenizerConfig(String hook, Path path) {
    GateHandler h = ready(path == null ? "<null path>" : path.toString());
    try {
      return h.checkTokenizerConfig(hook, path);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(path == null ? "<null path>" : path.toString(), t);
    }
  }

  /** Checks a {@code tokenizer.json} stream; returns a stream over the verified bytes. */
  public static InputStream checkTokenizerStream(String hook, InputStream in) {
    GateHandler h = ready("<stream>");
    try {
      return h.checkTokenizerStream(hook, in);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<stream>", t);
    }
  }

  /**
   * Called where a runtime would download a tokenizer by hub id: refuses it in enforce mode; logs it and returns the
   * name in audit mode.
   */
  public static String refuseHubName(String hook, String name) {
    GateHandler h = ready(name == null ? "<null name>" : name);
    try {
      return h.refuseHubName(hook, name);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(name == null ? "<null name>" : name, t);
    }
  }

  /**
   * Checks a model given as text (LightGBM's {@code LGBM_BoosterLoadModelFromString}): the bytes the runtime's
   * native code receives from the string (JNI's modified UTF-8) must be a signed model's. Returns the same
   * (immutable) string once verified, or throws.
   */
  public static String checkStringContent(String hook, String content) {
    GateHandler h = ready("<String>");
    try {
      return h.checkStringContent(hook, content);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (Throwable t) {
      throw internal("<String>", t);
    }
  }

  // Sealed model roots: called from the JDK's own file opens (see SealedReadGate).

  /** {@code FileInputStream.open(String)}: returns the path to open, the verified copy's under a sealed root. */
  public static String sealedOpen(String hook, String path) throws java.io.IOException {
    String replaced = SealedReadGate.check(hook, path, false);
    return replaced == null ? path : replaced;
  }

  /**
   * {@code RandomAccessFile.open(String, int)}: a read-only open ({@code O_RDONLY}, with or without
   * {@code O_TEMPORARY}) is checked as {@link #sealedOpen}; a read-write open passes unchanged.
   */
  public static String sealedOpenMode(String hook, String path, int mode) throws java.io.IOException {
    if ((mode & RAF_READ_WRITE) != 0) {
      return path;
    }
    return sealedOpen(hook, path);
  }

  /** {@code RandomAccessFile.O_RDWR}: set for "rw", "rws" and "rwd". */
  private static final int RAF_READ_WRITE = 2;

  /**
   * The default provider's {@code newByteChannel}, {@code newFileChannel} and
   * {@code newAsynchronousFileChannel}: an open without {@code WRITE} or {@code APPEND} (a read) is checked
   * as {@link #sealedOpen}; others pass unchanged.
   */
  public static Path sealedChannel(String hook, Path path, Object options) throws java.io.IOException {
    if (path == null || !(options instanceof java.util.Set)
        || ((java.util.Set<?>) options).contains(java.nio.file.StandardOpenOption.WRITE)
        || ((java.util.Set<?>) options).contains(java.nio.file.StandardOpenOption.APPEND)) {
      return path;
    }
    return SealedReadGate.checkChannel(hook, path);
  }
}
