package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space a copy may use in a folder: {@link #FILE_STORE} asks the folder's file store
 * ({@code statvfs} {@code f_bavail}); tests inject a fixed figure. A copy that does not fit is refused before anything
 * is written ({@link NoRoomForCopy}).
 */
interface UsableSpace {
  /** Bytes an unprivileged write may still use in {@code dir}'s file system. */
  long bytes(Path dir) throws IOException;

  UsableSpace FILE_STORE = new UsableSpace() {
    @Override
    public long bytes(Path dir) throws IOException {
      return Files.getFileStore(dir).getUsableSpace();
    }
  };
}
