package dev.modelseal.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs {@link Main#run} in-process in a working directory, capturing stdout and stderr. */
final class CliRunner {
  /** What one run produced. */
  record Result(int status, byte[] outBytes, String err) {
    String out() {
      return new String(outBytes, StandardCharsets.UTF_8);
    }
  }

  final Path dir;
  final Map<String, String> env = new HashMap<>();
  byte[] stdin = new byte[0];
  boolean stdinIsTerminal;
  boolean stderrIsTerminal;
  final Deque<String> typed = new ArrayDeque<>();
  final List<String> prompts = new java.util.ArrayList<>();

  CliRunner(Path dir) {
    this.dir = dir;
  }

  /** A runner with COSIGN_PASSWORD set. */
  static CliRunner withPassword(Path dir, String password) {
    CliRunner r = new CliRunner(dir);
    r.env.put("COSIGN_PASSWORD", password);
    return r;
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliIo io = CliIo.builder()
        .in(new ByteArrayInputStream(stdin))
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .err(new PrintStream(err, true, StandardCharsets.UTF_8))
        .env(env)
        .cwd(dir)
        .stdinIsTerminal(stdinIsTerminal)
        .stderrIsTerminal(stderrIsTerminal)
        .prompt(p -> {
          prompts.add(p);
          if (typed.isEmpty()) {
            throw new IOException("end of input");
          }
          return typed.poll().getBytes(StandardCharsets.UTF_8);
        })
        .build();
    int status = Main.run(args, io);
    return new Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  Path write(String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path write(String name, String content) {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  byte[] read(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String readString(String name) {
    return new String(read(name), StandardCharsets.UTF_8);
  }

  /** The sorted names of the files in the directory (temp files included). */
  List<String> listing() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path sharedKeys;

  /**
   * Copies a cosign.key (password "pw") / cosign.pub pair, generated once per test JVM with
   * {@code generate-key-pair}, into the directory: scrypt makes generating one per test slow.
   */
  void copySharedKeyPair() {
    try {
      synchronized (CliRunner.class) {
        if (sharedKeys == null) {
          Path d = Files.createTempDirectory("modelseal-cli-test-keys");
          d.toFile().deleteOnExit(); // registered first: deleteOnExit runs in reverse order
          CliRunner.withPassword(d, "pw").generateKeyPair();
          d.resolve("cosign.key").toFile().deleteOnExit();
          d.resolve("cosign.pub").toFile().deleteOnExit();
          sharedKeys = d;
        }
      }
      Files.copy(sharedKeys.resolve("cosign.key"), dir.resolve("cosign.key"));
      Files.copy(sharedKeys.resolve("cosign.pub"), dir.resolve("cosign.pub"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Generates cosign.key / cosign.pub with the current environment; fails the test if it fails. */
  void generateKeyPair() {
    Result r = run("generate-key-pair");
    if (r.status() != 0) {
      throw new AssertionError("generate-key-pair failed: " + r.err());
    }
  }
}
