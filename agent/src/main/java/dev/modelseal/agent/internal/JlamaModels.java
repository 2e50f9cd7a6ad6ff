package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.Json;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

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
 *       as it is, any other is verified and pinned, or refused. {@code loadWithWeights} maps {@code
 *       Paths.get(directory, name)} for every value of the index's {@code weight_map}, so every such name must be a
 *       plain file name ({@link #checkIndex}): checked in the pinned copy whenever a Jlama hook verifies a directory,
 *       and again at {@code loadWithWeights} for a copy handed in already pinned. So whichever weight loader runs,
 *       {@code SafeTensorSupport::loadWeights} passed by {@code ModelSupport} or written elsewhere (LangChain4j's
 *       {@code JlamaModel.Loader}), every {@code SafeTensorIndex} holds weights read from a verified location only.
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
  /** The safetensors index {@code SafeTensorIndex.loadWithWeights} reads from a model directory. */
  static final String INDEX = "model.safetensors.index.json";
  /** The largest index read (a model of thousands of shards has an index of well under a megabyte). */
  static final long MAX_INDEX_BYTES = 64L << 20;

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
   * Refuses a directory (a pinned copy) whose {@link #INDEX} names, in its {@code weight_map}, anything but a plain
   * file name ({@link #fileNameRefusal}): Jlama would map {@code Paths.get(directory, name)} for each, outside the
   * verified copy for a name with a separator or {@code ..}. The index is read as strict JSON (core's {@code Json}:
   * UTF-8, no duplicate names), so a document Jackson might read differently is refused rather than guessed at. A
   * directory without an index is not Jlama's sharded layout: nothing to check.
   */
  static void checkIndex(Path directory) throws Rejection, IOException {
    Path index = directory.resolve(INDEX);
    if (!Files.exists(index, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object document;
    try (FileChannel in = RegularFiles.openForReading(index)) {
      if (in.size() > MAX_INDEX_BYTES) {
        throw new Rejection(RejectReason.TOO_LARGE, INDEX + ": more than " + MAX_INDEX_BYTES + " bytes");
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) in.size());
      while (bytes.hasRemaining() && in.read(bytes) >= 0) {
        // reads the whole (read-only, pinned) index
      }
      bytes.flip();
      document = Json.parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString());
    } catch (CharacterCodingException e) {
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, INDEX + ": not UTF-8");
    } catch (Json.ParseException e) {
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, INDEX + ": not strict JSON: " + e.getMessage());
    }
    if (document instanceof Map<?, ?> fields && fields.get("weight_map") instanceof Map<?, ?> weights) {
      for (Object name : weights.values()) {
        String refused = fileNameRefusal(name == Json.NULL ? null : name);
        if (refused != null) {
          throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, INDEX + ": " + refused);
        }
      }
    }
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
