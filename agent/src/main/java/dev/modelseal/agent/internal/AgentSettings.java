package dev.modelseal.agent.internal;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.TrustedRoot;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's configuration: built once in premain by {@link #load}, immutable afterwards. Nothing
 * reads system properties, the environment or the config file again, so a later {@code
 * System.setProperty("modelseal.mode", "audit")} changes nothing.
 *
 * <p><b>Sources, highest precedence first:</b>
 *
 * <ol>
 *   <li>agent arguments ({@link AgentArgs#parse}): {@code key}, {@code config}, {@code mode},
 *       {@code audit-log}, {@code models};
 *   <li>system properties {@code modelseal.<same names>};
 *   <li>environment variables {@code MODELSEAL_KEY}, {@code MODELSEAL_CONFIG}, {@code
 *       MODELSEAL_MODE}, {@code MODELSEAL_AUDIT_LOG}, {@code MODELSEAL_MODELS};
 *   <li>the config file named by {@code config} ({@link ConfigFile}).
 * </ol>
 *
 * <p>For {@code key}, {@code config}, {@code mode}, {@code audit-log} and {@code models} the
 * highest source that sets the option wins and lower ones are ignored (not even validated). The
 * {@code key} option adds a trusted key named {@code default} next to the config file's {@code
 * key.<name>} keys (a config key also named {@code default} is an error). {@code pin} ({@link PinMode}) is a
 * top-level option too, which a property or the environment may not force to {@code in-place} on a config file.
 * Everything else ({@code pin-dir}, {@code max-in-memory}, {@code legacy-sha256}, {@code exempt}, {@code
 * trusted-owners}, {@code verified-cache}, {@code trusted-root}, keys, identities and rules) comes only from the config
 * file, which is always fully
 * validated. Relative {@code key}, {@code config} and
 * {@code audit-log} paths from sources 1–3 resolve against the working directory.
 *
 * <p><b>Defaults:</b> mode {@code enforce}, pin {@code auto}, trusted owners {@code 0}, verified cache on, audit
 * log {@code null} (stderr), pin dir {@code null}
 * (agent's choice), max-in-memory {@link #defaultMaxInMemory} (2 GiB, or a quarter of the heap's maximum
 * if that is less), legacy SHA-256 off, no rules, no
 * exemptions, model roots = rule prefixes.
 *
 * <p><b>Keyless signers:</b> the config file's {@code identity.<name>.*} ({@link TrustedIdentity}) are trusted next to
 * the keys and named in rules as {@code rule.<name>.identities}; with no rules they are trusted everywhere, as keys
 * are. When there is one, the trusted root ({@code trusted-root}, else {@link TrustedRoot#shipped()}) is read here,
 * once, and frozen; with none it is never read (an agent without identities loads no keyless code).
 *
 * <p><b>Failure:</b> {@link #load} throws {@link SettingsException} with one line for anything it
 * cannot use, including no trusted key or identity at all; it never falls back to a weaker setting. Prefix paths
 * (rules, exemptions, model roots) must be absolute and are compared component-wise after {@link
 * #canonicalPrefix}. Key files are read with {@link CosignKeyReader#readPublicKey(Path)} (plain
 * java.nio; no logging, as befits premain).
 */
final class AgentSettings {
  /** Whether a failed verification blocks the load ({@code ENFORCE}) or is only logged. */
  enum Mode { ENFORCE, AUDIT }

  /** The most the default bound for stream and byte[] model sources can be: 2 GiB. */
  static final long MAX_DEFAULT_IN_MEMORY = 2L * 1024 * 1024 * 1024;

  /** Name of the trusted key set by the {@code key} option. */
  static final String DEFAULT_KEY_NAME = "default";

  private final Mode mode;
  private final List<TrustedKey> keys;
  private final List<TrustedIdentity> identities;
  private final List<PathRule> rules;
  private final Map<PathRule, List<TrustedKey>> ruleKeys;
  private final Map<PathRule, List<TrustedIdentity>> ruleIdentities;
  private final List<Path> exempt;
  private final List<Path> modelRoots;
  private final Path auditLog;
  private final Path pinDir;
  private final long maxInMemoryBytes;
  private final boolean acceptLegacySha256;
  /** The sealed roots ({@link SealedReads}), as written and as real paths; empty when sealing is off. */
  private final List<String> sealedRoots;
  private final PinMode pinMode;
  private final Set<Integer> trustedOwners;
  private final boolean verifiedCache;

  private AgentSettings(Mode mode, List<TrustedKey> keys, List<TrustedIdentity> identities, List<PathRule> rules,
      List<Path> exempt, List<Path> modelRoots, Path auditLog, Path pinDir, long maxInMemoryBytes,
      boolean acceptLegacySha256, List<String> sealedRoots, PinMode pinMode, Set<Integer> trustedOwners,
      boolean verifiedCache) {
    this.identities = List.copyOf(identities);
    this.sealedRoots = List.copyOf(sealedRoots);
    this.pinMode = pinMode;
    this.trustedOwners = Set.copyOf(trustedOwners);
    this.verifiedCache = verifiedCache;
    this.mode = mode;
    this.keys = List.copyOf(keys);
    this.rules = List.copyOf(rules);
    this.exempt = List.copyOf(exempt);
    this.modelRoots = List.copyOf(modelRoots);
    this.auditLog = auditLog;
    this.pinDir = pinDir;
    this.maxInMemoryBytes = maxInMemoryBytes;
    this.acceptLegacySha256 = acceptLegacySha256;
    // Identity map, loops instead of streams: this runs in premain, where every first use of a
    // lambda, stream or record equals/hashCode (invokedynamic bootstraps) costs start-up time.
    Map<PathRule, List<TrustedKey>> byRule = new java.util.IdentityHashMap<>();
    for (PathRule rule : this.rules) {
      List<TrustedKey> allowed = new ArrayList<>();
      for (TrustedKey k : this.keys) {
        if (rule.keyNames().contains(k.name())) {
          allowed.add(k);
        }
      }
      byRule.put(rule, List.copyOf(allowed));
    }
    this.ruleKeys = Collections.unmodifiableMap(byRule);
    Map<PathRule, List<TrustedIdentity>> identitiesByRule = new java.util.IdentityHashMap<>();
    for (PathRule rule : this.rules) {
      List<TrustedIdentity> allowed = new ArrayList<>();
      for (TrustedIdentity i : this.identities) {
        if (rule.identityNames().contains(i.name())) {
          allowed.add(i);
        }
      }
      identitiesByRule.put(rule, List.copyOf(allowed));
    }
    this.ruleIdentities = Collections.unmodifiableMap(identitiesByRule);
  }

  /**
   * Reads every source once and validates the result.
   *
   * @param agentArgs the premain argument string, may be {@code null}
   * @param systemProperties a snapshot of the system properties
   * @param environment a snapshot of the environment
   * @throws SettingsException with a one-line message if anything is invalid or no key is trusted
   */
  static AgentSettings load(String agentArgs, Map<String, String> systemProperties,
      Map<String, String> environment) throws SettingsException {
    return load(agentArgs, systemProperties, environment, null);
  }

  /**
   * {@link #load(String, Map, Map)} for the packaged agent: the shipped trusted root, if needed, is read from
   * {@code agentJar} itself ({@link AgentJar}); null reads it from the class path.
   */
  static AgentSettings load(String agentArgs, Map<String, String> systemProperties,
      Map<String, String> environment, AgentJar agentJar) throws SettingsException {
    Map<String, String> options = AgentArgs.merge(agentArgs,
        Objects.requireNonNull(systemProperties, "systemProperties"),
        Objects.requireNonNull(environment, "environment"));
    String configValue = options.get("config");
    ConfigFile config = configValue == null ? null : ConfigFile.read(absolute(configValue));
    if (config != null) {
      StrictSettings.requireNoWeakeningOf(config, AgentArgs.parse(agentArgs), options, systemProperties);
      StrictSettings.requireSealedRootsKept(config, AgentArgs.parse(agentArgs), options, systemProperties);
      StrictSettings.requireNoForcedInPlace(config, AgentArgs.parse(agentArgs), options, systemProperties);
    }
    String pinValue = options.get("pin");
    PinMode pinMode = pinValue != null ? PinMode.parse(pinValue, "")
        : config != null && config.pin != null ? config.pin : PinMode.AUTO;

    String modeValue = options.get("mode");
    Mode mode = modeValue != null ? parseMode(modeValue, "")
        : config != null && config.mode != null ? config.mode : Mode.ENFORCE;
    String auditValue = options.get("audit-log");
    Path auditLog = auditValue != null ? absolute(auditValue) : config == null ? null : config.auditLog;

    Map<String, Path> keyFiles = new LinkedHashMap<>();
    String keyValue = options.get("key");
    if (keyValue != null) {
      keyFiles.put(DEFAULT_KEY_NAME, absolute(keyValue));
    }
    if (config != null) {
      for (ConfigFile.KeyEntry entry : config.keys.values()) {
        if (keyFiles.containsKey(entry.name())) {
          throw new SettingsException(config.at(entry.line()) + "key." + DEFAULT_KEY_NAME
              + " clashes with the key set by the \"key\" option; rename one of them");
        }
        keyFiles.put(entry.name(), entry.file());
      }
    }
    List<ConfigFile.IdentityEntry> identityEntries = config == null ? List.of() : config.identities();
    if (keyFiles.isEmpty() && identityEntries.isEmpty()) {
      throw new SettingsException("no trusted keys configured (set key=/path/to/cosign.pub"
          + " or a config file with key.<name> = ... or identity.<name>.san and identity.<name>.issuer)");
    }
    List<TrustedKey> keys = new ArrayList<>();
    for (Map.Entry<String, Path> e : keyFiles.entrySet()) {
      keys.add(TrustedKey.read(e.getKey(), e.getValue()));
    }
    List<TrustedIdentity> identities = config == null ? List.of() : TrustedIdentity.fromConfig(config, agentJar);
    Set<String> identityNames = new LinkedHashSet<>();
    for (TrustedIdentity i : identities) {
      identityNames.add(i.name());
    }

    List<PathRule> rules = new ArrayList<>();
    if (config != null) {
      Map<Path, String> prefixes = new LinkedHashMap<>();
      for (ConfigFile.RuleEntry entry : config.rules()) {
        for (String keyName : entry.keyNames()) {
          if (!keyFiles.containsKey(keyName)) {
            throw new SettingsException(config.at(entry.line()) + "rule \"" + entry.name()
                + "\" names unknown key \"" + keyName + "\" (known: "
                + (keyFiles.isEmpty() ? "none" : String.join(", ", keyFiles.keySet())) + ")");
          }
        }
        for (String identityName : entry.identityNames()) {
          if (!identityNames.contains(identityName)) {
            throw new SettingsException(config.at(entry.line()) + "rule \"" + entry.name()
                + "\" names unknown identity \"" + identityName + "\" (known: "
                + (identityNames.isEmpty() ? "none" : String.join(", ", identityNames)) + ")");
          }
        }
        String other = prefixes.putIfAbsent(entry.prefix(), entry.name());
        if (other != null) {
          throw new SettingsException(config.at(entry.line()) + "rules \"" + other + "\" and \""
              + entry.name() + "\" have the same path " + entry.prefix());
        }
        rules.add(new PathRule(entry.prefix(), entry.keyNames(), entry.format(), entry.identityNames()));
      }
    }

    String modelsValue = options.get("models");
    List<Path> modelRoots;
    if (modelsValue != null) {
      modelRoots = ConfigFile.prefixes("", "models", modelsValue, File.pathSeparator);
    } else if (config != null && config.models != null) {
      modelRoots = config.models;
    } else {
      Set<Path> prefixes = new LinkedHashSet<>();
      for (PathRule r : rules) {
        prefixes.add(r.prefix());
      }
      modelRoots = new ArrayList<>(prefixes);
    }

    List<String> sealedRoots = SealedRootSettings.roots(options.get("sealed-roots"), modelsValue, config, modelRoots,
        rules);

    return new AgentSettings(mode, keys, identities, rules, config == null ? List.of() : config.exempt,
        modelRoots, auditLog, config == null ? null : config.pinDir,
        config == null || config.maxInMemory == null
            ? defaultMaxInMemory(Runtime.getRuntime().maxMemory()) : config.maxInMemory,
        config != null && Boolean.TRUE.equals(config.legacySha256), sealedRoots, pinMode,
        config == null || config.trustedOwners == null ? Set.of(0) : config.trustedOwners,
        config == null || !Boolean.FALSE.equals(config.verifiedCache));
  }

  /** Returns true if reads under the model roots are sealed ({@link SealedReads}). */
  boolean sealedRoots() {
    return !sealedRoots.isEmpty();
  }

  /**
   * The sealed roots: every {@code models} entry and rule path, both as written (trimmed) and as its real
   * path; empty when {@code sealed-roots} is off or no root is configured.
   */
  List<String> sealedRootPaths() {
    return sealedRoots;
  }


  /**
   * The default bound for stream and byte[] model sources: 2 GiB, or a quarter of {@code maxHeap}
   * ({@link Runtime#maxMemory()}) if that is less, so that a stream read up to the bound (which holds at
   * most the bound and one chunk) cannot exhaust a default heap.
   */
  static long defaultMaxInMemory(long maxHeap) {
    return Math.min(MAX_DEFAULT_IN_MEMORY, maxHeap / 4);
  }

  Mode mode() {
    return mode;
  }

  List<TrustedKey> keys() {
    return keys;
  }

  /** The trusted keyless signers ({@code identity.<name>.*}), in config order. */
  List<TrustedIdentity> identities() {
    return identities;
  }

  /**
   * Returns the identities allowed to sign a model at {@code modelPath} (absolute), as {@link #keysFor} does for
   * keys: the longest matching rule's {@code identities}; every identity with no rules; none if rules exist and
   * none matches.
   *
   * @throws IllegalArgumentException if {@code modelPath} is not absolute
   */
  List<TrustedIdentity> identitiesFor(Path modelPath) {
    if (rules.isEmpty()) {
      return identities;
    }
    PathRule best = ruleFor(modelPath);
    return best == null ? List.of() : ruleIdentities.get(best);
  }

  List<PathRule> rules() {
    return rules;
  }

  List<Path> exempt() {
    return exempt;
  }

  List<Path> modelRoots() {
    return modelRoots;
  }

  /** Returns the audit log file, or {@code null} for stderr. */
  Path auditLog() {
    return auditLog;
  }

  /** Returns the pin directory, or {@code null} to let the agent choose. */
  Path pinDir() {
    return pinDir;
  }

  /** The {@code pin} setting (default {@link PinMode#AUTO}). */
  PinMode pinMode() {
    return pinMode;
  }

  /** The {@code trusted-owners} uids (default: root, 0). */
  Set<Integer> trustedOwners() {
    return trustedOwners;
  }

  /** The {@code verified-cache} setting (default true). */
  boolean verifiedCache() {
    return verifiedCache;
  }

  long maxInMemoryBytes() {
    return maxInMemoryBytes;
  }

  boolean acceptLegacySha256() {
    return acceptLegacySha256;
  }

  /**
   * Returns the keys allowed to sign a model at {@code modelPath} (absolute; it is normalized here,
   * symlinks are the caller's business). The rule with the longest component-wise matching prefix
   * decides; with no rules every key is allowed; if rules exist and none matches, none is.
   *
   * @throws IllegalArgumentException if {@code modelPath} is not absolute
   */
  List<TrustedKey> keysFor(Path modelPath) {
    if (rules.isEmpty()) {
      return keys;
    }
    PathRule best = ruleFor(modelPath);
    return best == null ? List.of() : ruleKeys.get(best);
  }

  /** Returns the signature format required at {@code modelPath} (absolute): its rule's, else any. */
  PathRule.Format formatFor(Path modelPath) {
    PathRule best = ruleFor(modelPath);
    return best == null ? PathRule.Format.ANY : best.format();
  }

  private PathRule ruleFor(Path modelPath) {
    Path path = normalizedAbsolute(modelPath);
    PathRule best = null;
    for (PathRule rule : rules) {
      if (path.startsWith(rule.prefix())
          && (best == null || rule.prefix().getNameCount() > best.prefix().getNameCount())) {
        best = rule;
      }
    }
    return best;
  }

  /**
   * Returns whether {@code modelPath} (absolute) is under an exempt prefix, component-wise.
   *
   * @throws IllegalArgumentException if {@code modelPath} is not absolute
   */
  boolean isExempt(Path modelPath) {
    Path path = normalizedAbsolute(modelPath);
    for (Path prefix : exempt) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Returns one line for the startup banner: mode, key names and ids, identities, rule and exemption counts. */
  String describe() {
    StringBuilder sb = new StringBuilder("mode=").append(mode.name().toLowerCase(java.util.Locale.ROOT))
        .append(" keys=[");
    for (int i = 0; i < keys.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(keys.get(i).name()).append(':').append(keys.get(i).keyId());
    }
    for (int i = 0; i < identities.size(); i++) {
      sb.append(i == 0 ? "] identities=[" : ", ").append(identities.get(i).describe());
    }
    return sb.append("] rules=").append(rules.size()).append(" exempt=").append(exempt.size()).toString();
  }

  /** Parses {@code enforce} or {@code audit}; {@code prefix} starts the error message. */
  static Mode parseMode(String value, String prefix) throws SettingsException {
    return switch (value) {
      case "enforce" -> Mode.ENFORCE;
      case "audit" -> Mode.AUDIT;
      default -> throw new SettingsException(
          prefix + "invalid mode \"" + value + "\" (expected enforce or audit)");
    };
  }

  private static Path absolute(String value) throws SettingsException {
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new SettingsException("invalid path \"" + value + "\"");
    }
  }

  private static Path normalizedAbsolute(Path path) {
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("model path is not absolute: " + path);
    }
    return path.normalize();
  }
}
