package dev.modelseal.agent.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What llama.cpp's argument parser ({@code common_params_parse}; llama.cpp b4916, as java-llama.cpp 4.2.0 bundles
 * it) reads files or downloads from, as read from that build's own usage text and tried against it:
 * <ul>
 *   <li>A flag is looked up after {@code _} becomes {@code -} in a {@code --} token ({@code --model_draft} is
 *       {@code --model-draft}); {@code --flag=value} is not accepted (an invalid argument).</li>
 *   <li>{@code --lora-scaled} and {@code --control-vector-scaled} take two arguments, {@code FNAME SCALE}: the file
 *       is the token after the flag, whole. (java-llama.cpp 4.2.0 writes {@code path,scale} as one token, which
 *       this parser reads as the file name and then fails on the next token as the scale.)</li>
 *   <li>Some flags also come from environment variables ({@code LLAMA_ARG_MODEL}...), used when the argument
 *       vector does not set them; with no model at all it loads {@link #DEFAULT_MODEL} from the working
 *       directory; a Hugging Face or URL source wins over {@code --model}.</li>
 * </ul>
 * Not model inputs, so not checked: {@code --log-file} (written), {@code --slot-save-path} (java-llama.cpp has no
 * slot save or restore), {@code --api-key-file}, {@code --ssl-key-file}, {@code --ssl-cert-file} and
 * {@code --path} (llama.cpp's HTTP server only, which java-llama.cpp never starts), inline values such as
 * {@code --grammar}, {@code --chat-template} and {@code --override-kv} (the application's own settings).
 */
final class LlamaArguments {
  /** How a flag's argument is treated. */
  enum Kind {
    /** A model GGUF (possibly the first shard of a split model): verified and pinned. */
    MODEL,
    /** Another file llama.cpp reads (adapter, control vector, grammar, template): verified and pinned. */
    FILE,
    /** A download (URL, Hugging Face, a preset model): refused. */
    SOURCE,
    /** Anything else: left alone. */
    OTHER
  }

  /** The model llama.cpp loads, relative to the working directory, when nothing names one. */
  static final String DEFAULT_MODEL = "models/7B/ggml-model-f16.gguf";

  /** {@code NAME-0000k-of-0000N.gguf}: shard k of a split model, whose siblings llama.cpp opens by name. */
  static final Pattern SPLIT = Pattern.compile("-(\\d{5})-of-(\\d{5})\\.gguf$");

  private static final Set<String> MODEL_FLAGS = Set.of("-m", "--model", "-md", "--model-draft", "-mv",
      "--model-vocoder");
  /** Includes {@code --mmproj}, which llama.cpp builds newer than b4916 accept. */
  private static final Set<String> FILE_FLAGS = Set.of("--lora", "--lora-scaled", "--control-vector",
      "--control-vector-scaled", "--grammar-file", "--chat-template-file", "-mm", "--mmproj");
  private static final Set<String> SOURCE_FLAGS = Set.of("-mu", "--model-url", "-hf", "-hfr", "--hf-repo", "-hff",
      "--hf-file", "-hfv", "-hfrv", "--hf-repo-v", "-hffv", "--hf-file-v", "-hfd", "-hfrd", "--hf-repo-draft",
      "-mmu", "--mmproj-url");

  /** Environment variables naming a file, and the flag each stands for. */
  static final Map<String, String> FILE_VARIABLES = Map.of("LLAMA_ARG_MODEL", "--model",
      "LLAMA_ARG_MODEL_DRAFT", "--model-draft", "LLAMA_ARG_CHAT_TEMPLATE_FILE", "--chat-template-file");
  /** Environment variables naming a download. */
  static final List<String> SOURCE_VARIABLES = List.of("LLAMA_ARG_MODEL_URL", "LLAMA_ARG_HF_REPO",
      "LLAMA_ARG_HF_FILE", "LLAMA_ARG_HF_REPO_V", "LLAMA_ARG_HF_FILE_V", "LLAMA_ARG_HFD_REPO");

  private LlamaArguments() {}

  /** The flag as llama.cpp looks it up: {@code _} becomes {@code -} in a {@code --} token. */
  static String normalize(String token) {
    return token.startsWith("--") ? token.replace('_', '-') : token;
  }

  /** What llama.cpp does with the argument of {@code token}, taken as a flag. */
  static Kind kind(String token) {
    String flag = normalize(token);
    if (MODEL_FLAGS.contains(flag)) {
      return Kind.MODEL;
    }
    if (FILE_FLAGS.contains(flag)) {
      return Kind.FILE;
    }
    // Preset models (--embd-bge-small-en-default, --fim-qwen-7b-spec...) download from Hugging Face.
    if (SOURCE_FLAGS.contains(flag) || (flag.startsWith("--") && (flag.endsWith("-default")
        || flag.endsWith("-spec")))) {
      return Kind.SOURCE;
    }
    return Kind.OTHER;
  }

  /** Whether {@code token} names the main model ({@code -m}, {@code --model}). */
  static boolean isMainModel(String token) {
    String flag = normalize(token);
    return flag.equals("-m") || flag.equals("--model");
  }

  /** Whether {@code token}, as a flag, stands for the same setting as the long flag {@code flag}. */
  static boolean sameSetting(String token, String flag) {
    String t = normalize(token);
    return switch (flag) {
      case "--model" -> t.equals("-m") || t.equals(flag);
      case "--model-draft" -> t.equals("-md") || t.equals(flag);
      default -> t.equals(flag);
    };
  }

  /**
   * The shards llama.cpp opens for a model path: every {@code NAME-0000i-of-0000N.gguf} beside it if its name is
   * shard k of N (1 &le; k &le; N), in order; otherwise the path alone.
   */
  static List<Path> shards(Path model) {
    Path name = model.getFileName();
    Matcher m = name == null ? null : SPLIT.matcher(name.toString());
    if (m == null || !m.find()) {
      return List.of(model);
    }
    int k = Integer.parseInt(m.group(1));
    int n = Integer.parseInt(m.group(2));
    if (k < 1 || k > n) {
      return List.of(model);
    }
    String prefix = name.toString().substring(0, m.start());
    List<Path> shards = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      shards.add(model.resolveSibling(String.format("%s-%05d-of-%05d.gguf", prefix, i, n)));
    }
    return shards;
  }
}
