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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The agent's {@link GateHandler}: runs each check, writes the decision log, and applies the mode.
 * In enforce mode a rejection throws {@link ModelVerificationException} and the runtime gets
 * nothing; in audit mode the rejection is logged and the original argument goes through. Model paths
 * are checked here; models in memory by {@link ContentGate}, tokenizers by {@link TokenizerGate},
 * Jlama's directories by {@link JlamaGate} (through {@link #checkPath(String, Path, PathStep, long)}),
 * java-llama.cpp's arguments by {@link LlamaArgvPinner}. Every decision's duration runs from the
 * start of its check, refusals included.
 */
final class Gate implements GateHandler {
  /** DJL's ONNX Runtime model: it hands its directory's model to an ONNX Runtime session (by path). */
  private static final String DJL_ORT_MODEL_LOAD = "ai.djl.onnxruntime.engine.OrtModel.load";

  private final AgentSettings settings;
  private final DecisionLog log;
  private final ModelChecker checker;
  private final LocationVerifier locations;
  private final ExternalDataPinner externalData;
  private final OrtMemoryLoads memoryLoads;
  private final Object token = new Object();
  // Built on first use: most services use one kind of load, and a start-up should not load and link
  // the classes of the others.
  private volatile TokenizerGate tokenizers;
  private volatile JlamaGate jlama;
  private volatile ContentGate content;
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
    this.locations = new LocationVerifier(settings, checker, new OmsPinner(settings, checker.pinner(), checker.filePins()));
    this.externalData = new ExternalDataPinner(locations, checker.pinner());
    this.memoryLoads = new OrtMemoryLoads(checker, externalData, log, progress);
  }

  private TokenizerGate tokenizers() {
    TokenizerGate t = tokenizers;
    if (t == null) {
      synchronized (token) {
        t = tokenizers;
        if (t == null) {
          t = new TokenizerGate(this, settings, log, locations, checker.pinner(), token);
          tokenizers = t;
        }
      }
    }
    return t;
  }

  private JlamaGate jlama() {
    JlamaGate j = jlama;
    if (j == null) {
      synchronized (token) {
        j = jlama;
        if (j == null) {
          j = new JlamaGate(this, checker.pinner());
          jlama = j;
        }
      }
    }
    return j;
  }

  private ContentGate content() {
    ContentGate c = content;
    if (c == null) {
      synchronized (token) {
        c = content;
        if (c == null) {
          c = new ContentGate(this, settings, log, checker, externalData, token);
          content = c;
        }
      }
    }
    return c;
  }

  @Override
  public Path checkPath(String hook, Path path) {
    long start = System.nanoTime();
    return JlamaGate.isJlamaHook(hook) ? jlama().checkPath(hook, path, start) : checkPath(hook, path, null, start);
  }

  /**
   * Checks a model path as {@link #checkPath(String, Path)} does, with a runtime's own {@code step} (or null), timed
   * from {@code start}: the runtime gets the pinned copy of what was verified (or a path already pinned, or exempt).
   */
  Path checkPath(String hook, Path path, PathStep step, long start) {
    if (path == null) {
      return reject(hook, "<null>", RejectReason.UNSUPPORTED_SOURCE, "no model path", start, null);
    }
    Path absolute = path.toAbsolutePath().normalize();
    boolean onnxSession = OrtHooks.CREATE_SESSION_HOOK.equals(hook);
    // DJL hands a model directory (a repository's, or a Model's load) to whichever engine loads it: ONNX Runtime's
    // .onnx files may wait for its session. (Every DJL Model class, OrtModel, PtModel, ..., ends in "Model".)
    boolean djlDirectory = hook.startsWith("ai.djl.")
        && (hook.endsWith(".getResourceDirectory") || hook.endsWith("Model.load"));
    // Resolved once: the pinned and exempt tests, the verification and what the runtime is handed all
    // see the same real path, never the caller's, whose links may change after the check (a lexical
    // path can normalise into the pin folder and still resolve elsewhere).
    if (checker.pinner().isInPlacePin(absolute)) {
      // A file this agent verified in place, handed on: its link keeps the name; its real path is the original's.
      return onnxSession || step != null ? checkPinned(hook, absolute, step, start) : absolute;
    }
    Path real;
    IOException unresolved = null;
    try {
      real = path.toAbsolutePath().toRealPath(); // not the normalised path: ".." after a link is the kernel's
    } catch (IOException e) {
      real = absolute;
      unresolved = e;
    }
    Path reused = step == null ? null : step.reused(unresolved == null ? real : null);
    if (reused != null) {
      return reused; // verified, pinned and logged earlier in this same load
    }
    if (unresolved == null && checker.pinner().isPinned(real)) {
      // A copy this agent verified, handed on (DJL to ORT): its external data must be in it too. A DJL engine
      // other than ONNX Runtime reads it by path: the models in it that wait for a session become verified copies.
      if (djlDirectory && hook.endsWith("Model.load") && !hook.equals(DJL_ORT_MODEL_LOAD)) {
        try {
          memoryLoads.writeCopies(hook, real);
        } catch (Rejection r) {
          return reject(hook, absolute.toString(), r.reason, r.getMessage(), start, path);
        } catch (IOException e) {
          return reject(hook, absolute.toString(), RejectReason.PATH_REFUSED, "cannot read: " + e, start, path);
        }
      }
      return onnxSession || step != null ? checkPinned(hook, real, step, start) : real;
    }
    if (unresolved == null && settings.isExempt(real)) {
      log.decision(hook, absolute.toString(), null, null, Decision.EXEMPT, null, System.nanoTime() - start,
          "under an exempt path: loading " + real);
      return real;
    }
    // A session's model is logged by OrtMemoryLoads when it waits for it (its progress too): not known yet here.
    VerifyProgress.Started large = unresolved == null && !onnxSession
        ? progress.start(hook, absolute.toString(), real, null) : null;
    try {
      if (unresolved instanceof NoSuchFileException) {
        throw new Rejection(RejectReason.PATH_REFUSED, "no such file or directory");
      }
      if (unresolved != null) {
        throw unresolved;
      }
      Verdict v = locations.verifyAndPin(real, onnxSession || djlDirectory && Files.isDirectory(real));
      if (onnxSession && memoryLoads.isWaiting(v.pinned())) {
        return v.pinned(); // checkOrtPath loads it from memory and logs the decision
      }
      try {
        String more = onnxSession ? externalData.pinForPath(v.pinned(), real)
            : step != null ? step.checkPinned(hook, v.pinned(), true) : "";
        log.decision(hook, absolute.toString(), v.digest(), v.keyId(), Decision.ALLOW, null,
            System.nanoTime() - start, v.detail() + more + "; loading pinned copy " + v.pinned(),
            v.pin(), v.pinNote());
        if (step != null) {
          step.allowed(real, v.pinned());
        }
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

  /** A path already pinned: ORT's external data must be in the copy; a runtime's step checks it as it needs. */
  private Path checkPinned(String hook, Path pinned, PathStep step, long start) {
    if (step == null && memoryLoads.isWaiting(pinned)) {
      return pinned; // a session's model that waits for it: checkOrtPath loads it from memory
    }
    try {
      if (step != null) {
        step.checkPinned(hook, pinned, false);
      } else {
        externalData.pinForPath(pinned, null);
      }
      return pinned;
    } catch (Rejection r) {
      return reject(hook, pinned.toString(), r.reason, r.getMessage(), start, pinned);
    } catch (IOException e) {
      return reject(hook, pinned.toString(), RejectReason.PATH_REFUSED, "cannot read: " + e, start, pinned);
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
    long start = System.nanoTime();
    if (path == null || !ArchiveExtractor.isArchive(path)) {
      return path;
    }
    Path checked = checkPath(hook, path, null, start);
    if (!checker.pinner().isPinned(checked) && !settings.isExempt(checked)) {
      return checked; // refused in audit mode: DJL extracts it as it would without the agent
    }
    Path folder = null;
    try {
      folder = checker.pinner().newPinFolder();
      return ArchiveExtractor.extract(checked, folder);
    } catch (Rejection r) {
      discardArchive(checked, folder);
      return reject(hook, path.toAbsolutePath().toString(), r.reason, r.getMessage(), start, path);
    } catch (IOException e) {
      discardArchive(checked, folder);
      return reject(hook, path.toAbsolutePath().toString(), RejectReason.UNSUPPORTED_SOURCE,
          "cannot extract the verified archive: " + e, start, path);
    }
  }

  /** A refused archive leaves nothing: its pinned copy and what was extracted from it (audit passes the original). */
  private void discardArchive(Path pinnedArchive, Path extractFolder) {
    if (extractFolder != null) {
      checker.pinner().discard(extractFolder);
    }
    if (checker.pinner().isPinned(pinnedArchive)) {
      checker.pinner().discardPinOf(pinnedArchive);
    }
  }

  /**
   * A model source the agent cannot verify: DJL about to fetch or extract a model into its cache (where a folder
   * that already exists is used as is), or a {@code LocalRepository}, whose {@code metadata.json} sets options
   * and arguments. Refused, named by the hook, before DJL reads any of it.
   */
  @Override
  public void refuseSource(String hook) {
    long start = System.nanoTime();
    String what = hook.startsWith("ai.djl.repository.LocalRepository.")
        ? "a DJL LocalRepository (a folder with a nested metadata.json, whose options DJL applies)"
        : "DJL would fetch or extract the model into its cache (a jar:, djl://, http(s) or LocalRepository source)";
    reject(hook, hook, RejectReason.UNSUPPORTED_SOURCE, what + ", which ModelSeal cannot verify: load a signed"
        + " model directory, or a signed .zip/.tar.gz archive, by its local path", start, hook);
  }

  /** A Jlama model directory as a {@code File}, or a file in it ({@link JlamaGate#checkFile}). */
  @Override
  public File checkFile(String hook, File file) {
    return jlama().checkFile(hook, file);
  }

  /** The directory Jlama maps one weights file from ({@link JlamaGate#checkWeightsFile}). */
  @Override
  public Path checkWeightsFile(String hook, Path directory, Object fileName) {
    return jlama().checkWeightsFile(hook, directory, fileName);
  }

  /** The weights a Jlama model is constructed with ({@link JlamaGate#checkWeights}). */
  @Override
  public void checkWeights(String hook, Object weights) {
    jlama().checkWeights(hook, weights);
  }

  @Override
  public InputStream checkStream(String hook, InputStream in) {
    return content().checkStream(hook, in);
  }

  @Override
  public byte[] checkBytes(String hook, byte[] bytes) {
    return content().checkBytes(hook, bytes, false, null);
  }

  @Override
  public byte[] checkOrtBytes(String hook, byte[] bytes, Object options) {
    return content().checkBytes(hook, bytes, true, options);
  }

  @Override
  public ByteBuffer checkBuffer(String hook, ByteBuffer buffer) {
    return content().checkBuffer(hook, buffer, false, null);
  }

  @Override
  public ByteBuffer checkOrtBuffer(String hook, ByteBuffer buffer, Object options) {
    if (memoryLoads.takeHandedOver(buffer)) {
      return buffer; // the verified bytes checkOrtPath just read, on their way into this session
    }
    return content().checkBuffer(hook, buffer, true, options);
  }

  /**
   * An ONNX Runtime session's model path: checked as {@link #checkPath(String, Path)} does; a model that waited for
   * its session ({@link OnnxMemoryPins}) is read once, verified, and returned as a direct buffer, which the session
   * is created from instead ({@link Check#ORT_PATH}). Otherwise the path to load, as a string.
   */
  @Override
  public Object checkOrtPath(String hook, Path path, Object options) {
    long start = System.nanoTime();
    Path checked = checkPath(hook, path, null, start);
    if (!memoryLoads.isWaiting(checked)) {
      return checked.toString();
    }
    String original = memoryLoads.sourceOf(checked).toString(); // audit mode loads it, not the empty placeholder
    // A placeholder handed on (DJL to ORT) is named by its original, which is what the user knows.
    Path asked = path.toAbsolutePath().normalize();
    String location = asked.equals(checked) ? original : asked.toString();
    try {
      return memoryLoads.load(hook, location, checked, start);
    } catch (Rejection r) {
      return reject(hook, location, r.reason, r.getMessage(), start, original);
    } catch (IOException e) {
      return reject(hook, location, RejectReason.PATH_REFUSED, "cannot read: " + e, start, original);
    }
  }

  @Override
  public String checkStringContent(String hook, String text) {
    return content().checkStringContent(hook, text);
  }

  /**
   * java-llama.cpp's argument vector, on its way to the native {@code loadModel}: every file llama.cpp would read
   * is verified and pinned as {@link #checkPath} does, downloads are refused ({@link LlamaArgvPinner}).
   */
  @Override
  public String[] checkLlamaArgs(String hook, String[] argv) {
    return new LlamaArgvPinner(this, settings, checker.pinner(), System.getenv()).check(hook, argv);
  }

  /**
   * Logs a refusal, with its duration since {@code start} (when its check began); throws it in enforce mode, returns
   * {@code auditPassThrough} in audit mode (unless null).
   */
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
    return tokenizers().checkPath(hook, path, TokenizerGate.Kind.TOKENIZER);
  }

  @Override
  public Path checkTokenizerFile(String hook, Path path) {
    return tokenizers().checkPath(hook, path, TokenizerGate.Kind.FILE);
  }

  @Override
  public Path checkTokenizerMerges(String hook, Path path) {
    return tokenizers().checkPath(hook, path, TokenizerGate.Kind.MERGES);
  }

  @Override
  public Path checkTokenizerConfig(String hook, Path path) {
    return tokenizers().checkPath(hook, path, TokenizerGate.Kind.CONFIG);
  }

  @Override
  public InputStream checkTokenizerStream(String hook, InputStream in) {
    if (in instanceof VerifiedInputStream v && v.createdWith(token)) {
      return in;
    }
    return tokenizers().checkStream(hook, in);
  }

  @Override
  public String refuseHubName(String hook, String name) {
    return tokenizers().refuseHubName(hook, name);
  }
}
