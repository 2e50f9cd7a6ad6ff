package dev.modelseal.cli;

import dev.modelseal.core.Sha256WarmUp;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code modelseal} command: cosign's key and blob commands ({@code generate-key-pair},
 * {@code import-key-pair}, {@code public-key}, {@code sign-blob}, {@code verify-blob},
 * {@code verify-blob-attestation}, keyless verification included) with cosign's flags and file formats,
 * plus {@code sign-model} / {@code verify-model}, offline, streaming large files in constant memory.
 *
 * <p>Every failure is reported as exactly one {@code Error: <message>} line on stderr with exit
 * status 1, never as a stack trace; nothing is written when a command fails.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : List.of(new GenerateKeyPairCommand(), new ImportKeyPairCommand(), new PublicKeyCommand(),
        new SignBlobCommand(), new VerifyBlobCommand(), new VerifyBlobAttestationCommand(), new SignModelCommand(),
        new VerifyModelCommand())) {
      COMMANDS.put(c.name(), c);
    }
  }

  private static final Set<String> HASHING_COMMANDS = Set.of("sign-blob", "verify-blob", "verify-blob-attestation",
      "sign-model", "verify-model");

  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    if (args.length > 0 && HASHING_COMMANDS.contains(args[0])) {
      Sha256WarmUp.begin();
    }
    CliIo io = CliIo.system();
    int status = run(args, io);
    io.out.flush();
    io.err.flush();
    System.exit(status);
  }

  /**
   * Runs one command line in-process and returns its exit status: 0 on success, 1 on any error.
   * Never throws; every failure becomes one {@code Error: ...} line on {@code io}'s stderr.
   */
  public static int run(String[] args, CliIo io) {
    try {
      return dispatch(List.of(args), io);
    } catch (CliException e) {
      return fail(io, e.getMessage());
    } catch (Throwable t) { // the last line of defence: still one line, no stack trace
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return fail(io, "internal error: " + t.getClass().getName() + ": " + t.getMessage());
    } finally {
      io.out.flush();
    }
  }

  private static int fail(CliIo io, String message) {
    io.out.flush();
    io.err.println("Error: " + oneLine(message));
    io.err.flush();
    return 1;
  }

  static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("[\\r\\n]+", " ").strip();
  }

  private static int dispatch(List<String> args, CliIo io) throws CliException {
    if (args.isEmpty()) {
      io.err.print(usage());
      throw new CliException("no command given");
    }
    String name = args.get(0);
    switch (name) {
      case "--help", "-h", "help" -> {
        if (args.size() > 1 && COMMANDS.containsKey(args.get(1))) {
          io.out.print(COMMANDS.get(args.get(1)).usage());
        } else {
          io.out.print(usage());
        }
        return 0;
      }
      case "version", "--version" -> {
        io.out.println("modelseal " + version());
        return 0;
      }
      default -> {
        // fall through to the commands
      }
    }
    Command c = COMMANDS.get(name);
    if (c == null) {
      throw new CliException("unknown command \"" + name + "\" (see modelseal --help)");
    }
    List<String> rest = args.subList(1, args.size());
    // --help wins over every other problem on the line (before a "--"), as with cobra.
    for (String a : rest) {
      if (a.equals("--")) {
        break;
      }
      if (a.equals("--help") || a.equals("-h") || a.equals("--help=true")) {
        io.out.print(c.usage());
        return 0;
      }
    }
    Flags.Parsed parsed = c.flags().parse(rest);
    if (parsed.bool("help", false)) {
      io.out.print(c.usage());
      return 0;
    }
    return c.run(parsed, io);
  }

  /** The top-level help text. */
  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("modelseal ").append(version()).append(
        " - sign and verify files (ML models) with cosign-compatible keys, verify keyless Sigstore signatures,"
            + " offline\n\n");
    b.append("Usage: modelseal COMMAND [flags] [args]\n\nCommands:\n");
    for (Command c : COMMANDS.values()) {
      b.append(String.format("  %-24s %s%n", c.name(), c.summary()));
    }
    b.append(String.format("  %-24s %s%n", "version", "print the version"));
    b.append("\nRun \"modelseal COMMAND --help\" for a command's flags.\n");
    b.append("Environment: COSIGN_PASSWORD is the private key password when set (even empty).\n");
    b.append("Exit status: 0 on success, 1 on any error (one \"Error: ...\" line on stderr).\n");
    return b.toString().replace("\r\n", "\n");
  }

  /** The version from the build, or "dev" when run from unfiltered sources. */
  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "dev";
  }

  static Map<String, Command> commands() {
    return COMMANDS;
  }
}
