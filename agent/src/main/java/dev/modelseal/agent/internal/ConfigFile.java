package dev.modelseal.agent.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed agent config file. The format is deliberately small and strict:
 *
 * <ul>
 *   <li>UTF-8 text (a leading BOM is ignored), at most {@link #MAX_BYTES} bytes;
 *   <li>one {@code name = value} per line, split at the first {@code =}, both sides trimmed;
 *   <li>blank lines and lines whose first non-blank character is {@code #} are ignored ({@code #}
 *       later in a line is part of the value);
 *   <li>settings: {@code mode} ({@code enforce|audit}), {@code audit-log}, {@code models}
 *       (absolute paths separated by {@link File#pathSeparator}), {@code pin-dir} (absolute), {@code
 *       max-in-memory} (bytes, optional suffix {@code k}, {@code m} or {@code g}), {@code
 *       legacy-sha256} ({@code true|false}), {@code pin} ({@link PinMode}), {@code trusted-owners} (comma-separated
 *       uids), {@code verified-cache} ({@code true|false}), {@code exempt} (comma-separated absolute paths), {@code
 *       key.<name>} (a PEM public key file), {@code identity.<name>.san} or {@code .san-regexp} with {@code
 *       identity.<name>.issuer} or {@code .issuer-regexp} (a keyless signer: exactly one of each pair; a regexp
 *       must compile), {@code trusted-root} (a {@code trusted_root.json} file), {@code rule.<name>.path}
 *       (absolute) and {@code rule.<name>.keys} and/or {@code rule.<name>.identities} (comma-separated key or
 *       identity names); names match {@code [A-Za-z0-9_-]+}.
 * </ul>
 *
 * <p>Relative {@code key.<name>} and {@code audit-log} paths are resolved against the directory of
 * the config file. Prefix paths ({@code models}, {@code exempt}, {@code rule.<name>.path}) are
 * normalized with {@link PathRule#canonicalPrefix}. An unknown or duplicate setting, a bad
 * value, a line without {@code =}, a rule missing its path or both its keys and identities, or an identity
 * without exactly one SAN and one issuer setting is a {@link SettingsException} whose message starts {@code
 * config <file> line <n>: }. Key and trusted root files are not read here and rule key and identity names are not
 * resolved here; {@link AgentSettings#load} does both.
 */
final class ConfigFile {
  /** Largest config file read: 1 MiB. */
  static final int MAX_BYTES = 1024 * 1024;

  /** A {@code key.<name>} line. */
  record KeyEntry(String name, Path file, int line) {}

  /**
   * A {@code rule.<name>.path} with its {@code rule.<name>.keys} and/or {@code rule.<name>.identities} (each empty
   * when not set) and the optional {@code rule.<name>.format}; {@code line} is that of the keys, else the identities.
   */
  record RuleEntry(String name, Path prefix, Set<String> keyNames, PathRule.Format format, int line,
      Set<String> identityNames) {}

  /**
   * An {@code identity.<name>.*} group: exactly one of {@code san} and {@code sanRegexp}, and one of {@code issuer}
   * and {@code issuerRegexp}, are non-null (the regexps compile); {@code line} is that of its first setting.
   */
  record IdentityEntry(String name, String san, String sanRegexp, String issuer, String issuerRegexp, int line) {}

  private static final List<String> SETTINGS = AgentOption.CONFIG_SETTINGS;
  private static final Pattern KEY = Pattern.compile("key\\.([A-Za-z0-9_-]+)");
  private static final Pattern RULE = Pattern.compile("rule\\.([A-Za-z0-9_-]+)\\.(path|keys|identities|format)");
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([kKmMgG]?)");

  final Path file;
  AgentSettings.Mode mode;
  Path auditLog;
  List<Path> models;
  Path pinDir;
  Long maxInMemory;
  Boolean legacySha256;
  List<Path> exempt = List.of();
  Boolean sealedRoots;
  PinMode pin;
  Set<Integer> trustedOwners;
  Boolean verifiedCache;
  /** The {@code trusted-root} file, or null for the shipped one. */
  Path trustedRoot;
  /** The {@code models} entries as written (their real paths are {@link #models}). */
  final List<String> modelsAsWritten = new ArrayList<>();
  /** The {@code rule.*.path} values as written (their real paths are the rules' prefixes). */
  final List<String> rulePathsAsWritten = new ArrayList<>();
  final Map<String, KeyEntry> keys = new LinkedHashMap<>();
  private final Map<String, Path> rulePaths = new LinkedHashMap<>();
  private final Map<String, Set<String>> ruleKeys = new LinkedHashMap<>();
  private final Map<String, Set<String>> ruleIdentities = new LinkedHashMap<>();
  private final ConfigIdentities identities = new ConfigIdentities();
  private final Map<String, PathRule.Format> ruleFormats = new LinkedHashMap<>();
  private final Map<String, Integer> lines = new HashMap<>();

  private ConfigFile(Path file) {
    this.file = file;
  }

  /**
   * Reads and parses a config file.
   *
   * @param file an absolute, normalized path
   * @throws SettingsException if the file cannot be read, is too large, is not UTF-8 or is invalid
   */
  static ConfigFile read(Path file) throws SettingsException {
    if (Files.isDirectory(file)) {
      throw new SettingsException("cannot read config " + file + ": it is a directory");
    }
    StrictSettings.requireOwnerWritableOnly(file, "config");
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new SettingsException("cannot read config " + file + ": " + reason(e));
    }
    if (data.length > MAX_BYTES) {
      throw new SettingsException("config " + file + " is larger than " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SettingsException("config " + file + " is not valid UTF-8");
    }
    return parse(file, text);
  }

  /** Parses config text; {@code file} is used for messages and to resolve relative paths. */
  static ConfigFile parse(Path file, String text) throws SettingsException {
    ConfigFile config = new ConfigFile(file);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      config.line(i + 1, lines[i].trim());
    }
    config.checkRules();
    config.identities.check(config);
    return config;
  }

  /** Returns the rules in file order, each with both its path and its keys. */
  List<RuleEntry> rules() {
    List<RuleEntry> rules = new ArrayList<>();
    for (Map.Entry<String, Path> e : rulePaths.entrySet()) {
      String name = e.getKey();
      Integer line = lines.get("rule." + name + (ruleKeys.containsKey(name) ? ".keys" : ".identities"));
      rules.add(new RuleEntry(name, e.getValue(), ruleKeys.getOrDefault(name, Set.of()),
          ruleFormats.getOrDefault(name, PathRule.Format.ANY), line,
          ruleIdentities.getOrDefault(name, Set.of())));
    }
    return rules;
  }

  /** Returns the identities in file order (each checked complete by {@link #parse}). */
  List<IdentityEntry> identities() {
    return identities.entries();
  }

  /** Returns the message prefix for a line: {@code config <file> line <n>: }. */
  String at(int line) {
    return "config " + file + " line " + line + ": ";
  }

  private void line(int n, String line) throws SettingsException {
    if (line.isEmpty() || line.startsWith("#")) {
      return;
    }
    int eq = line.indexOf('=');
    if (eq < 0) {
      throw new SettingsException(at(n) + "expected name = value");
    }
    String name = line.substring(0, eq).trim();
    String value = line.substring(eq + 1).trim();
    if (name.isEmpty()) {
      throw new SettingsException(at(n) + "missing setting name before \"=\"");
    }
    Matcher key = KEY.matcher(name);
    Matcher rule = RULE.matcher(name);
    Matcher identity = ConfigIdentities.NAME.matcher(name);
    boolean isKey = key.matches();
    boolean isRule = !isKey && rule.matches();
    boolean isIdentity = !isKey && !isRule && identity.matches();
    boolean known = isKey || isRule || isIdentity || SETTINGS.contains(name);
    if (!known && name.startsWith("key.")) {
      throw new SettingsException(at(n) + "invalid key name \"" + name.substring(4)
          + "\" (allowed: letters, digits, _ and -)");
    }
    if (!known && name.startsWith("identity.")) {
      throw new SettingsException(at(n) + "invalid identity setting \"" + name + "\" (expected identity.<name>.san,"
          + " .san-regexp, .issuer or .issuer-regexp; names: letters, digits, _ and -)");
    }
    if (!known) {
      throw new SettingsException(at(n) + "unknown setting \"" + name + "\"");
    }
    Integer first = lines.putIfAbsent(name, n);
    if (first != null) {
      throw new SettingsException(at(n) + "duplicate setting \"" + name + "\" (first set on line " + first + ")");
    }
    if (value.isEmpty()) {
      throw new SettingsException(at(n) + "setting \"" + name + "\" has an empty value");
    }
    if (isKey) {
      keys.put(key.group(1), new KeyEntry(key.group(1), path(n, name, value), n));
    } else if (isIdentity) {
      identities.add(identity.group(1), identity.group(2), value, n, at(n));
    } else if (isRule && rule.group(2).equals("path")) {
      rulePaths.put(rule.group(1), prefix(at(n), name, value));
      rulePathsAsWritten.add(value);
    } else if (isRule && rule.group(2).equals("format")) {
      ruleFormats.put(rule.group(1), PathRule.Format.parse(value, at(n)));
    } else if (isRule) {
      boolean identities = rule.group(2).equals("identities");
      Set<String> names = new LinkedHashSet<>();
      for (String keyName : list(at(n), name, value, ",")) {
        if (!KEY.matcher("key." + keyName).matches()) {
          throw new SettingsException(at(n) + "invalid " + (identities ? "identity" : "key") + " name \"" + keyName
              + "\" in " + name);
        }
        names.add(keyName);
      }
      (identities ? ruleIdentities : ruleKeys).put(rule.group(1), Collections.unmodifiableSet(names));
    } else {
      switch (name) {
        case "mode" -> mode = AgentSettings.parseMode(value, at(n));
        case "audit-log" -> auditLog = path(n, name, value);
        case "models" -> {
          models = prefixes(at(n), name, value, File.pathSeparator);
          modelsAsWritten.addAll(list(at(n), name, value, File.pathSeparator));
        }
        case "sealed-roots" -> sealedRoots = bool(n, name, value);
        case "pin-dir" -> pinDir = prefix(at(n), name, value);
        case "pin" -> pin = PinMode.parse(value, at(n));
        case "trusted-owners" -> trustedOwners = uids(at(n), name, value);
        case "verified-cache" -> verifiedCache = bool(n, name, value);
        case "max-in-memory" -> maxInMemory = size(n, value);
        case "legacy-sha256" -> legacySha256 = bool(n, name, value);
        case "exempt" -> exempt = prefixes(at(n), name, value, ",");
        case "trusted-root" -> trustedRoot = path(n, name, value);
        default -> throw new AssertionError(name);
      }
    }
  }

  private void checkRules() throws SettingsException {
    for (String name : rulePaths.keySet()) {
      if (!ruleKeys.containsKey(name) && !ruleIdentities.containsKey(name)) {
        throw new SettingsException(at(lines.get("rule." + name + ".path"))
            + "rule \"" + name + "\" has a path but no rule." + name + ".keys or rule." + name + ".identities");
      }
    }
    for (String name : ruleIdentities.keySet()) {
      if (!rulePaths.containsKey(name)) {
        throw new SettingsException(at(lines.get("rule." + name + ".identities"))
            + "rule \"" + name + "\" has identities but no rule." + name + ".path");
      }
    }
    for (String name : ruleFormats.keySet()) {
      if (!rulePaths.containsKey(name)) {
        throw new SettingsException(at(lines.get("rule." + name + ".format"))
            + "rule \"" + name + "\" has a format but no rule." + name + ".path");
      }
    }
    for (String name : ruleKeys.keySet()) {
      if (!rulePaths.containsKey(name)) {
        throw new SettingsException(at(lines.get("rule." + name + ".keys"))
            + "rule \"" + name + "\" has keys but no rule." + name + ".path");
      }
    }
  }

  private Path path(int n, String name, String value) throws SettingsException {
    try {
      return file.resolveSibling(Path.of(value)).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new SettingsException(at(n) + "invalid path \"" + value + "\" for " + name);
    }
  }

  /** Parses an absolute prefix path (see {@link PathRule#canonicalPrefix}); {@code at} starts messages. */
  static Path prefix(String at, String name, String value) throws SettingsException {
    Path prefix = PathRule.canonicalPrefix(value);
    if (prefix == null) {
      throw new SettingsException(at + name + " path \"" + value + "\" is not absolute");
    }
    return prefix;
  }

  /** Parses a list of absolute prefix paths; {@code at} starts messages. */
  static List<Path> prefixes(String at, String name, String value, String separator)
      throws SettingsException {
    List<Path> prefixes = new ArrayList<>();
    for (String item : list(at, name, value, separator)) {
      prefixes.add(prefix(at, name, item));
    }
    return List.copyOf(prefixes);
  }

  private static List<String> list(String at, String name, String value, String separator)
      throws SettingsException {
    List<String> items = new ArrayList<>();
    for (String item : value.split(Pattern.quote(separator), -1)) {
      if (item.isBlank()) {
        throw new SettingsException(at + "empty entry in " + name + " list");
      }
      items.add(item.trim());
    }
    return items;
  }

  /** Parses comma-separated uids (0 to 2^31-1); {@code at} starts messages. */
  static Set<Integer> uids(String at, String name, String value) throws SettingsException {
    Set<Integer> uids = new LinkedHashSet<>();
    for (String item : list(at, name, value, ",")) {
      if (!item.matches("[0-9]{1,10}") || Long.parseLong(item) > Integer.MAX_VALUE) {
        throw new SettingsException(at + "invalid uid \"" + item + "\" in " + name + " (expected numbers, e.g. 0, 1001)");
      }
      uids.add(Integer.parseInt(item));
    }
    return Collections.unmodifiableSet(uids);
  }

  private long size(int n, String value) throws SettingsException {
    Matcher m = SIZE.matcher(value);
    long bytes = -1;
    if (m.matches()) {
      int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
      try {
        long base = Long.parseLong(m.group(1));
        bytes = base > (Long.MAX_VALUE >> shift) ? -1 : base << shift;
      } catch (NumberFormatException e) {
        bytes = -1;
      }
    }
    if (bytes <= 0) {
      throw new SettingsException(at(n) + "invalid max-in-memory \"" + value
          + "\" (expected a positive number of bytes with optional suffix k, m or g, e.g. 512m)");
    }
    return bytes;
  }

  private Boolean bool(int n, String name, String value) throws SettingsException {
    return switch (value) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new SettingsException(
          at(n) + "invalid " + name + " \"" + value + "\" (expected true or false)");
    };
  }

  /** Returns a short, one-line reason for an I/O failure. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
