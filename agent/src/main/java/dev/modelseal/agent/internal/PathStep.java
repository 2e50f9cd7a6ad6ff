package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a runtime adds to {@link Gate#checkPath(String, Path, PathStep, long)} for the model locations its hooks hand
 * the gate ({@link JlamaGate}): a check of the pinned copy before it is handed on. A refusal of the pinned copy is
 * logged and applied like any other, and the copy the check just made is deleted.
 */
interface PathStep {
  /**
   * Checks a pinned copy before the runtime gets it: one this check just verified and pinned ({@code fresh}), or one
   * the caller handed in already pinned. Returns what to add to the decision's detail (may be empty).
   *
   * @throws Rejection if the runtime must not get it
   */
  String checkPinned(String hook, Path pinned, boolean fresh) throws Rejection, IOException;
}
