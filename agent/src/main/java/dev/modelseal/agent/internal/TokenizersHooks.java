package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.MAP;
import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STREAM;
import static dev.modelseal.agent.internal.MethodHook.STRING;

import java.util.List;

/**
 * DJL's Hugging Face tokenizers ({@code ai.djl.huggingface.tokenizers}): every {@code Builder.build()} and
 * public {@code newInstance} funnels into the overloads below (javap on 0.36.0). Tokenizer files are verified
 * and pinned alone ({@link LocationVerifier#verifyAndPinFile}), streams by in-memory match ({@link TokenizerGate}), and a hub id,
 * which the native library would download, is refused.
 */
final class TokenizersHooks implements RuntimeHooks {
  private static final String TOKENIZER = "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer";

  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact(TOKENIZER).hooks(
          MethodHook.named("newInstance").paramsStartWith(PATH, MAP).paramCount(2).staticMethod()
              .argument(0).check(Check.TOKENIZER).required(),
          MethodHook.named("newInstance").paramsStartWith(PATH, STRING, MAP).paramCount(3).staticMethod()
              .argument(0).check(Check.TOKENIZER).optional(),
          // vocab.json and merges.txt: the native createBpeTokenizer reads both by path. The vocabulary is checked
          // first (hooks on one method run in this order), then the merges, whose refusal drops the vocabulary's pin.
          MethodHook.named("newInstance").paramsStartWith(PATH, PATH, MAP).paramCount(3).staticMethod()
              .argument(0).check(Check.TOKENIZER_FILE).required(),
          MethodHook.named("newInstance").paramsStartWith(PATH, PATH, MAP).paramCount(3).staticMethod()
              .argument(1).check(Check.TOKENIZER_MERGES).required(),
          MethodHook.named("newInstance").paramsStartWith(STREAM, MAP).anyParamCount().staticMethod()
              .argument(0).check(Check.TOKENIZER_STREAM).required(),
          MethodHook.named("newInstance").paramsStartWith(STRING, MAP).paramCount(2).staticMethod()
              .argument(0).check(Check.HUB_NAME).required()),
      TypeHooks.exact("ai/djl/huggingface/tokenizers/TokenizerConfig").hooks(
          MethodHook.named("load").paramsStartWith(PATH).paramCount(1).staticMethod()
              .argument(0).check(Check.TOKENIZER_CONFIG).required()));

  @Override
  public String name() {
    return "DJL Hugging Face tokenizers";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("ai/djl/huggingface/tokenizers/");
  }

  @Override
  public String supportedVersions() {
    return "ai.djl.huggingface:tokenizers 0.36.0";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
