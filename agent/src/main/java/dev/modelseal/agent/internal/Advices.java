package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.ModelGate;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import net.bytebuddy.asm.Advice;

/**
 * Advice templates inlined into model runtimes. Each is stateless and one call into the bootstrap
 * {@link ModelGate}, which returns what the runtime may load (a pinned path, verified bytes) or
 * throws. No {@code suppress}: a rejection propagates and the original method body never runs.
 * Installer refers to these classes by name; they are never loaded as classes inside the agent.
 */
final class Advices {
  private Advices() {}

  /** Argument 0 is a model {@link Path}. */
  static final class PathArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String hook,
        @Advice.Argument(value = 0, readOnly = false) Path path) {
      path = ModelGate.checkPath(hook, path);
    }
  }

  /** Argument 1 is a model {@link Path}. */
  static final class PathArg1 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String hook,
        @Advice.Argument(value = 1, readOnly = false) Path path) {
      path = ModelGate.checkPath(hook, path);
    }
  }

  /** Argument 0 is a model path as a {@link String}. */
  static final class StringPathArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String hook,
        @Advice.Argument(value = 0, readOnly = false) String path) {
      path = ModelGate.checkPathString(hook, path);
    }
  }

  /** Argument 0 is a model {@link InputStream}. */
  static final class StreamArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String hook,
        @Advice.Argument(value = 0, readOnly = false) InputStream in) {
      in = ModelGate.checkStream(hook, in);
    }
  }

  /** Argument 0 is the model as a {@code byte[]}. */
  static final class BytesArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String hook,
        @Advice.Argument(value = 0, readOnly = false) byte[] bytes) {
      bytes = ModelGate.checkBytes(hook, bytes);
    }
  }

  /** Argument 0 is the model as a {@link ByteBuffer}. */
  static final class BufferArg0 {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String hook,
        @Advice.Argument(value = 0, readOnly = false) ByteBuffer buffer) {
      buffer = ModelGate.checkBuffer(hook, buffer);
    }
  }

  /** The method returns the model directory ({@code Repository.getResourceDirectory}). */
  static final class PathReturn {
    @Advice.OnMethodExit
    static void exit(@Advice.Origin("#t.#m") String hook,
        @Advice.Return(readOnly = false) Path path) {
      path = ModelGate.checkPath(hook, path);
    }
  }
}
