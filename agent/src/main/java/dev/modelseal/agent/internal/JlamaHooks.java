package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STRING;

import java.util.List;

/**
 * Jlama ({@code com.github.tjake.jlama}, Java 21+; javap on jlama-core 0.8.4), see {@link JlamaModels}: every
 * {@code ModelSupport.loadModel*}, {@code loadEmbeddingModel} and {@code loadClassifierModel} funnels into the
 * 9-argument {@code loadModel}, whose model directory is verified as a whole; the config, tokenizer and weights are
 * read only from a verified copy, whoever reads them (LangChain4j's loader, an application building a model
 * itself); and a model's weights must be Jlama's own {@code SafeTensorIndex}, checked at {@code AbstractModel}'s
 * only constructor. All are required: a version without them is refused (fail closed).
 */
final class JlamaHooks implements RuntimeHooks {
  private static final String FILE = "Ljava/io/File;";
  private static final String INFERENCE_TYPE = "Lcom/github/tjake/jlama/model/AbstractModel$InferenceType;";

  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact("com/github/tjake/jlama/model/ModelSupport").hooks(
          MethodHook.named("loadModel").paramsStartWith(INFERENCE_TYPE, FILE, FILE).paramCount(9).staticMethod()
              .argument(1).check(Check.FILE).required()),
      // The model's config (its type) and tokenizer: from a verified directory (a pinned one goes on as it is).
      TypeHooks.exact("com/github/tjake/jlama/safetensors/SafeTensorSupport").hooks(
          MethodHook.named("detectModel").paramsStartWith(FILE).paramCount(1).staticMethod()
              .argument(0).check(Check.FILE).required(),
          MethodHook.named("loadTokenizer").paramsStartWith(PATH).paramCount(1).staticMethod()
              .argument(0).check(Check.PATH).required()),
      // The only two callers of the package-private SafeTensorIndex.loadWeights, the only code that maps weights.
      TypeHooks.exact("com/github/tjake/jlama/safetensors/SafeTensorIndex").hooks(
          MethodHook.named("loadWithWeights").paramsStartWith(PATH).paramCount(1).staticMethod()
              .argument(0).check(Check.PATH).required(),
          MethodHook.named("loadSingleFile").paramsStartWith(PATH, STRING).paramCount(2).staticMethod()
              .argument(0).check(Check.WEIGHTS_FILE).required()),
      // Its only constructor: every model's weights, whoever loaded them.
      TypeHooks.exact("com/github/tjake/jlama/model/AbstractModel").hooks(
          MethodHook.constructor().paramsStartWith(INFERENCE_TYPE, "Lcom/github/tjake/jlama/safetensors/Config;",
              "Lcom/github/tjake/jlama/safetensors/WeightLoader;").paramCount(7)
              .argument(2).check(Check.WEIGHTS).required()));

  @Override
  public String name() {
    return "Jlama";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("com/github/tjake/jlama/");
  }

  @Override
  public String supportedVersions() {
    return "com.github.tjake:jlama-core 0.8.4";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
