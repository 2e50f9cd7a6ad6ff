package dev.modelseal.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;

/** Drains one child stream on a daemon thread into memory, so the child never blocks on a full pipe. */
final class OutputGobbler {
    private final StringBuilder text = new StringBuilder();
    private final Thread thread;
    private boolean finished;

    OutputGobbler(InputStream stream, String name) {
        thread = new Thread(() -> drain(stream), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain(InputStream stream) {
        char[] chunk = new char[8192];
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(chunk)) != -1) {
                synchronized (this) {
                    text.append(chunk, 0, n);
                    notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The stream closes when the child is destroyed; what was read so far is kept.
        } finally {
            synchronized (this) {
                finished = true;
                notifyAll();
            }
        }
    }

    /** Everything captured so far. */
    synchronized String text() {
        return text.toString();
    }

    /** Waits up to {@code millis} for the stream to reach end-of-file; returns whether it did. */
    boolean join(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /**
     * Waits until a complete line (or the final unterminated line at end-of-file) matches, up to
     * {@code deadlineNanos} ({@link System#nanoTime()} based).
     *
     * @return the matching line, or empty on timeout or end-of-file without a match
     */
    synchronized Optional<String> awaitLine(Predicate<String> match, long deadlineNanos) throws InterruptedException {
        int scanned = 0;
        while (true) {
            int end;
            while ((end = text.indexOf("\n", scanned)) >= 0) {
                String line = stripCr(text.substring(scanned, end));
                scanned = end + 1;
                if (match.test(line)) {
                    return Optional.of(line);
                }
            }
            if (finished) {
                String rest = stripCr(text.substring(scanned));
                return !rest.isEmpty() && match.test(rest) ? Optional.of(rest) : Optional.empty();
            }
            long waitMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (waitMillis <= 0) {
                return Optional.empty();
            }
            wait(waitMillis);
        }
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
