package dev.modelseal.agent.internal;

import java.io.File;
import java.nio.file.Path;

/**
 * Jlama's model loading (jlama-core 0.8.4, read with {@code javap -c -p}), for {@link Gate#checkFile},
 * {@link Gate#checkWeightsFile} and {@link Gate#checkWeights}. The hooks sit where Jlama reads model data:
 *
 * <ol>
 *   <li>{@code ModelSupport.loadModel(InferenceType, File model, File workingDirectory, DType, DType, Optional,
 *       Optional, Optional, Function<File, WeightLoader>)}, which every {@code loadModel*}, {@code
 *       loadEmbeddingModel} and {@code loadClassifierModel} calls: it takes {@code model}'s directory ({@code model}
 *       itself, or its parent when it is a file), reads {@code config.json} and the tokenizer from it and hands it to
 *       the weight loader. The directory is verified as a whole and Jlama gets the pinned copy (same file names).
 *       The working directory is left as it is: Jlama only writes its KV-cache pages there. {@code
 *       SafeTensorSupport.detectModel(File)} (config.json) and {@code loadTokenizer(Path)}, which {@code loadModel}
 *       calls with the pinned copy (handed on as it is), are checked the same way for other callers (LangChain4j's
 *       registry, an application that constructs a model itself).
 *   <li>{@code SafeTensorIndex.loadWithWeights(Path)} (the index {@code model.safetensors.index.json} and the
 *       shards it names) and {@code loadSingleFile(Path, String)} (one file in the directory): the only callers of
 *       the package-private {@code SafeTensorIndex.loadWeights(SafeTensorIndex, Path)}, the only code in jlama-core
 *       that maps weights into a {@code SafeTensorIndex} (whose only constructor is package-private, and whose
 *       weight map nothing else fills). The directory gets the same check as any model path: an already pinned
 *       copy (the one {@code loadModel} handed on, which {@code SafeTensorSupport.loadWeights} passes back) goes on
 *       as it is, any other is verified and pinned, or refused. So whichever weight loader runs, {@code
 *       SafeTensorSupport::loadWeights} passed by {@code ModelSupport} or written elsewhere (LangChain4j's {@code
 *       JlamaModel.Loader}), every {@code SafeTensorIndex} holds weights read from a verified location only.
 *   <li>{@code AbstractModel.<init>(InferenceType, Config, WeightLoader, Tokenizer, DType, DType, Optional)}, its
 *       only constructor (which every model's constructor calls, and the only writer of its final {@code weights}
 *       field): the weights must be a {@code SafeTensorIndex}; any other {@code WeightLoader} ({@code
 *       HTTPSafeTensorLoader}, jlama-net's, a {@code Weights} from {@code SafeTensorSupport.readWeights(ByteBuffer)},
 *       an application's own) may have read them from anywhere, and is refused before the model holds them.
 * </ol>
 */
final class JlamaModels {
  /** The only weights type a Jlama model may be constructed with (see the class comment). */
  static final String SAFE_TENSOR_INDEX = "com.github.tjake.jlama.safetensors.SafeTensorIndex";

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
   * Why {@code SafeTensorIndex.loadSingleFile}'s file name is refused, or null: Jlama maps {@code
   * Paths.get(directory.toString(), name)}, so only a plain name keeps the read inside the checked directory.
   */
  static String fileNameRefusal(Object fileName) {
    if (fileName instanceof String name && !name.isEmpty() && !name.equals(".") && !name.equals("..")
        && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0) {
      return null;
    }
    return "Jlama weights file name " + (fileName == null ? "null" : "\"" + fileName + "\"")
        + " is not a file directly in the verified directory";
  }

  /**
   * Why weights a Jlama model is constructed with are refused, or null: only jlama-core's {@code SafeTensorIndex}
   * (exactly that class: it cannot be subclassed outside its package) is allowed. Null weights hold nothing.
   */
  static String weightsRefusal(Object weights) {
    if (weights == null || weights.getClass().getName().equals(SAFE_TENSOR_INDEX)) {
      return null;
    }
    return "Jlama weights of type " + weights.getClass().getName() + ", which may have been read from elsewhere"
        + " than a verified model directory: only a SafeTensorIndex that Jlama read from a verified directory is"
        + " allowed (load the weights with SafeTensorSupport.loadWeights, or ModelSupport.loadModel)";
  }

  /** The location a refused weights object is logged under: its class, as the decision log shows it. */
  static String weightsLocation(Object weights) {
    return "<" + weights.getClass().getName() + ">";
  }
}
