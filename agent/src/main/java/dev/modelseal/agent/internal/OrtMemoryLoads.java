package dev.modelseal.agent.internal;

import dev.modelseal.agent.internal.DecisionLog.Decision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The loads of ONNX models that waited for their ONNX Runtime session ({@link OnnxMemoryPins}), for {@link Gate}:
 * a session asking for a placeholder gets the verified bytes from memory ({@link #load}); anything else asking for a
 * pinned location with placeholders in it gets them written as verified copies first ({@link #writeCopies}).
 * Refusals are {@link Rejection}s (the gate logs them), each before the runtime is handed anything.
 */
final class OrtMemoryLoads {
  private final OnnxMemoryPins memory;
  private final ModelChecker checker;
  private final ExternalDataPinner externalData;
  private final DecisionLog log;
  private final VerifyProgress progress;
  /** The buffer a session was just handed on this thread, which its buffer overload's own check lets through. */
  private final ThreadLocal<ByteBuffer> handedOver = new ThreadLocal<>();

  OrtMemoryLoads(ModelChecker checker, ExternalDataPinner externalData, DecisionLog log, VerifyProgress progress) {
    this.memory = checker.filePins().memory();
    this.checker = checker;
    this.externalData = externalData;
    this.log = log;
    this.progress = progress;
  }

  /** True if {@code pinned} (a real path) is a placeholder that waits for its session. */
  boolean isWaiting(Path pinned) {
    return memory.at(pinned) != null;
  }

  /** The original of the placeholder {@code pinned}, which {@link #isWaiting} said waits. */
  Path sourceOf(Path pinned) {
    return memory.at(pinned).source();
  }

  /**
   * Loads the model the placeholder {@code pinned} waits for: reads its original once, verifies it and logs the
   * decision. Returns the verified bytes (a direct buffer for the session's buffer overload), or, for a model that
   * names external data (which ONNX Runtime finds beside a model file only), the placeholder made a verified copy
   * with its data verified beside it.
   *
   * @param location the model as the decision line names it
   */
  Object load(String hook, String location, Path pinned, long start) throws Rejection, IOException {
    OnnxMemoryPins.Deferred d = memory.at(pinned);
    VerifyProgress.Started large = progress.start(hook, location, d.source(), PinMode.MEMORY.label);
    try {
      OnnxMemoryPins.Read read = memory.read(d, d.source().getFileName().toString());
      String keyId = checker.verifyRead(d, read);
      String digest = LocationVerifier.sha256(read.digests());
      List<String> data = OnnxExternalData.locations(read.bytes());
      if (!data.isEmpty()) {
        OnnxMemoryPins.writeCopy(pinned, read.bytes());
        memory.done(pinned);
        String more = externalData.pinForPath(pinned, d.source());
        log.decision(hook, location, digest, keyId, Decision.ALLOW, null, System.nanoTime() - start,
            "verified " + d.source() + more + "; it names external data, which ONNX Runtime finds beside a model"
            + " file only: loading the verified copy " + pinned, PinMode.COPY.label, d.pinNote());
        return pinned.toString();
      }
      log.decision(hook, location, digest, keyId, Decision.ALLOW, null, System.nanoTime() - start,
          "verified " + d.source() + "; loading it from memory (" + read.bytes().remaining()
          + " bytes read once, nothing written)", PinMode.MEMORY.label, d.pinNote());
      handedOver.set(read.bytes());
      return read.bytes();
    } finally {
      progress.end(large); // after the decision line
    }
  }

  /**
   * True (once) if {@code buffer} is the one {@link #load} just returned on this thread, on its way into the
   * session's buffer overload: verified already, it goes on as it is.
   */
  boolean takeHandedOver(ByteBuffer buffer) {
    ByteBuffer mine = handedOver.get();
    if (mine == null) {
      return false;
    }
    handedOver.remove();
    return mine == buffer;
  }

  /**
   * Makes every placeholder at or under {@code pinned} a verified copy (read, verified, written; each logged), for
   * a runtime that reads the pinned location by path itself; refuses if one does not verify.
   */
  void writeCopies(String hook, Path pinned) throws Rejection, IOException {
    for (Map.Entry<Path, OnnxMemoryPins.Deferred> e : memory.under(pinned).entrySet()) {
      long start = System.nanoTime();
      OnnxMemoryPins.Deferred d = e.getValue();
      synchronized (d) {
        if (memory.at(e.getKey()) == null) {
          continue; // written by another thread meanwhile
        }
        OnnxMemoryPins.Read read = memory.read(d, d.source().getFileName().toString());
        String keyId = checker.verifyRead(d, read);
        OnnxMemoryPins.writeCopy(e.getKey(), read.bytes());
        memory.done(e.getKey());
        log.decision(hook, d.source().toString(), LocationVerifier.sha256(read.digests()), keyId, Decision.ALLOW,
            null, System.nanoTime() - start, "verified " + d.source() + "; this runtime reads it by path: loading"
            + " the verified copy " + e.getKey(), PinMode.COPY.label, d.pinNote());
      }
    }
  }
}
