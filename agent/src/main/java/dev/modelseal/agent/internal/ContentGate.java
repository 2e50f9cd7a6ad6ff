package dev.modelseal.agent.internal;

import dev.modelseal.agent.internal.DecisionLog.Decision;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.bootstrap.VerifiedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * {@link Gate}'s checks of models given in memory (a stream, bytes, a buffer, a string): each is read into, or copied
 * as, a private array first, bounded by {@code max-in-memory}, then verified by matching a signed file under the model
 * roots ({@link ModelChecker#verifyContent}); the runtime gets that verified copy, never the caller's object, which
 * could still change (a string, immutable, goes on itself). For an ONNX Runtime session the external data the model
 * names is verified and pinned too ({@link ExternalDataPinner#pinForContent}).
 */
final class ContentGate {
  /** The largest array the JVM allocates: the in-memory limit for streams can be no larger. */
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private final Gate gate;
  private final AgentSettings settings;
  private final DecisionLog log;
  private final ModelChecker checker;
  private final ExternalDataPinner externalData;
  private final Object token;

  ContentGate(Gate gate, AgentSettings settings, DecisionLog log, ModelChecker checker,
      ExternalDataPinner externalData, Object token) {
    this.gate = gate;
    this.settings = settings;
    this.log = log;
    this.checker = checker;
    this.externalData = externalData;
    this.token = token;
  }

  /** A model stream: a stream over the verified bytes (a stream this gate made goes on as it is). */
  InputStream checkStream(String hook, InputStream in) {
    if (in instanceof VerifiedInputStream v && v.createdWith(token)) {
      return in;
    }
    long start = System.nanoTime();
    if (in == null) {
      return gate.reject(hook, "<stream>", RejectReason.UNSUPPORTED_SOURCE, "no model stream", start, null);
    }
    // The limit, but never more than the largest Java array. Read in chunks and stop as soon as the
    // count crosses it: an endless stream costs at most the limit and one chunk, then TOO_LARGE.
    long limit = Math.min(settings.maxInMemoryBytes(), MAX_ARRAY_BYTES);
    StreamChunks chunks;
    try {
      chunks = StreamChunks.read(in, limit);
    } catch (IOException e) {
      return gate.reject(hook, "<stream>", RejectReason.UNSUPPORTED_SOURCE, "cannot read the stream: " + e, start,
          null);
    }
    if (chunks.overLimit()) {
      return gate.reject(hook, "<stream>", RejectReason.TOO_LARGE, "stream of more than " + limit
          + " bytes is over the in-memory limit", start, chunks.thenRest(in));
    }
    byte[] content = chunks.join();
    byte[] verified = verifyContent(hook, "<stream>", content, start, false, null);
    return new VerifiedInputStream(verified, token);
  }

  /** A model's bytes (for an ONNX Runtime session, {@code onnx}, with its options): the verified private copy. */
  byte[] checkBytes(String hook, byte[] bytes, boolean onnx, Object options) {
    long start = System.nanoTime();
    if (bytes == null) {
      return gate.reject(hook, "<byte[]>", RejectReason.UNSUPPORTED_SOURCE, "no model bytes", start, null);
    }
    String location = "<byte[] " + bytes.length + " bytes>";
    // The limit before the private copy: an oversize array is refused without being copied.
    if (bytes.length > settings.maxInMemoryBytes()) {
      return overLimit(hook, location, start, bytes);
    }
    return verifyContent(hook, location, bytes.clone(), start, onnx, options);
  }

  /** A model's buffer (for an ONNX Runtime session, {@code onnx}, with its options): a verified direct copy. */
  ByteBuffer checkBuffer(String hook, ByteBuffer buffer, boolean onnx, Object options) {
    long start = System.nanoTime();
    if (buffer == null) {
      return gate.reject(hook, "<ByteBuffer>", RejectReason.UNSUPPORTED_SOURCE, "no model buffer", start, null);
    }
    ByteBuffer view = buffer.duplicate();
    if (view.remaining() > settings.maxInMemoryBytes()) {
      return gate.reject(hook, "<ByteBuffer>", RejectReason.TOO_LARGE, "buffer of " + view.remaining()
          + " bytes is over the in-memory limit of " + settings.maxInMemoryBytes(), start, buffer);
    }
    byte[] copy = new byte[view.remaining()];
    view.get(copy);
    verifyContent(hook, "<ByteBuffer " + copy.length + " bytes>", copy, start, onnx, options);
    ByteBuffer out = ByteBuffer.allocateDirect(copy.length);
    out.put(copy).flip();
    return out;
  }

  /**
   * Verifies a private copy, and for an ONNX Runtime session ({@code onnx}) the external data it names, pointing
   * {@code options} at its verified copies; returns the copy, or in audit mode after a rejection the same array.
   */
  private byte[] verifyContent(String hook, String location, byte[] copy, long start, boolean onnx,
      Object options) {
    if (copy.length > settings.maxInMemoryBytes()) {
      return overLimit(hook, location, start, copy);
    }
    try {
      Verdict v = checker.verifyContent(copy, location);
      String external = onnx ? externalData.pinForContent(copy, options) : "";
      try {
        log.decision(hook, location, v.digest(), v.keyId(), Decision.ALLOW, null, System.nanoTime() - start,
            v.detail() + external, PinMode.MEMORY.label, null);
      } catch (RuntimeException e) {
        externalData.discardPinsOf(options); // refused after its data was pinned: no copy stays
        throw e;
      }
      return copy;
    } catch (Rejection r) {
      return gate.reject(hook, location, r.reason, r.getMessage(), start, copy);
    } catch (IOException e) {
      return gate.reject(hook, location, RejectReason.INTERNAL_ERROR, "cannot search model roots: " + e, start, copy);
    }
  }

  /**
   * A model given as a string (LightGBM's {@code LGBM_BoosterLoadModelFromString}): verified in memory as the bytes
   * native code gets from it ({@link ModifiedUtf8}, what JNI's {@code GetStringUTFChars} returns), so a string
   * whose UTF-8 form is signed but that reaches native code as other bytes (a NUL, a supplementary character) is
   * refused. A string cannot change, so the verified one itself goes on.
   */
  String checkStringContent(String hook, String content) {
    long start = System.nanoTime();
    if (content == null) {
      return gate.reject(hook, "<String>", RejectReason.UNSUPPORTED_SOURCE, "no model string", start, null);
    }
    long length = ModifiedUtf8.length(content);
    String location = "<String " + length + " bytes>";
    if (length > Math.min(settings.maxInMemoryBytes(), MAX_ARRAY_BYTES)) {
      return overLimit(hook, location, start, content);
    }
    verifyContent(hook, location, ModifiedUtf8.encode(content), start, false, null);
    return content;
  }

  private <T> T overLimit(String hook, String location, long start, T auditPassThrough) {
    return gate.reject(hook, location, RejectReason.TOO_LARGE, "model of more than " + settings.maxInMemoryBytes()
        + " bytes is over the in-memory limit", start, auditPassThrough);
  }
}
