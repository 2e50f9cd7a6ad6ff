package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@link Gate}'s checks for Jlama ({@link JlamaHooks}; what each hook guards: {@link JlamaModels}). A model directory
 * is checked as any model path ({@link Gate#checkPath(String, Path, PathStep, long)}), with two additions:
 *
 * <ul>
 *   <li>The weights files its {@code model.safetensors.index.json} names must be plain file names in it ({@link
 *       JlamaModels#checkIndex}), checked in the pinned copy before the load is allowed.
 *   <li>One load, one verification: a directory verified and pinned by a Jlama hook is handed on again, without a
 *       second verification or decision, to the next Jlama directory check on the same thread if that names the same
 *       real directory (LangChain4j's registry calls {@code SafeTensorSupport.detectModel} on the model directory,
 *       then {@code ModelSupport.loadModel} on it again). The record is this thread's only, and the next Jlama
 *       directory check consumes it whether it matches or not, so it never outlives the load that made it. It can
 *       only hand on a copy this agent verified for exactly that real path, and only while the copy is still there:
 *       never bytes that were not verified; at worst the files as they were when this load began.
 * </ul>
 */
final class JlamaGate {
  static final String HOOK_PREFIX = "com.github.tjake.jlama.";
  static final String LOAD_WITH_WEIGHTS = HOOK_PREFIX + "safetensors.SafeTensorIndex.loadWithWeights";

  /** This thread's last Jlama directory verified and pinned (see the class comment). */
  private static final ThreadLocal<Verified> LAST_VERIFIED = new ThreadLocal<>();

  /** A real directory and the pinned copy of it that a Jlama check verified and allowed. */
  private record Verified(Path real, Path pinned) {}

  private final Gate gate;
  private final Pinner pinner;

  JlamaGate(Gate gate, Pinner pinner) {
    this.gate = gate;
    this.pinner = pinner;
  }

  /** Whether {@code hook} is one of Jlama's, whose paths are model directories checked here. */
  static boolean isJlamaHook(String hook) {
    return hook != null && hook.startsWith(HOOK_PREFIX);
  }

  /**
   * A Jlama model directory as a {@code File} ({@link JlamaModels#directoryOf}: the argument, or a file's parent):
   * Jlama gets the pinned copy of the directory, or the same-named file in it.
   */
  File checkFile(String hook, File file) {
    long start = System.nanoTime();
    Step step = new Step(LAST_VERIFIED.get());
    LAST_VERIFIED.remove();
    if (file == null) {
      return gate.reject(hook, "<null>", RejectReason.UNSUPPORTED_SOURCE, "no model path", start, null);
    }
    Path directory = JlamaModels.directoryOf(file);
    return JlamaModels.substitute(file, directory, gate.checkPath(hook, directory, step, start));
  }

  /** A Jlama model directory as a {@code Path} ({@code loadTokenizer}, {@code loadWithWeights}). */
  Path checkPath(String hook, Path directory, long start) {
    Step step = new Step(LAST_VERIFIED.get());
    LAST_VERIFIED.remove();
    return gate.checkPath(hook, directory, step, start);
  }

  /**
   * The directory Jlama maps one weights file from ({@code loadSingleFile}): the name must be a file directly in it,
   * then the directory is checked as {@link #checkPath} does (an already pinned copy is handed on as it is).
   */
  Path checkWeightsFile(String hook, Path directory, Object fileName) {
    long start = System.nanoTime();
    Step step = new Step(LAST_VERIFIED.get());
    LAST_VERIFIED.remove();
    String refused = JlamaModels.fileNameRefusal(fileName);
    if (refused != null && directory != null) {
      gate.reject(hook, directory.toAbsolutePath().toString(), RejectReason.UNSUPPORTED_SOURCE, refused, start,
          directory);
    }
    return gate.checkPath(hook, directory, step, start);
  }

  /** The weights a Jlama model is constructed with ({@link JlamaModels#weightsRefusal}): refused, or nothing. */
  void checkWeights(String hook, Object weights) {
    long start = System.nanoTime();
    String refused = JlamaModels.weightsRefusal(weights);
    if (refused != null) {
      gate.reject(hook, JlamaModels.weightsLocation(weights), RejectReason.UNSUPPORTED_SOURCE, refused, start,
          weights);
    }
  }

  /** One Jlama directory check: what it took from this thread's record, and the index check of the copy. */
  private final class Step implements PathStep {
    private final Verified taken;

    Step(Verified taken) {
      this.taken = taken;
    }

    @Override
    public Path reused(Path real) {
      if (taken == null || real == null || !taken.real().equals(real) || !pinner.isPinned(taken.pinned())
          || !Files.isDirectory(taken.pinned(), LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      return taken.pinned();
    }

    @Override
    public String checkPinned(String hook, Path pinned, boolean fresh) throws Rejection, IOException {
      // A copy this agent pinned for a Jlama hook had its index checked then; one pinned for another runtime is
      // checked where Jlama maps what the index names.
      if (fresh || LOAD_WITH_WEIGHTS.equals(hook)) {
        JlamaModels.checkIndex(pinned);
      }
      return "";
    }

    @Override
    public void allowed(Path real, Path pinned) {
      LAST_VERIFIED.set(new Verified(real, pinned));
    }
  }
}
