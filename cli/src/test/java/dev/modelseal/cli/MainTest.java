package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  @Test
  void run_help_printsCommandsOnStdout() {
    CliRunner.Result r = new CliRunner(dir).run("--help");
    assertEquals(0, r.status());
    for (String c : new String[] {"generate-key-pair", "import-key-pair", "public-key", "sign-blob", "verify-blob",
        "version"}) {
      assertTrue(r.out().contains("  " + c + " "), c);
    }
    assertTrue(r.out().contains("COSIGN_PASSWORD"));
    assertEquals("", r.err());
  }

  @Test
  void run_noCommand_usageOnStderrAndFails() {
    CliRunner.Result r = new CliRunner(dir).run();
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("modelseal "), r.err());
    assertTrue(r.err().endsWith("\nError: no command given\n"), r.err());
  }

  @Test
  void run_unknownCommand_fails() {
    CliRunner.Result r = new CliRunner(dir).run("sign");
    assertEquals(1, r.status());
    assertEquals("Error: unknown command \"sign\" (see modelseal --help)\n", r.err());
  }

  @Test
  void run_version_printsVersion() {
    for (String v : new String[] {"version", "--version"}) {
      CliRunner.Result r = new CliRunner(dir).run(v);
      assertEquals(0, r.status());
      assertTrue(r.out().matches("modelseal \\S+\n"), r.out());
    }
  }

  @Test
  void run_commandHelp_listsEveryFlag() {
    assertEquals(java.util.List.of("generate-key-pair", "import-key-pair", "public-key", "sign-blob", "verify-blob",
        "verify-blob-attestation", "sign-model", "verify-model"), java.util.List.copyOf(Main.commands().keySet()));
    for (Command c : Main.commands().values()) {
      for (String h : new String[] {"--help", "-h"}) {
        CliRunner.Result r = new CliRunner(dir).run(c.name(), "--bogus", h);
        assertEquals(0, r.status(), c.name());
        assertTrue(r.out().startsWith("Usage: modelseal " + c.name() + " "), r.out());
        assertEquals(c.usage(), r.out(), c.name());
      }
    }
  }

  private static java.util.List<String> flagNames(Command c) {
    java.util.List<String> names = new java.util.ArrayList<>();
    String u = c.usage();
    for (String line : u.split("\n")) {
      int i = line.indexOf("--");
      if (line.startsWith("  ") && i >= 0) {
        names.add(line.substring(i + 2).split("[ \\[,]")[0]);
      }
    }
    assertFalse(names.isEmpty());
    return names;
  }

  @Test
  void run_knownFlagsPerCommand_presentInHelp() {
    assertEquals(java.util.List.of("help", "key", "output-signature", "bundle", "b64", "new-bundle-format", "yes",
        "tlog-upload", "use-signing-config", "rekor-url"), flagNames(Main.commands().get("sign-blob")));
    assertTrue(flagNames(Main.commands().get("verify-blob")).containsAll(java.util.List.of("key", "signature",
        "bundle", "signature-digest-algorithm", "insecure-ignore-tlog", "offline", "private-infrastructure",
        "new-bundle-format", "use-signed-timestamps", "insecure-ignore-sct", "trusted-root")));
  }

  @Test
  void run_helpAfterDoubleDash_isAnArgument() {
    CliRunner.Result r = new CliRunner(dir).run("public-key", "--", "--help");
    assertEquals("Error: public-key takes no arguments, got --help\n", r.err());
  }

  @Test
  void run_unexpectedException_oneLineInternalError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream exploding = new PrintStream(OutputStream.nullOutputStream()) {
      @Override
      public void print(String s) {
        throw new IllegalStateException("boom\nsecond line");
      }
    };
    CliIo io = CliIo.builder().out(exploding).err(new PrintStream(err, true, StandardCharsets.UTF_8)).build();
    assertEquals(1, Main.run(new String[] {"--help"}, io));
    assertEquals("Error: internal error: java.lang.IllegalStateException: boom second line\n",
        err.toString(StandardCharsets.UTF_8));
  }
}
