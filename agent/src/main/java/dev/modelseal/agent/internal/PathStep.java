package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a runtime adds to {@link Gate#checkPath(String, Path, PathStep, long)} for the model locations its hooks hand
 * the gate ({@link JlamaGate}): a copy this same load already verified, a check of the pinned copy before it is handed
 * on, and a note of what was allowed. A refusal of the pinned copy is logged and applied like any other, and the copy
 * the check just made is deleted.
 */
interface PathStep {
  /**
   * A pinned copy of {@code real} that this same load already verified and logged, to hand on again without a new
   * decision; or null. Called once per check (with null when the path did not resolve).
   */
  Path reused(Path real);

  /**
   * Checks a pinned copy before the runtime gets it: one this check just verified and pinned ({@code fresh}), or one
   * the caller handed in already pinned. Returns what to add to the decision's detail (may be empty).
   *
   * @throws Rejection if the runtime must not get it
   */
  String checkPinned(String hook, Path pinned, boolean fresh) throws Rejection, IOException;

  /** {@code real} was verified, pinned as {@code pinned}, and allowed (logged). */
  void allowed(Path real, Path pinned);
}
