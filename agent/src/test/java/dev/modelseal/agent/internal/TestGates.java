package dev.modelseal.agent.internal;

import java.nio.file.Path;
import java.util.Map;

/** Builds the agent's {@link Gate} from a config file, wired as {@code AgentStarter} wires it. */
final class TestGates {
  private TestGates() {}

  static Gate fromConfig(Path config) throws Exception {
    AgentSettings settings = AgentSettings.load("config=" + config, Map.of(), Map.of());
    return new Gate(settings, DecisionLog.open(settings.auditLog(), settings.mode()),
        new ModelChecker(settings, Pinner.create(settings.pinDir())));
  }
}
