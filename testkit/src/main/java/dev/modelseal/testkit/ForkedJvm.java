package dev.modelseal.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Forks a child JVM ({@code <javaHome>/bin/java <jvmArgs> -cp <classpath> <mainClass> <args>}) with a given
 * environment, captures its stdout and stderr completely, and enforces a timeout.
 *
 * <p>Typical use: {@code ForkedJvm.main("a.Main").classpath(cp).jvmArgs("-javaagent:x.jar").run()}. Use
 * {@link #start()} instead of {@link #run()} for long-running children such as servers. The environment is
 * inherited from this process, then changed by {@link #env(String, String)}.
 */
public final class ForkedJvm {
    private final String mainClass;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private String classpath = System.getProperty("java.class.path");
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(60);
    private Path workingDirectory;

    private ForkedJvm(String mainClass) {
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    /** Starts describing a child that runs {@code mainClass}; the classpath defaults to this JVM's. */
    public static ForkedJvm main(String mainClass) {
        return new ForkedJvm(mainClass);
    }

    /** Uses {@code <javaHome>/bin/java}; defaults to the running JVM's {@code java.home}. */
    public ForkedJvm javaHome(Path javaHome) {
        this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
        return this;
    }

    /** Sets the {@code -cp} value; {@code null} or empty omits {@code -cp}. */
    public ForkedJvm classpath(String classpath) {
        this.classpath = classpath;
        return this;
    }

    /** Appends JVM options (placed before {@code -cp}), e.g. {@code -javaagent:...} or {@code -Dk=v}. */
    public ForkedJvm jvmArgs(String... jvmArgs) {
        this.jvmArgs.addAll(Arrays.asList(jvmArgs));
        return this;
    }

    /** Appends program arguments (placed after the main class). */
    public ForkedJvm args(String... args) {
        this.args.addAll(Arrays.asList(args));
        return this;
    }

    /** Sets an environment variable of the child; a {@code null} value removes an inherited one. */
    public ForkedJvm env(String name, String value) {
        env.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /** Sets the timeout used by {@link #run()}; default 60 seconds. */
    public ForkedJvm timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Sets the child's working directory; defaults to this process's. */
    public ForkedJvm workingDirectory(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        return this;
    }

    /** The full command line that {@link #start()} executes. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmArgs);
        if (classpath != null && !classpath.isEmpty()) {
            command.add("-cp");
            command.add(classpath);
        }
        command.add(mainClass);
        command.addAll(args);
        return List.copyOf(command);
    }

    /** Starts the child and returns at once; close the handle to kill it. */
    public RunningJvm start() {
        ProcessBuilder builder = new ProcessBuilder(command());
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            return new RunningJvm(builder.start(), mainClass);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command(), e);
        }
    }

    /**
     * Runs the child to completion or until the timeout (then kills it and its descendants).
     *
     * @return exit code and complete output
     */
    public Result run() throws InterruptedException {
        try (RunningJvm child = start()) {
            return child.waitFor(timeout);
        }
    }

    /**
     * Outcome of a child JVM.
     *
     * @param exitCode the exit code, or {@code -1} if the child was killed on timeout
     * @param stdout everything the child wrote to stdout
     * @param stderr everything the child wrote to stderr
     * @param timedOut whether the timeout expired
     * @param elapsed wall time from start to exit (or kill)
     */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut, Duration elapsed) {
        /** Multi-line description including all output, for assertion messages. */
        @Override
        public String toString() {
            return "exit=" + exitCode + (timedOut ? " (timed out)" : "") + " after " + elapsed.toMillis() + " ms"
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }
}
