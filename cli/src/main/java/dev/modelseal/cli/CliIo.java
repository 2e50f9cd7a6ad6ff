package dev.modelseal.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the CLI touches outside its arguments: standard streams, environment, working directory,
 * and whether stdin/stderr are terminals. {@link #system()} is the real process; tests build their
 * own with {@link #builder()} so that commands run in-process, deterministically.
 */
public final class CliIo {
  /** Reads a password from the terminal without echo. */
  @FunctionalInterface
  public interface PasswordPrompt {
    /**
     * Shows {@code prompt} and returns what the user typed, without the line end, as UTF-8.
     *
     * @throws IOException if the terminal cannot be read
     */
    byte[] readPassword(String prompt) throws IOException;
  }

  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  final Path cwd;
  final boolean stdinIsTerminal;
  final boolean stderrIsTerminal;
  final PasswordPrompt prompt;

  private CliIo(Builder b) {
    this.in = Objects.requireNonNull(b.in, "in");
    this.out = Objects.requireNonNull(b.out, "out");
    this.err = Objects.requireNonNull(b.err, "err");
    this.env = Map.copyOf(b.env);
    this.cwd = b.cwd.toAbsolutePath();
    this.stdinIsTerminal = b.stdinIsTerminal;
    this.stderrIsTerminal = b.stderrIsTerminal;
    this.prompt = b.prompt;
  }

  /** The real process: System streams, environment and working directory, detected terminals. */
  public static CliIo system() {
    // System.console() only without /proc: on JDK 22+ it adds to every command's start-up.
    boolean proc = Files.isDirectory(Path.of("/proc/self/fd"));
    boolean consoleTty = !proc && System.console() != null;
    boolean stdinTty = proc ? isTerminal(0) : consoleTty;
    boolean stderrTty = proc ? isTerminal(2) : consoleTty;
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    return builder().in(System.in).out(out).err(err).env(System.getenv()).cwd(Path.of(""))
        .stdinIsTerminal(stdinTty).stderrIsTerminal(stderrTty)
        .prompt(new TerminalPrompt(err)).build();
  }

  /** Starts an IO for tests: empty stdin, discarded output, empty environment, not terminals. */
  public static Builder builder() {
    return new Builder();
  }

  /** Resolves a path argument against the working directory. */
  Path resolve(String path) {
    return cwd.resolve(path);
  }

  /** Returns true if file descriptor {@code fd} of this process is a terminal device (Linux). */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Reads from the controlling terminal; with no stream for prompts (tests), there is no terminal. */
  private static final class TerminalPrompt implements PasswordPrompt {
    private final PrintStream err;

    TerminalPrompt(PrintStream err) {
      this.err = err;
    }

    @Override
    public byte[] readPassword(String prompt) throws IOException {
      if (err == null) {
        throw new IOException("no terminal");
      }
      return readFromTerminal(prompt, err);
    }
  }

  private static byte[] readFromTerminal(String promptText, PrintStream err) throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] pw = console.readPassword("%s", promptText);
      if (pw == null) {
        throw new IOException("end of input while reading the password");
      }
      try {
        return toUtf8(pw);
      } finally {
        Arrays.fill(pw, '\0');
      }
    }
    // stdin is a terminal but stdout is not (e.g. output redirected): turn echo off with stty.
    err.print(promptText);
    err.flush();
    boolean echoOff = stty("-echo");
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = System.in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          line.write(c);
        }
      }
      if (c < 0 && line.size() == 0) {
        throw new IOException("end of input while reading the password");
      }
      return line.toByteArray();
    } finally {
      if (echoOff) {
        stty("echo");
      }
      err.println();
    }
  }

  private static boolean stty(String arg) {
    try {
      Process p = new ProcessBuilder("stty", arg).redirectInput(new File("/dev/tty"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static byte[] toUtf8(char[] chars) {
    var buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    Arrays.fill(buf.array(), (byte) 0);
    return b;
  }

  /** Builds a {@link CliIo}. */
  public static final class Builder {
    private InputStream in = InputStream.nullInputStream();
    private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
    private PrintStream err = new PrintStream(java.io.OutputStream.nullOutputStream());
    private Map<String, String> env = Map.of();
    private Path cwd = Path.of("");
    private boolean stdinIsTerminal;
    private boolean stderrIsTerminal;
    private PasswordPrompt prompt = new TerminalPrompt(null);

    private Builder() {}

    /** Sets stdin. */
    public Builder in(InputStream v) {
      in = v;
      return this;
    }

    /** Sets stdout. */
    public Builder out(PrintStream v) {
      out = v;
      return this;
    }

    /** Sets stderr. */
    public Builder err(PrintStream v) {
      err = v;
      return this;
    }

    /** Sets the environment (e.g. {@code COSIGN_PASSWORD}). */
    public Builder env(Map<String, String> v) {
      env = v;
      return this;
    }

    /** Sets the directory relative paths are resolved against. */
    public Builder cwd(Path v) {
      cwd = v;
      return this;
    }

    /** Says whether stdin is a terminal (then passwords are prompted for). */
    public Builder stdinIsTerminal(boolean v) {
      stdinIsTerminal = v;
      return this;
    }

    /** Says whether stderr is a terminal (then large files get a progress bar). */
    public Builder stderrIsTerminal(boolean v) {
      stderrIsTerminal = v;
      return this;
    }

    /** Sets how passwords are read from the terminal. */
    public Builder prompt(PasswordPrompt v) {
      prompt = v;
      return this;
    }

    /** Builds the IO. */
    public CliIo build() {
      return new CliIo(this);
    }
  }
}
