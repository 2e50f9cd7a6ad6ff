package dev.modelseal.bootstrap;

import java.io.IOException;

/**
 * What the agent implements behind sealed reads ({@link SealedReadGate}): decides a read-only open of a
 * file under a sealed model root. Not for application use.
 */
public interface SealedReadHandler {
  /**
   * Checks a read-only open.
   *
   * @param hook the hooked JDK method, for the decision log
   * @param path the absolute, normalised path the application named, under a root
   * @param nio true for the NIO provider (errors are NIO's), false for {@code java.io} (they are
   *     {@code FileNotFoundException}s)
   * @return the path to open instead (a verified, pinned copy, or the resolved file for a signature
   *     sidecar or an exempt path), or null to open {@code path} unchanged
   * @throws IOException the error the JDK itself would have thrown (no such file, a directory for
   *     {@code java.io}), so that the open fails as it would without the agent
   * @throws ModelVerificationException if the file is refused (enforce mode)
   */
  String checkRead(String hook, String path, boolean nio) throws IOException;
}
