package dev.modelseal.cli;

import java.util.List;

/** One {@code modelseal} sub-command. */
interface Command {
  /** The name typed on the command line, e.g. {@code sign-blob}. */
  String name();

  /** One line for the command list in {@code modelseal --help}. */
  String summary();

  /** The flags this command accepts; also the source of its {@code --help} text. */
  Flags flags();

  /**
   * Runs the command with already-parsed flags.
   *
   * @return the exit status (0 on success)
   * @throws CliException for any failure the user should see as one {@code Error:} line
   */
  int run(Flags.Parsed flags, CliIo io) throws CliException;

  /** Usage text: synopsis, description and every flag. */
  default String usage() {
    return flags().usage();
  }

  /** Convenience for commands: checks there is exactly one positional argument and returns it. */
  static String exactlyOne(Flags.Parsed p, String what) throws CliException {
    List<String> args = p.positionals();
    if (args.size() != 1) {
      throw new CliException(p.command() + " needs exactly one " + what + " argument, got "
          + args.size() + (args.size() > 1 ? " (" + String.join(" ", args) + ")" : ""));
    }
    return args.get(0);
  }

  /** Convenience for commands: checks there are no positional arguments. */
  static void noArguments(Flags.Parsed p) throws CliException {
    if (!p.positionals().isEmpty()) {
      throw new CliException(p.command() + " takes no arguments, got " + String.join(" ", p.positionals()));
    }
  }
}
