package dev.modelseal.agent.internal;

import java.util.List;

/**
 * java-llama.cpp ({@code de.kherud.llama}): {@code LlamaModel.<init>}, the only caller of the private native
 * {@code loadModel(String...)}, passes it {@code ModelParameters.toArray()}, a synthetic bridge (never woven) to
 * {@code CliParameters.toArray()}, whose returned argument vector is checked here: every file llama.cpp would read
 * becomes its pinned copy, downloads are refused ({@link LlamaArgvPinner}). Required: a version without it is
 * refused (fail closed).
 */
final class LlamaCppHooks implements RuntimeHooks {
  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact("de/kherud/llama/CliParameters").hooks(
          MethodHook.named("toArray").paramCount(0).instanceMethod().returnValue().check(Check.LLAMA_ARGV)
              .required()));

  @Override
  public String name() {
    return "java-llama.cpp";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("de/kherud/llama/");
  }

  @Override
  public String supportedVersions() {
    return "de.kherud:llama 4.2.0";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
