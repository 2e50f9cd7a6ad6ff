package dev.modelseal.agent.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Jlama's model loading, for the {@code FILE} check of {@link Gate#checkFile}. Every public
 * {@code ModelSupport.loadModel*}, {@code loadEmbeddingModel} and {@code loadClassifierModel} of jlama-core 0.8.4
 * calls the static {@code loadModel(InferenceType, File model, File workingDirectory, DType, DType, Optional,
 * Optional, Optional, Function<File, WeightLoader>)} ({@code javap -c -p}); its body takes {@code model}'s
 * directory ({@code model} itself, or {@code model.getParentFile()} when it is a file), reads {@code config.json}
 * and the tokenizer ({@code tokenizer.json}, {@code tokenizer_config.json}) from it, and hands it to the weight
 * loader, whose default maps {@code model.safetensors}, or {@code model.safetensors.index.json} and every shard it
 * names, from that same directory. Jlama never reads a model file by any other path afterwards.
 *
 * <p>So the agent verifies that directory as a whole and Jlama receives the pinned copy (the same file names). The
 * working directory is left as it is: Jlama only writes there (its KV-cache pages, {@code <session>-L<layer>C<chunk>
 * .page}, opened read-write and mapped; a fresh private temporary directory when the argument is null), it reads no
 * model data from it.
 *
 * <p>The weight loader decides where the weights come from: a custom one (jlama-net's HTTP loader, an application's
 * own) may ignore the verified directory. Only Jlama's default is allowed, recognised by its class: the lambda that
 * {@code ModelSupport}'s own overloads pass ({@code SafeTensorSupport::loadWeights}, the only {@code Function} lambda
 * in that class) is a hidden class nested in {@code ModelSupport} that captures nothing. A hidden class joins the
 * nest of {@code ModelSupport} only when defined through a full-privilege lookup on it, which only that class's own
 * {@code invokedynamic} sites have (code that forges one by deep reflection is hostile code already running in the
 * JVM, outside what the agent protects). A method reference to the same default written in another class (as
 * LangChain4j's {@code JlamaModel.Loader.load()} passes it) is indistinguishable from any other lambda, and is
 * refused too.
 */
final class JlamaModels {
  /** The class whose lambda is Jlama's default weight loader. */
  static final String MODEL_SUPPORT = "com.github.tjake.jlama.model.ModelSupport";

  private JlamaModels() {}

  /**
   * The directory Jlama loads for its model argument, resolved as Jlama does: the argument itself, or, for a
   * regular file, its parent (made absolute against the working directory first).
   */
  static Path directoryOf(File model) {
    File absolute = model.getAbsoluteFile();
    return (absolute.isFile() ? absolute.getParentFile() : absolute).toPath();
  }

  /**
   * What Jlama receives instead of {@code model}, once {@code directory} (from {@link #directoryOf}) was checked and
   * {@code checked} returned for it: the same argument if nothing changed (an audit-mode refusal), else the checked
   * directory, or the file of the same name in it.
   */
  static File substitute(File model, Path directory, Path checked) {
    if (checked.equals(directory)) {
      return model;
    }
    return model.getAbsoluteFile().isFile() ? new File(checked.toFile(), model.getName()) : checked.toFile();
  }

  /**
   * Why a weight loader is refused, or null when it is Jlama's own default (see the class comment).
   *
   * @param loader the {@code Function<File, WeightLoader>} Jlama would call with the model directory
   */
  static String refusal(Object loader) {
    if (loader == null) {
      return "no Jlama weight loader";
    }
    Class<?> type = loader.getClass();
    Class<?> host = type.getNestHost();
    if (loader instanceof Function && type.isHidden() && host.getName().equals(MODEL_SUPPORT)
        && type.getDeclaredFields().length == 0) {
      return null;
    }
    String definedBy = type.isHidden() ? host.getName() : type.getName();
    return "a custom Jlama weight loader (defined by " + definedBy + "), which may read the weights from"
        + " elsewhere than the verified model directory: only Jlama's default loader is allowed (call"
        + " ModelSupport.loadModel, loadEmbeddingModel or loadClassifierModel without a weight loader)";
  }
}
