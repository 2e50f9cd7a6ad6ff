package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * What the agent's policy is protected from at start: settings and key files that someone other than
 * their owner can change, and sources that are easier to set than a named config file weakening it.
 * Each refusal is a one-line {@link SettingsException}.
 */
final class StrictSettings {
  private StrictSettings() {}

  /**
   * Refuses a settings or key file that group or others may write, as OpenSSH's {@code StrictModes}
   * does: whoever can change it decides which models load. A file that does not exist or whose
   * permissions cannot be read is left to the read that follows, which reports it.
   */
  static void requireOwnerWritableOnly(Path file, String what) throws SettingsException {
    Set<PosixFilePermission> p;
    try {
      p = Files.getPosixFilePermissions(file);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new SettingsException(what + " " + file + " is writable by group or others ("
          + PosixFilePermissions.toString(p) + "); only its owner may be able to change it: chmod go-w " + file);
    }
  }

  /**
   * A config file named explicitly is the policy: the system properties and the environment, which
   * more parts of a deployment can set than the agent arguments, may not add a trusted key to it or
   * turn its enforce mode into audit. The agent arguments may (they are as explicit as the file).
   */
  static void requireNoWeakeningOf(ConfigFile config, Map<String, String> agentArgs,
      Map<String, String> options, Map<String, String> systemProperties) throws SettingsException {
    if (options.containsKey("key") && !agentArgs.containsKey("key")) {
      throw new SettingsException(source("key", systemProperties) + " would add a trusted key to config "
          + config.file + "; name keys in the config file (or pass key= in the agent arguments)");
    }
    String mode = options.get("mode");
    if (mode != null && !agentArgs.containsKey("mode")
        && AgentSettings.parseMode(mode, "") == AgentSettings.Mode.AUDIT && config.mode != AgentSettings.Mode.AUDIT) {
      throw new SettingsException(source("mode", systemProperties) + " would weaken config " + config.file
          + " from enforce to audit; set the mode in the config file (or pass mode= in the agent arguments)");
    }
  }

  /**
   * A config file's model roots are sealed unless the file itself says {@code sealed-roots = false}: a system
   * property or the environment may not unseal them (the agent arguments may).
   */
  static void requireSealedRootsKept(ConfigFile config, Map<String, String> agentArgs, Map<String, String> options,
      Map<String, String> systemProperties) throws SettingsException {
    if ("false".equals(options.get("sealed-roots")) && !agentArgs.containsKey("sealed-roots")
        && !Boolean.FALSE.equals(config.sealedRoots)) {
      throw new SettingsException(source("sealed-roots", systemProperties) + " would unseal the model roots of config "
          + config.file + "; set sealed-roots in the config file (or pass sealed-roots= in the agent arguments)");
    }
  }

  /**
   * Forcing {@code pin=in-place} (which loads files in place even on storage that does not qualify) is as explicit
   * as an audit mode: a system property or the environment may not force it on a config file that does not.
   */
  static void requireNoForcedInPlace(ConfigFile config, Map<String, String> agentArgs, Map<String, String> options,
      Map<String, String> systemProperties) throws SettingsException {
    if ("in-place".equals(options.get("pin")) && !agentArgs.containsKey("pin") && config.pin != PinMode.IN_PLACE) {
      throw new SettingsException(source("pin", systemProperties) + " would force in-place pinning on config "
          + config.file + "; set pin in the config file (or pass pin= in the agent arguments)");
    }
  }

  private static String source(String option, Map<String, String> systemProperties) {
    String property = AgentArgs.PROPERTY_PREFIX + option;
    return systemProperties.containsKey(property) ? "system property " + property
        : "environment variable " + AgentArgs.envName(option);
  }
}
