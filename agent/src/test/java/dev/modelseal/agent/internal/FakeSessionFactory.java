package dev.modelseal.agent.internal;

import java.nio.ByteBuffer;

/**
 * A stand-in for ONNX Runtime's {@code OrtEnvironment} in {@link HookWeaverRedirectTest}: path methods with overloads
 * that take the model's bytes instead, each saying which ran with what.
 */
public class FakeSessionFactory {
  public String createSession(String path, Object allocator, Object options) {
    do { // a loop head at the first instruction: the original code has a stack map frame at offset 0
      path = path.trim();
    } while (path.startsWith(" "));
    return "path " + path + " " + allocator + " " + options;
  }

  public String createSession(ByteBuffer model, Object allocator, Object options) {
    return "buffer " + model.remaining() + " " + allocator + " " + options;
  }

  public static String open(String path, long flags, Object options) {
    return "path " + path + " " + flags + " " + options;
  }

  public static String open(ByteBuffer model, long flags, Object options) {
    return "buffer " + model.remaining() + " " + flags + " " + options;
  }

  /** No overload that takes the bytes. */
  public String load(String path, Object options) {
    return "path " + path + " " + options;
  }
}
