package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space a copy may use in a folder: {@link #fileStore()} asks the folder's file store ({@code statvfs}
 * {@code f_bavail}); tests inject a fixed figure. A copy that does not fit is refused before anything is written
 * ({@link NoRoomForCopy}).
 */
interface UsableSpace {
  /** Bytes an unprivileged write may still use in {@code dir}'s file system. */
  long bytes(Path dir) throws IOException;

  /**
   * The usable space of the file system holding a folder: {@code statvfs} on the folder itself
   * ({@code Files.getFileStore} would first search the mount table for it).
   */
  static UsableSpace fileStore() {
    return new UsableSpace() {
      @Override
      public long bytes(Path folder) throws IOException {
        long bytes = folder.toFile().getUsableSpace();
        if (bytes == 0 && !Files.isDirectory(folder)) {
          throw new IOException("cannot read the free space of " + folder + ": not a folder");
        }
        return bytes;
      }
    };
  }
}
