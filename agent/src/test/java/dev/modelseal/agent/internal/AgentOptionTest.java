package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README documents exactly the options {@link AgentOption} defines, with the same meanings. */
class AgentOptionTest {
  private static List<String> readme() throws Exception {
    return Files.readAllLines(Path.of("..", "README.md"));
  }

  /** The lines of the README block that starts with {@code opening} and ends at {@code closing}. */
  private static List<String> block(String opening, String closing) throws Exception {
    List<String> lines = readme();
    int start = lines.indexOf(opening);
    assertTrue(start >= 0, "README has no line " + opening);
    List<String> out = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).equals(closing); i++) {
      out.add(lines.get(i));
    }
    return out;
  }

  @Test
  void readmeArgumentTable_listsEveryTopLevelOptionWithItsSourcesAndMeaning() throws Exception {
    List<String> expected = new ArrayList<>();
    expected.add("|---|---|---|---|");
    for (AgentOption o : AgentOption.values()) {
      if (o.topLevel) {
        expected.add("| `" + o.optionName + "` | `" + o.systemProperty() + "` | `" + o.environmentVariable()
            + "` | " + o.meaning + " |");
      }
    }
    assertEquals(expected, block("| argument | system property | environment | meaning |", ""));
  }

  @Test
  void readmeConfigExample_showsEveryConfigSettingAfterItsMeaning() throws Exception {
    List<String> example = block("```properties", "```");
    for (AgentOption o : AgentOption.values()) {
      if (!o.inConfigFile) {
        continue;
      }
      int at = -1;
      for (int i = 0; i < example.size(); i++) {
        at = example.get(i).startsWith(o.optionName + " = ") ? i : at;
      }
      assertTrue(at >= 0, "README's config example has no " + o.optionName + " line");
      if (!o.topLevel) {
        assertTrue(at > 0 && example.get(at - 1).startsWith("# " + o.meaning),
            o.optionName + ": the comment above it should start \"# " + o.meaning + "\"");
      }
    }
  }

  @Test
  void readmeConfigExample_showsAnIdentityAndARuleNamingIdentities() throws Exception {
    List<String> example = block("```properties", "```");
    assertTrue(example.stream().anyMatch(l -> l.matches("identity\\.[A-Za-z0-9_-]+\\.san = .+")), "no identity san");
    assertTrue(example.stream().anyMatch(l -> l.matches("identity\\.[A-Za-z0-9_-]+\\.issuer = .+")),
        "no identity issuer");
    assertTrue(example.stream().anyMatch(l -> l.matches("rule\\.[A-Za-z0-9_-]+\\.identities = .+")),
        "no rule naming identities");
  }

  @Test
  void readmeConfigExample_namesNoUnknownSetting() throws Exception {
    for (String line : block("```properties", "```")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String name = line.substring(0, line.indexOf(" = "));
      assertTrue(AgentOption.CONFIG_SETTINGS.contains(name) || name.matches("key\\.[A-Za-z0-9_-]+")
          || name.matches("rule\\.[A-Za-z0-9_-]+\\.(path|keys|identities|format)")
          || name.matches("identity\\.[A-Za-z0-9_-]+\\.(san|san-regexp|issuer|issuer-regexp)"),
          "unknown setting in README: " + name);
    }
  }
}
