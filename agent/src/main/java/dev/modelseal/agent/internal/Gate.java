package dev.modelseal.agent.internal;

import dev.modelseal.agent.internal.DecisionLog.Decision;
import dev.modelseal.bootstrap.GateHandler;
import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.bootstrap.VerifiedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The agent's {@link GateHandler}: runs each check, writes the decision log, and applies the mode.
 * In enforce mode a rejection throws {@link ModelVerificationException} and the runtime gets
 * nothing; in audit mode the rejection is logged and the original argument goes through.
 */
final class Gate implements GateHandler {
  /** The largest array the JVM allocates: the in-memory limit for streams can be no larger. */
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private final AgentSettings settings;
  private final DecisionLog log;
  private final ModelChecker checker;
  private final LocationVerifier locations;
  private final ExternalDataPinner externalData;
  private final Object token = new Object();
  private final TokenizerGate tokenizers;
  private final VerifyProgress progress;

  Gate(AgentSettings settings, DecisionLog log, ModelChecker checker) {
    this(settings, log, checker, new VerifyProgress(log, VerifyProgress.THRESHOLD, VerifyProgress.SYSTEM));
  }

  /** A gate whose long verifications are logged by {@code progress} (tests: a smaller threshold, a fixed clock). */
  Gate(AgentSettings settings, DecisionLog log, ModelChecker checker, VerifyProgress progress) {
    this.progress = progress;
    this.settings = settings;
    this.log = log;
    this.checker = checker;
    this.locations = new LocationVerifier(settings, checker, new OmsPinner(settings, checker.pinner()));
    this.externalData = new ExternalDataPinner(locations, checker.pinner());
    this.tokenizers = new TokenizerGate(this, settings, log, locations, checker.pinner(), token);
  }

  @Override
  public Path checkPath(String hook, Path path) {
    long start = System.nanoTime();
    if (path == null) {
      return reject(hook, "<null>", RejectReason.UNSUPPORTED_SOURCE, "no model path", start, null);
    }
    Path absolute = path.toAbsolutePath().normalize();
    boolean onnxSession = OrtHooks.CREATE_SESSION_HOOK.equals(hook);
    // Resolved once: the pinned and exempt tests, the verification and what the runtime is handed all
    // see the same real path, never the caller's, whose links may change after the check (a lexical
    // path can normalise into the pin folder and still resolve elsewhere).
    Path real;
    IOException unresolved = null;
    try {
      real = path.toAbsolutePath().toRealPath(); // not the normalised path: ".." after a link is the kernel's
    } catch (IOException e) {
      real = absolute;
      unresolved = e;
    }
    if (unresolved == null && checker.pinner().isPinned(real)) {
      // A copy this agent verified, handed on (DJL to ORT): its external data must be in it too.
      return onnxSession ? checkPinnedExternalData(hook, real, real, start) : real;
    }
    if (unresolved == null && settings.isExempt(real)) {
      log.decision(hook, absolute.toString(), null, null, Decision.EXEMPT, null, System.nanoTime() - start,
          "under an exempt path: loading " + real);
      return real;
    }
    VerifyProgress.Started large = unresolved == null ? progress.start(hook, absolute.toString(), real, null) : null;
    try {
      if (unresolved instanceof NoSuchFileException) {
        throw new Rejection(RejectReason.PATH_REFUSED, "no such file or directory");
      }
      if (unresolved != null) {
        throw unresolved;
      }
      Verdict v = locations.verifyAndPin(real);
      try {
        String external = onnxSession ? externalData.pinForPath(v.pinned(), real) : "";
        log.decision(hook, absolute.toString(), v.digest(), v.keyId(), Decision.ALLOW, null,
            System.nanoTime() - start, v.detail() + external + "; loading pinned copy " + v.pinned());
        return v.pinned();
      } catch (Rejection | IOException | RuntimeException e) {
        // Refused after pinning (its external data, or a decision log that cannot be written): no copy stays.
        checker.pinner().discardPinOf(v.pinned());
        throw e;
      }
    } catch (Rejection r) {
      return reject(hook, absolute.toString(), r.reason, r.getMessage(), start, path);
    } catch (IOException e) {
      return reject(hook, absolute.toString(), RejectReason.PATH_REFUSED, "cannot read: " + e, start, path);
    } finally {
      progress.end(large); // after the decision line
    }
  }

  private Path checkPinnedExternalData(String hook, Path path, Path absolute, long start) {
    try {
      externalData.pinForPath(absolute, null);
      return path;
    } catch (Rejection r) {
      return reject(hook, absolute.toString(), r.reason, r.getMessage(), start, path);
    } catch (IOException e) {
      return reject(hook, absolute.toString(), RejectReason.PATH_REFUSED, "cannot read: " + e, start, path);
    }
  }

  /**
   * A DJL {@code SimpleRepository}'s path: an archive ({@link ArchiveExtractor#isArchive}) is verified and pinned
   * like any model file (or is exempt), then extracted from the pinned copy into a new pin folder, whose directory is returned
   * for DJL to use in place (so DJL never extracts into, or reads from, its cache); any other path is returned
   * unchanged, to be checked where DJL resolves its directory.
   */
  @Override
  public Path checkArchive(String hook, Path path) {
    if (path == null || !ArchiveExtractor.isArchive(path)) {
      return path;
    }
    Path checked = checkPath(hook, path);
    if (!checker.pinner().isPinned(checked) && !settings.isExempt(checked)) {
      return checked; // refused in audit mode: DJL extracts it as it would without the agent
    }
    long start = System.nanoTime();
    try {
      return ArchiveExtractor.extract(checked, checker.pinner().newPinFolder());
    } catch (Rejection r) {
      return reject(hook, path.toAbsolutePath().toString(), r.reason, r.getMessage(), start, path);
    } catch (IOException e) {
      return reject(hook, path.toAbsolutePath().toString(), RejectReason.UNSUPPORTED_SOURCE,
          "cannot extract the verified archive: " + e, start, path);
    }
  }

  /**
   * A model source the agent cannot verify: DJL about to fetch or extract a model into its cache (where a folder
   * that already exists is used as is), or a {@code LocalRepository}, whose {@code metadata.json} sets options
   * and arguments. Refused, named by the hook, before DJL reads any of it.
   */
  @Override
  public void refuseSource(String hook) {
    String what = hook.startsWith("ai.djl.repository.LocalRepository.")
        ? "a DJL LocalRepository (a folder with a nested metadata.json, whose options DJL applies)"
        : "DJL would fetch or extract the model into its cache (a jar:, djl://, http(s) or LocalRepository source)";
    reject(hook, hook, RejectReason.UNSUPPORTED_SOURCE, what + ", which ModelSeal cannot verify: load a signed"
        + " model directory, or a signed .zip/.tar.gz archive, by its local path", System.nanoTime(), hook);
  }

  /**
   * A Jlama model ({@link JlamaModels}): the model's directory is verified as a whole like any model directory
   * ({@link #checkPath}) and Jlama gets the pinned copy, or the same-named file in it.
   */
  @Override
  public File checkFile(String hook, File file) {
    if (file == null) {
      return reject(hook, "<null>", RejectReason.UNSUPPORTED_SOURCE, "no model path", System.nanoTime(), null);
    }
    Path directory = JlamaModels.directoryOf(file);
    return JlamaModels.substitute(file, directory, checkPath(hook, directory));
  }

  /**
   * The directory Jlama maps one weights file from ({@link JlamaModels}): the name must be a file directly in it,
   * then the directory is checked as {@link #checkPath} does (an already pinned copy is handed on as it is).
   */
  @Override
  public Path checkWeightsFile(String hook, Path directory, Object fileName) {
    String refused = JlamaModels.fileNameRefusal(fileName);
    if (refused != null && directory != null) {
      reject(hook, directory.toAbsolutePath().toString(), RejectReason.UNSUPPORTED_SOURCE, refused,
          System.nanoTime(), directory);
    }
    return checkPath(hook, directory);
  }

  /** The weights a Jlama model is constructed with ({@link JlamaModels#weightsRefusal}): refused, or nothing. */
  @Override
  public void checkWeights(String hook, Object weights) {
    String refused = JlamaModels.weightsRefusal(weights);
    if (refused != null) {
      reject(hook, JlamaModels.weightsLocation(weights), RejectReason.UNSUPPORTED_SOURCE, refused,
          System.nanoTime(), weights);
    }
  }

  @Override
  public InputStream checkStream(String hook, InputStream in) {
    if (in instanceof VerifiedInputStream v && v.createdWith(token)) {
      return in;
    }
    long start = System.nanoTime();
    if (in == null) {
      return reject(hook, "<stream>", RejectReason.UNSUPPORTED_SOURCE, "no model stream", start, null);
    }
    // The limit, but never more than the largest Java array. Read in chunks and stop as soon as the
    // count crosses it: an endless stream costs at most the limit and one chunk, then TOO_LARGE.
    long limit = Math.min(settings.maxInMemoryBytes(), MAX_ARRAY_BYTES);
    StreamChunks chunks;
    try {
      chunks = StreamChunks.read(in, limit);
    } catch (IOException e) {
      return reject(hook, "<stream>", RejectReason.UNSUPPORTED_SOURCE, "cannot read the stream: " + e, start, null);
    }
    if (chunks.overLimit()) {
      return reject(hook, "<stream>", RejectReason.TOO_LARGE, "stream of more than " + limit
          + " bytes is over the in-memory limit", start, chunks.thenRest(in));
    }
    byte[] content = chunks.join();
    byte[] verified = verifyContent(hook, "<stream>", content, start, false, null);
    return new VerifiedInputStream(verified, token);
  }

  @Override
  public byte[] checkBytes(String hook, byte[] bytes) {
    return checkBytes(hook, bytes, false, null);
  }

  @Override
  public byte[] checkOrtBytes(String hook, byte[] bytes, Object options) {
    return checkBytes(hook, bytes, true, options);
  }

  private byte[] checkBytes(String hook, byte[] bytes, boolean onnx, Object options) {
    long start = System.nanoTime();
    if (bytes == null) {
      return reject(hook, "<byte[]>", RejectReason.UNSUPPORTED_SOURCE, "no model bytes", start, null);
    }
    String location = "<byte[] " + bytes.length + " bytes>";
    // The limit before the private copy: an oversize array is refused without being copied.
    if (bytes.length > settings.maxInMemoryBytes()) {
      return overLimit(hook, location, start, bytes);
    }
    return verifyContent(hook, location, bytes.clone(), start, onnx, options);
  }

  @Override
  public ByteBuffer checkBuffer(String hook, ByteBuffer buffer) {
    return checkBuffer(hook, buffer, false, null);
  }

  @Override
  public ByteBuffer checkOrtBuffer(String hook, ByteBuffer buffer, Object options) {
    return checkBuffer(hook, buffer, true, options);
  }

  private ByteBuffer checkBuffer(String hook, ByteBuffer buffer, boolean onnx, Object options) {
    long start = System.nanoTime();
    if (buffer == null) {
      return reject(hook, "<ByteBuffer>", RejectReason.UNSUPPORTED_SOURCE, "no model buffer", start, null);
    }
    ByteBuffer view = buffer.duplicate();
    if (view.remaining() > settings.maxInMemoryBytes()) {
      return reject(hook, "<ByteBuffer>", RejectReason.TOO_LARGE, "buffer of " + view.remaining()
          + " bytes is over the in-memory limit of " + settings.maxInMemoryBytes(), start, buffer);
    }
    byte[] copy = new byte[view.remaining()];
    view.get(copy);
    verifyContent(hook, "<ByteBuffer " + copy.length + " bytes>", copy, start, onnx, options);
    ByteBuffer out = ByteBuffer.allocateDirect(copy.length);
    out.put(copy).flip();
    return out;
  }

  /**
   * Verifies a private copy, and for an ONNX Runtime session ({@code onnx}) the external data it names, pointing
   * {@code options} at its verified copies; returns the copy, or in audit mode after a rejection the same array.
   */
  private byte[] verifyContent(String hook, String location, byte[] copy, long start, boolean onnx,
      Object options) {
    if (copy.length > settings.maxInMemoryBytes()) {
      return overLimit(hook, location, start, copy);
    }
    try {
      Verdict v = checker.verifyContent(copy, location);
      String external = onnx ? externalData.pinForContent(copy, options) : "";
      try {
        log.decision(hook, location, v.digest(), v.keyId(), Decision.ALLOW, null, System.nanoTime() - start,
            v.detail() + external);
      } catch (RuntimeException e) {
        externalData.discardPinsOf(options); // refused after its data was pinned: no copy stays
        throw e;
      }
      return copy;
    } catch (Rejection r) {
      return reject(hook, location, r.reason, r.getMessage(), start, copy);
    } catch (IOException e) {
      return reject(hook, location, RejectReason.INTERNAL_ERROR, "cannot search model roots: " + e, start, copy);
    }
  }

  /**
   * A model given as a string (LightGBM's {@code LGBM_BoosterLoadModelFromString}): verified in memory as the bytes
   * native code gets from it ({@link ModifiedUtf8}, what JNI's {@code GetStringUTFChars} returns), so a string
   * whose UTF-8 form is signed but that reaches native code as other bytes (a NUL, a supplementary character) is
   * refused. A string cannot change, so the verified one itself goes on.
   */
  @Override
  public String checkStringContent(String hook, String content) {
    long start = System.nanoTime();
    if (content == null) {
      return reject(hook, "<String>", RejectReason.UNSUPPORTED_SOURCE, "no model string", start, null);
    }
    long length = ModifiedUtf8.length(content);
    String location = "<String " + length + " bytes>";
    if (length > Math.min(settings.maxInMemoryBytes(), MAX_ARRAY_BYTES)) {
      return overLimit(hook, location, start, content);
    }
    verifyContent(hook, location, ModifiedUtf8.encode(content), start, false, null);
    return content;
  }

  /**
   * java-llama.cpp's argument vector, on its way to the native {@code loadModel}: every file llama.cpp would read
   * is verified and pinned as {@link #checkPath} does, downloads are refused ({@link LlamaArgvPinner}).
   */
  @Override
  public String[] checkLlamaArgs(String hook, String[] argv) {
    return new LlamaArgvPinner(this, settings, checker.pinner(), System.getenv()).check(hook, argv);
  }

  /** A refusal decided by a helper of this gate ({@link LlamaArgvPinner}): logged and applied like the others. */
  <T> T refuse(String hook, String location, RejectReason reason, String detail, T auditPassThrough) {
    return reject(hook, location, reason, detail, System.nanoTime(), auditPassThrough);
  }

  private <T> T overLimit(String hook, String location, long start, T auditPassThrough) {
    return reject(hook, location, RejectReason.TOO_LARGE, "model of more than " + settings.maxInMemoryBytes()
        + " bytes is over the in-memory limit", start, auditPassThrough);
  }

  /** Logs a refusal; throws it in enforce mode, returns {@code auditPassThrough} in audit mode (unless null). */
  <T> T reject(String hook, String location, RejectReason reason, String detail, long start,
      T auditPassThrough) {
    boolean audit = settings.mode() == AgentSettings.Mode.AUDIT && auditPassThrough != null;
    log.decision(hook, location, null, null, audit ? Decision.AUDIT_DENY : Decision.DENY, reason.name(),
        System.nanoTime() - start, detail);
    if (audit) {
      return auditPassThrough;
    }
    throw new ModelVerificationException(reason, location, detail);
  }

  @Override
  public Path checkTokenizer(String hook, Path path) {
    return tokenizers.checkPath(hook, path, TokenizerGate.Kind.TOKENIZER);
  }

  @Override
  public Path checkTokenizerFile(String hook, Path path) {
    return tokenizers.checkPath(hook, path, TokenizerGate.Kind.FILE);
  }

  @Override
  public Path checkTokenizerConfig(String hook, Path path) {
    return tokenizers.checkPath(hook, path, TokenizerGate.Kind.CONFIG);
  }

  @Override
  public InputStream checkTokenizerStream(String hook, InputStream in) {
    if (in instanceof VerifiedInputStream v && v.createdWith(token)) {
      return in;
    }
    return tokenizers.checkStream(hook, in);
  }

  @Override
  public String refuseHubName(String hook, String name) {
    return tokenizers.refuseHubName(hook, name);
  }
}
