package dev.modelseal.examples;

import dev.modelseal.testkit.ForkedJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Forks example mains on this module's test classpath with DJL pinned offline and a target-local cache. */
final class Children {
    /** Where surefire tells us to put DJL's cache (libtorch unpacks here). */
    static final Path DJL_CACHE = Path.of(System.getProperty("modelseal.djl.cache", "target/djl-cache"));

    private Children() {
    }

    /** Children's java.io.tmpdir: ONNX Runtime extracts its natives there and leaves a directory per JVM. */
    static final Path CHILD_TMP = Path.of(System.getProperty("modelseal.child.tmp", "target/child-tmp"));

    static ForkedJvm fork(Class<?> main, String... args) {
        try {
            Files.createDirectories(CHILD_TMP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ForkedJvm.main(main.getName())
                .classpath(System.getProperty("java.class.path"))
                .jvmArgs("-Dai.djl.offline=true", "-Djava.io.tmpdir=" + CHILD_TMP.toAbsolutePath())
                .env("DJL_OFFLINE", "true")
                .env("OPT_OUT_TRACKING", "true")
                .env("DJL_CACHE_DIR", DJL_CACHE.toAbsolutePath().toString())
                .args(args)
                .timeout(Duration.ofSeconds(60));
    }
}
