package dev.modelseal.agent.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every named setting the agent reads, in one place: its name, where it may be given, and its
 * meaning as the README states it ({@code AgentOptionTest} checks the README's tables against this).
 * Top-level options come from the agent arguments, {@code modelseal.<name>} system properties and
 * {@code MODELSEAL_<NAME>} environment variables ({@link AgentArgs}); config settings from the config
 * file ({@link ConfigFile}), which also takes {@code key.<name>}, {@code identity.<name>.*} and {@code
 * rule.<name>.*}. Their
 * values are parsed, and their precedence decided, by {@link AgentSettings#load}.
 */
enum AgentOption {
  KEY("key", true, false, "a trusted public key (PEM)"),
  CONFIG("config", true, false, "a config file (below)"),
  MODE("mode", true, true, "`enforce` (default) or `audit`"),
  AUDIT_LOG("audit-log", true, true, "decision log file (JSON lines); default stderr"),
  MODELS("models", true, true, "model roots (`:`-separated) searched for in-memory (stream, `byte[]`) loads"),
  PIN_DIR("pin-dir", false, true, "where verified copies live (default: the system temp directory)"),
  MAX_IN_MEMORY("max-in-memory", false, true, "bound for stream and byte[] sources, and ONNX models loaded from memory"),
  LEGACY_SHA256("legacy-sha256", false, true, "also accept P-384/P-521 signatures made by cosign 2.5 and earlier"),
  EXEMPT("exempt", false, true, "loaded unverified, logged as \"exempt\""),
  SEALED_ROOTS("sealed-roots", true, true, "`true` (default): every read-only Java open of a file under the model roots"
      + " and rule paths gets verified bytes; `false` leaves such reads to the runtime hooks"),
  PIN("pin", true, true, "how a verified file reaches the runtime: `auto` (default: the cheapest whose guarantee holds),"
      + " `in-place`, `memory`, `clone` or `copy`"),
  TRUSTED_OWNERS("trusted-owners", false, true, "uids (comma-separated; default 0) whose files, writable by no one"
      + " else, may be loaded in place"),
  VERIFIED_CACHE("verified-cache", false, true, "`true` (default): in-place files unchanged since they were hashed"
      + " are not hashed again after a restart"),
  TRUSTED_ROOT("trusted-root", false, true, "Sigstore `trusted_root.json` for keyless signatures (default: the one"
      + " shipped with ModelSeal)");

  /** The top-level option names, in the order error messages list them. */
  static final List<String> TOP_LEVEL = names(true);
  /** The config file's named settings (besides {@code key.<name>}, {@code identity.<name>.*}, {@code rule.<name>.*}). */
  static final List<String> CONFIG_SETTINGS = names(false);

  final String optionName;
  final boolean topLevel;
  final boolean inConfigFile;
  final String meaning;

  AgentOption(String optionName, boolean topLevel, boolean inConfigFile, String meaning) {
    this.optionName = optionName;
    this.topLevel = topLevel;
    this.inConfigFile = inConfigFile;
    this.meaning = meaning;
  }

  /** The system property that sets a top-level option. */
  String systemProperty() {
    return AgentArgs.PROPERTY_PREFIX + optionName;
  }

  /** The environment variable that sets a top-level option. */
  String environmentVariable() {
    return AgentArgs.envName(optionName);
  }

  private static List<String> names(boolean topLevel) {
    List<String> names = new ArrayList<>();
    for (AgentOption o : values()) {
      if (topLevel ? o.topLevel : o.inConfigFile) {
        names.add(o.optionName);
      }
    }
    return Collections.unmodifiableList(names);
  }
}
