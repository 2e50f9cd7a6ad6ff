package dev.modelseal.agent.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code identity.<name>.*} settings of one config file ({@link ConfigFile}), collected line by line and then
 * checked whole: each identity names exactly one of {@code san} and {@code san-regexp} and one of {@code issuer}
 * and {@code issuer-regexp}, and each regexp compiles. Failures are {@link SettingsException}s starting with the
 * config file's {@code config <file> line <n>: }. Runs in premain: loops, no lambdas.
 */
final class ConfigIdentities {
  /** A setting name that is an identity's: group 1 the identity's name, group 2 which setting. */
  static final Pattern NAME = Pattern.compile("identity\\.([A-Za-z0-9_-]+)\\.(san|san-regexp|issuer|issuer-regexp)");

  /** Each identity's settings by suffix ({@code san}, {@code san-regexp}, ...), in file order. */
  private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
  /** The line of each identity's first setting. */
  private final Map<String, Integer> firstLines = new LinkedHashMap<>();
  /** The line of each regexp setting, by full setting name. */
  private final Map<String, Integer> regexpLines = new LinkedHashMap<>();

  /**
   * Records one setting (its name matched {@link #NAME}; duplicates were refused by the caller).
   *
   * @param at the message prefix of its line
   * @throws SettingsException if a regexp setting does not compile
   */
  void add(String identity, String setting, String value, int line, String at) throws SettingsException {
    if (setting.endsWith("-regexp")) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new SettingsException(at + "invalid regular expression for identity." + identity + "." + setting + ": "
            + e.getDescription() + " at index " + e.getIndex());
      }
      regexpLines.put(identity + "." + setting, line);
    }
    Map<String, String> s = settings.get(identity);
    if (s == null) {
      s = new LinkedHashMap<>();
      settings.put(identity, s);
      firstLines.put(identity, line);
    }
    s.put(setting, value);
  }

  /** Requires each identity to name exactly one SAN setting and one issuer setting. */
  void check(ConfigFile config) throws SettingsException {
    for (Map.Entry<String, Map<String, String>> e : settings.entrySet()) {
      requireOneOf(config, e.getKey(), e.getValue(), "san", "san-regexp");
      requireOneOf(config, e.getKey(), e.getValue(), "issuer", "issuer-regexp");
    }
  }

  private void requireOneOf(ConfigFile config, String name, Map<String, String> s, String exact, String regexp)
      throws SettingsException {
    String prefix = "identity." + name + ".";
    if (s.containsKey(exact) && s.containsKey(regexp)) {
      throw new SettingsException(config.at(regexpLines.get(name + "." + regexp)) + "identity \"" + name
          + "\" sets both " + prefix + exact + " and " + prefix + regexp + "; set one");
    }
    if (!s.containsKey(exact) && !s.containsKey(regexp)) {
      throw new SettingsException(config.at(firstLines.get(name)) + "identity \"" + name + "\" has no " + prefix
          + exact + " or " + prefix + regexp);
    }
  }

  /** The identities in file order, as checked by {@link #check}. */
  List<ConfigFile.IdentityEntry> entries() {
    List<ConfigFile.IdentityEntry> entries = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : settings.entrySet()) {
      Map<String, String> v = e.getValue();
      entries.add(new ConfigFile.IdentityEntry(e.getKey(), v.get("san"), v.get("san-regexp"), v.get("issuer"),
          v.get("issuer-regexp"), firstLines.get(e.getKey())));
    }
    return entries;
  }
}
