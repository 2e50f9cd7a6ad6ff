package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that does not fit in the pin folder's file system: thrown before anything is written, and turned into
 * a {@code TOO_LARGE} refusal by {@link LocationVerifier}. Its message is the one line the decision log and the
 * exception show: the size, the free space and the {@code pin-dir} setting.
 */
final class NoRoomForCopy extends IOException {
  private static final long serialVersionUID = 1L;

  NoRoomForCopy(String shownName, long size, long free, Path pinDir) {
    super(shownName + " (" + size + " bytes) does not fit in pin-dir " + pinDir + " (" + free
        + " bytes free): refused before anything was written; set pin-dir to a file system with room, or let the"
        + " model's storage qualify for in-place pinning");
  }
}
