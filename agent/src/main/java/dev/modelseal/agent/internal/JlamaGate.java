package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link Gate}'s checks for Jlama ({@link JlamaHooks}; what each hook guards: {@link JlamaModels}). A model directory
 * is checked as any model path ({@link Gate#checkPath(String, Path, PathStep, long)}); in addition, the weights files
 * its {@code model.safetensors.index.json} names must be plain file names in it ({@link JlamaModels#checkIndex}),
 * checked in the pinned copy before the load is allowed.
 */
final class JlamaGate {
  static final String HOOK_PREFIX = "com.github.tjake.jlama.";
  static final String LOAD_WITH_WEIGHTS = HOOK_PREFIX + "safetensors.SafeTensorIndex.loadWithWeights";

  private static final PathStep STEP = new Step();

  private final Gate gate;

  JlamaGate(Gate gate) {
    this.gate = gate;
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
    if (file == null) {
      return gate.reject(hook, "<null>", RejectReason.UNSUPPORTED_SOURCE, "no model path", start, null);
    }
    Path directory = JlamaModels.directoryOf(file);
    return JlamaModels.substitute(file, directory, gate.checkPath(hook, directory, STEP, start));
  }

  /** A Jlama model directory as a {@code Path} ({@code loadTokenizer}, {@code loadWithWeights}). */
  Path checkPath(String hook, Path directory, long start) {
    return gate.checkPath(hook, directory, STEP, start);
  }

  /**
   * The directory Jlama maps one weights file from ({@code loadSingleFile}): the name must be a file directly in it,
   * then the directory is checked as {@link #checkPath} does (an already pinned copy is handed on as it is).
   */
  Path checkWeightsFile(String hook, Path directory, Object fileName) {
    long start = System.nanoTime();
    String refused = JlamaModels.fileNameRefusal(fileName);
    if (refused != null && directory != null) {
      gate.reject(hook, directory.toAbsolutePath().toString(), RejectReason.UNSUPPORTED_SOURCE, refused, start,
          directory);
    }
    return gate.checkPath(hook, directory, STEP, start);
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

  /** The index check of a Jlama directory's pinned copy. */
  private static final class Step implements PathStep {
    @Override
    public String checkPinned(String hook, Path pinned, boolean fresh) throws Rejection, IOException {
      // A copy this agent pinned for a Jlama hook had its index checked then; one pinned for another runtime is
      // checked where Jlama maps what the index names.
      if (fresh || LOAD_WITH_WEIGHTS.equals(hook)) {
        JlamaModels.checkIndex(pinned);
      }
      return "";
    }
  }
}
