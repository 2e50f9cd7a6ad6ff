package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private final Flags flags = new Flags("cmd", "[flags]", "test")
      .string("key", null, "K", "key")
      .string("output-key-prefix", "o", "P", "prefix", "prefix-alias")
      .bool("force", "f", "force");

  private Flags.Parsed parse(String... args) throws CliException {
    return flags.parse(List.of(args));
  }

  @Test
  void parse_spaceAndEqualsForms_sameValue() throws Exception {
    assertEquals("a", parse("--key", "a").string("key"));
    assertEquals("a", parse("--key=a").string("key"));
    assertEquals("a=b", parse("--key=a=b").string("key"));
    assertEquals("", parse("--key=").string("key"));
  }

  @Test
  void parse_shorthandAndAlias_setTheFlag() throws Exception {
    assertEquals("p", parse("-o", "p").string("output-key-prefix"));
    assertEquals("p", parse("-o=p").string("output-key-prefix"));
    assertEquals("p", parse("--prefix-alias", "p").string("output-key-prefix"));
  }

  @Test
  void parse_booleans_allForms() throws Exception {
    assertTrue(parse("--force").bool("force", false));
    assertTrue(parse("-f").bool("force", false));
    assertTrue(parse("--force=true").bool("force", false));
    assertFalse(parse("--force=false").bool("force", true));
    assertFalse(parse("--force=0").bool("force", true));
    assertTrue(parse().bool("force", true));
    assertEquals(List.of("false"), parse("--force", "false").positionals());
  }

  @Test
  void parse_interspersedAndDoubleDash_positionals() throws Exception {
    Flags.Parsed p = parse("a", "--key", "k", "-", "b", "--", "--force", "-x");
    assertEquals(List.of("a", "-", "b", "--force", "-x"), p.positionals());
    assertFalse(p.has("force"));
  }

  @Test
  void parse_repeated_lastWins() throws Exception {
    assertEquals("2", parse("--key", "1", "--key", "2").string("key"));
  }

  @Test
  void parse_unknownFlags_fail() {
    assertEquals("unknown flag: --x", assertThrows(CliException.class, () -> parse("--x")).getMessage());
    assertEquals("unknown flag: --x", assertThrows(CliException.class, () -> parse("--x=1")).getMessage());
    assertEquals("unknown flag: -k", assertThrows(CliException.class, () -> parse("-k", "v")).getMessage());
    assertEquals("unknown flag: -key", assertThrows(CliException.class, () -> parse("-key", "v")).getMessage());
  }

  @Test
  void parse_missingValue_fails() {
    assertEquals("flag needs an argument: --key", assertThrows(CliException.class, () -> parse("--key")).getMessage());
  }

  @Test
  void parse_badBoolean_fails() {
    assertEquals("invalid argument \"yes\" for \"--force\" flag: must be true or false",
        assertThrows(CliException.class, () -> parse("--force=yes")).getMessage());
  }

  @Test
  void required_absentOrEmpty_fails() throws Exception {
    assertEquals("--key is required", assertThrows(CliException.class, () -> parse().required("key")).getMessage());
    assertEquals("--key is required",
        assertThrows(CliException.class, () -> parse("--key=").required("key")).getMessage());
    assertNull(parse().string("key"));
  }

  @Test
  void usage_listsEveryFlagWithAliases() {
    String u = flags.usage();
    assertTrue(u.startsWith("Usage: modelseal cmd [flags]\n\ntest\n\nFlags:\n"), u);
    assertTrue(u.contains("  -o, --output-key-prefix P, --prefix-alias   prefix\n"), u);
    assertTrue(u.contains("  -f, --force[=bool]"), u);
    assertTrue(u.contains("      --key K"), u);
  }

  @Test
  void usage_helpFlag_listedWithoutValueName() {
    String u = flags.usage();

    assertTrue(u.contains("\n  -h, --help" + " ".repeat(34) + "show this help and exit\n"), u);
  }
}
