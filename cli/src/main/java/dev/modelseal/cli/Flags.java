package dev.modelseal.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small GNU/pflag-style flag parser, just enough for cosign's command lines: {@code --name value},
 * {@code --name=value}, one-letter shorthands ({@code -o value}, {@code -o=value}), booleans as
 * {@code --name} or {@code --name=true|false}, flags and arguments in any order, {@code --} ends the
 * flags, and a lone {@code -} is an argument (stdin). A repeated flag keeps its last value.
 */
final class Flags {
  /** One declared flag. */
  record Spec(String name, String shorthand, boolean bool, String valueName, String help, List<String> aliases) {}

  private final String command;
  private final String synopsis;
  private final String description;
  private final Map<String, Spec> byName = new LinkedHashMap<>();
  private final Map<String, Spec> lookup = new HashMap<>();

  Flags(String command, String synopsis, String description) {
    this.command = command;
    this.synopsis = synopsis;
    this.description = description;
    bool("help", "h", "show this help and exit");
  }

  /** Declares a flag that takes a value. */
  Flags string(String name, String shorthand, String valueName, String help, String... aliases) {
    return add(new Spec(name, shorthand, false, valueName, help, List.of(aliases)));
  }

  /** Declares a boolean flag. */
  Flags bool(String name, String shorthand, String help, String... aliases) {
    return add(new Spec(name, shorthand, true, null, help, List.of(aliases)));
  }

  private Flags add(Spec s) {
    byName.put(s.name(), s);
    lookup.put("--" + s.name(), s);
    if (s.shorthand() != null) {
      lookup.put("-" + s.shorthand(), s);
    }
    for (String a : s.aliases()) {
      lookup.put("--" + a, s);
    }
    return this;
  }

  /** Parses the arguments after the command name. */
  Parsed parse(List<String> args) throws CliException {
    Map<String, String> values = new HashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        positionals.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        positionals.add(a);
        continue;
      }
      int eq = a.indexOf('=');
      String key = eq < 0 ? a : a.substring(0, eq);
      Spec s = lookup.get(key);
      if (s == null || (!key.startsWith("--") && key.length() != 2)) {
        throw new CliException("unknown flag: " + key);
      }
      String value;
      if (s.bool()) {
        value = eq < 0 ? "true" : parseBool(key, a.substring(eq + 1));
      } else if (eq >= 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new CliException("flag needs an argument: " + key);
      }
      values.put(s.name(), value);
    }
    return new Parsed(command, values, positionals);
  }

  private static String parseBool(String key, String v) throws CliException {
    switch (v) {
      case "1", "t", "T", "true", "TRUE", "True" -> {
        return "true";
      }
      case "0", "f", "F", "false", "FALSE", "False" -> {
        return "false";
      }
      default -> throw new CliException("invalid argument \"" + v + "\" for \"" + key
          + "\" flag: must be true or false");
    }
  }

  /** Returns the help text: synopsis, description and every declared flag. */
  String usage() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: modelseal ").append(command).append(' ').append(synopsis).append("\n\n");
    b.append(description.strip()).append("\n\nFlags:\n");
    List<String[]> rows = new ArrayList<>();
    int width = 0;
    for (Spec s : byName.values()) {
      StringBuilder left = new StringBuilder("  ");
      left.append(s.shorthand() != null ? "-" + s.shorthand() + ", " : "    ");
      left.append("--").append(s.name());
      if (!s.bool()) {
        left.append(' ').append(s.valueName());
      } else if (!s.name().equals("help")) {
        left.append("[=bool]");
      }
      for (String alias : s.aliases()) {
        left.append(", --").append(alias);
      }
      rows.add(new String[] {left.toString(), s.help()});
      width = Math.max(width, left.length());
    }
    for (String[] r : rows) {
      b.append(String.format(Locale.ROOT, "%-" + width + "s   %s%n", r[0], r[1]).replace("\r\n", "\n"));
    }
    b.append("\nExit status: 0 on success, 1 on any error (one \"Error: ...\" line on stderr).\n");
    return b.toString();
  }

  /** The result of {@link #parse}. */
  static final class Parsed {
    private final String command;
    private final Map<String, String> values;
    private final List<String> positionals;

    Parsed(String command, Map<String, String> values, List<String> positionals) {
      this.command = command;
      this.values = values;
      this.positionals = List.copyOf(positionals);
    }

    String command() {
      return command;
    }

    /** Returns true if the flag was given (under its name, alias or shorthand). */
    boolean has(String name) {
      return values.containsKey(name);
    }

    /** Returns the flag's value, or null if it was not given. */
    String string(String name) {
      return values.get(name);
    }

    /** Returns a flag's value, failing with {@code --name is required} when absent or empty. */
    String required(String name) throws CliException {
      String v = values.get(name);
      if (v == null || v.isEmpty()) {
        throw new CliException("--" + name + " is required");
      }
      return v;
    }

    /** Returns a boolean flag's value, or {@code dflt} if it was not given. */
    boolean bool(String name, boolean dflt) {
      String v = values.get(name);
      return v == null ? dflt : Boolean.parseBoolean(v);
    }

    List<String> positionals() {
      return positionals;
    }
  }
}
