package dev.modelseal.agent.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code sealed-roots} setting ({@link SealedReads}): whether reads under the model roots are sealed (by
 * default they are; only {@code sealed-roots=false} turns it off), and which roots: every {@code models} entry and every rule path, both as written and as its real path, so that
 * a path the application names through a link that the configuration also names is covered.
 */
final class SealedRootSettings {
  private SealedRootSettings() {}

  /**
   * The sealed roots, or an empty list when sealing is off or no root is configured.
   *
   * @param value the {@code sealed-roots} option from the arguments, a property or the environment, or null
   * @param modelsValue the {@code models} option, or null (then the config file's)
   * @param config the config file, or null
   * @param modelRoots the model roots as real paths
   * @param rules the path rules
   */
  static List<String> roots(String value, String modelsValue, ConfigFile config, List<Path> modelRoots,
      List<PathRule> rules) throws SettingsException {
    boolean sealed = value != null ? parse(value) : config == null || !Boolean.FALSE.equals(config.sealedRoots);
    List<String> roots = new ArrayList<>();
    if (!sealed) {
      return roots;
    }
    for (Path root : modelRoots) {
      roots.add(root.toString());
    }
    for (PathRule r : rules) {
      roots.add(r.prefix().toString());
    }
    if (modelsValue != null) {
      for (String item : modelsValue.split(Pattern.quote(File.pathSeparator))) {
        roots.add(item.trim());
      }
    } else if (config != null) {
      roots.addAll(config.modelsAsWritten);
    }
    if (config != null) {
      roots.addAll(config.rulePathsAsWritten);
    }
    return roots;
  }

  /** Parses the {@code sealed-roots} option: {@code true} or {@code false}. */
  static boolean parse(String value) throws SettingsException {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new SettingsException("invalid sealed-roots \"" + value + "\" (expected true or false)");
    };
  }
}
