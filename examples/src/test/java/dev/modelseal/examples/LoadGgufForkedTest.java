package dev.modelseal.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forks {@link LoadGguf} on GGUF files {@link MakeTinyModel} writes: the benchmark's LLM load must really load
 * (java-llama.cpp prints its own lines, such as where it extracted its library, on stdout too).
 */
class LoadGgufForkedTest {
    @TempDir
    Path dir;

    @Test
    void main_tinyGguf_completes() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        MakeTinyModel.writeGguf(model, 0);

        ForkedJvm.Result result = Children.fork(LoadGguf.class, model.toString()).run();

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("completed: ")), result::toString);
    }

    @Test
    void main_paddedGguf_completesAndHasTheAskedSize() throws Exception {
        Path model = dir.resolve("padded.gguf");
        MakeTinyModel.writeGguf(model, 3 << 20);
        Path plain = dir.resolve("plain.gguf");
        MakeTinyModel.writeGguf(plain, 0);

        ForkedJvm.Result result = Children.fork(LoadGguf.class, model.toString()).run();

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(Files.size(plain) + (3 << 20), Files.size(model));
    }

    @Test
    void main_notAGguf_exits1() throws Exception {
        Path model = dir.resolve("garbage.gguf");
        Files.writeString(model, "not a model");

        ForkedJvm.Result result = Children.fork(LoadGguf.class, model.toString()).run();

        assertEquals(LoadModel.EXIT_FAILED, result.exitCode(), result::toString);
        assertTrue(result.stdout().lines().noneMatch(l -> l.startsWith("completed")), result::toString);
        assertTrue(result.stderr().contains("rejected: "), result::toString);
    }

    @Test
    void main_noArguments_exits2WithUsage() throws IOException, InterruptedException {
        ForkedJvm.Result result = Children.fork(LoadGguf.class).run();

        assertEquals(LoadModel.EXIT_USAGE, result.exitCode(), result::toString);
        assertTrue(result.stderr().contains("usage: LoadGguf MODEL"), result::toString);
    }
}
