package dev.modelseal.agent.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The five top-level options ({@code key}, {@code config}, {@code mode}, {@code audit-log}, {@code
 * models}) as read from the agent arguments, system properties and environment variables.
 *
 * <p><b>Agent arguments</b> ({@code -javaagent:modelseal-agent.jar=key=/k.pub,mode=audit}) follow
 * the style of Caffeine's {@code CaffeineSpec}: a comma-separated list of {@code name=value} pairs.
 * Whitespace around names and values is trimmed, blank entries (a stray or trailing comma) are
 * skipped, and the value is everything after the first {@code =} (so it may itself contain {@code
 * =}). These are errors, each reported as a one-line {@link SettingsException}:
 *
 * <ul>
 *   <li>an entry without {@code =}, or with nothing before it;
 *   <li>an unknown name ({@code unknown agent argument "foo" (known: key, config, mode, audit-log,
 *       models)});
 *   <li>an empty value;
 *   <li>a name given twice ({@code agent argument "mode" was already set to "audit"}).
 * </ul>
 *
 * <p><b>System properties</b> are {@code modelseal.<name>}; any other property starting with {@code
 * modelseal.} is an error, so that a typo such as {@code -Dmodelseal.mdoe=audit} cannot silently
 * leave the agent in a mode the operator did not intend. <b>Environment variables</b> are {@code
 * MODELSEAL_<NAME>} ({@code -} becomes {@code _}); other {@code MODELSEAL_*} variables are ignored
 * because the CLI launcher owns some of them (e.g. {@code MODELSEAL_JAVA_OPTS}). An empty system
 * property or environment variable is an error. Values are trimmed.
 *
 * <p>Every method returns a new map from option name to raw value, in a deterministic order; the
 * caller (see {@link AgentSettings#load}) decides precedence.
 */
final class AgentArgs {
  /** The option names, in the order error messages list them. */
  static final List<String> KNOWN = AgentOption.TOP_LEVEL;

  static final String PROPERTY_PREFIX = "modelseal.";
  static final String ENV_PREFIX = "MODELSEAL_";

  private AgentArgs() {}

  /**
   * Parses the agent argument string; {@code null} or blank means no options.
   *
   * @throws SettingsException on a malformed, unknown, empty or repeated entry
   */
  static Map<String, String> parse(String agentArgs) throws SettingsException {
    Map<String, String> options = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.isBlank()) {
      return options;
    }
    for (String entry : agentArgs.split(",", -1)) {
      String option = entry.trim();
      if (option.isEmpty()) {
        continue;
      }
      int eq = option.indexOf('=');
      if (eq < 0) {
        throw new SettingsException(
            "agent argument \"" + option + "\" is not name=value (e.g. mode=audit)");
      }
      String name = option.substring(0, eq).trim();
      String value = option.substring(eq + 1).trim();
      if (name.isEmpty()) {
        throw new SettingsException("agent argument \"" + option + "\" has no name before \"=\"");
      }
      if (!KNOWN.contains(name)) {
        throw new SettingsException(
            "unknown agent argument \"" + name + "\" (known: " + String.join(", ", KNOWN) + ")");
      }
      if (value.isEmpty()) {
        throw new SettingsException("agent argument \"" + name + "\" has an empty value");
      }
      String previous = options.putIfAbsent(name, value);
      if (previous != null) {
        throw new SettingsException(
            "agent argument \"" + name + "\" was already set to \"" + previous + "\"");
      }
    }
    return options;
  }

  /**
   * Picks the {@code modelseal.*} entries out of the system properties.
   *
   * @throws SettingsException on an unknown {@code modelseal.*} property or an empty value
   */
  static Map<String, String> fromSystemProperties(Map<String, String> properties)
      throws SettingsException {
    Map<String, String> options = new LinkedHashMap<>();
    // Sorted, so that with several bad properties the same one is always reported.
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      if (!e.getKey().startsWith(PROPERTY_PREFIX)) {
        continue;
      }
      String name = e.getKey().substring(PROPERTY_PREFIX.length());
      if (!KNOWN.contains(name)) {
        throw new SettingsException("unknown system property \"" + e.getKey() + "\"");
      }
      String value = e.getValue() == null ? "" : e.getValue().trim();
      if (value.isEmpty()) {
        throw new SettingsException("system property \"" + e.getKey() + "\" is empty");
      }
      options.put(name, value);
    }
    return options;
  }

  /**
   * Picks the {@code MODELSEAL_*} variables this agent knows out of the environment.
   *
   * @throws SettingsException if one of them is empty
   */
  static Map<String, String> fromEnvironment(Map<String, String> environment)
      throws SettingsException {
    Map<String, String> options = new LinkedHashMap<>();
    for (String name : KNOWN) {
      String variable = envName(name);
      String raw = environment.get(variable);
      if (raw == null) {
        continue;
      }
      String value = raw.trim();
      if (value.isEmpty()) {
        throw new SettingsException("environment variable " + variable + " is empty");
      }
      options.put(name, value);
    }
    return options;
  }

  /**
   * Reads all three sources and returns, per option, the value of the highest one that sets it:
   * agent arguments, then system properties, then environment variables.
   *
   * @throws SettingsException if any source is malformed (lower sources are checked too)
   */
  static Map<String, String> merge(String agentArgs, Map<String, String> systemProperties,
      Map<String, String> environment) throws SettingsException {
    Map<String, String> merged = new LinkedHashMap<>(parse(agentArgs));
    for (Map.Entry<String, String> e : fromSystemProperties(systemProperties).entrySet()) {
      merged.putIfAbsent(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : fromEnvironment(environment).entrySet()) {
      merged.putIfAbsent(e.getKey(), e.getValue());
    }
    return merged;
  }

  /** Returns the environment variable for an option: {@code audit-log} → {@code MODELSEAL_AUDIT_LOG}. */
  static String envName(String option) {
    return ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
