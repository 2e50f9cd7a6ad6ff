package dev.modelseal.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A started child JVM whose stdout and stderr are being captured; {@link #close()} kills it if still alive. */
public final class RunningJvm implements AutoCloseable {
    private static final long DRAIN_MILLIS = 5_000;
    private static final long GRACE_MILLIS = 3_000;

    private final Process process;
    private final OutputGobbler stdout;
    private final OutputGobbler stderr;
    private final long startNanos = System.nanoTime();

    RunningJvm(Process process, String name) {
        this.process = process;
        try {
            process.getOutputStream().close(); // the child gets an empty stdin
        } catch (IOException ignored) {
            // nothing to close
        }
        this.stdout = new OutputGobbler(process.getInputStream(), name + "-stdout");
        this.stderr = new OutputGobbler(process.getErrorStream(), name + "-stderr");
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stdout captured so far. */
    public String stdout() {
        return stdout.text();
    }

    /** Stderr captured so far. */
    public String stderr() {
        return stderr.text();
    }

    /**
     * Waits for a stdout line matching {@code match}.
     *
     * @return the first matching line
     * @throws IllegalStateException if the child ends or {@code timeout} passes first; the message holds all output
     */
    public String awaitStdoutLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        Optional<String> line = stdout.awaitLine(match, System.nanoTime() + timeout.toNanos());
        if (line.isPresent()) {
            return line.get();
        }
        throw new IllegalStateException("no matching stdout line within " + timeout.toMillis() + " ms (alive="
                + process.isAlive() + ")\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr());
    }

    /** Waits up to {@code timeout} for exit; on timeout kills the process tree (as {@link #close()}). Output is always fully drained. */
    public ForkedJvm.Result waitFor(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            kill();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        stdout.join(DRAIN_MILLIS);
        stderr.join(DRAIN_MILLIS);
        return new ForkedJvm.Result(exited ? process.exitValue() : -1, stdout(), stderr(), !exited, elapsed);
    }

    /**
     * Kills the child and its descendants if still alive, and waits briefly for it to die. If interrupted while
     * waiting, the kill has still been requested and the thread's interrupt flag is restored.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks politely first (SIGTERM: shutdown hooks and deleteOnExit run), then forcibly after a grace period. */
    private void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
