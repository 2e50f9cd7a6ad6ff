package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.FileStore;
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
   * The file store's usable space; the store of the last folder asked about is kept (finding it reads the mount
   * table, once per pin root rather than once per copied file).
   */
  static UsableSpace fileStore() {
    return new UsableSpace() {
      private Path dir;
      private FileStore store;

      @Override
      public synchronized long bytes(Path folder) throws IOException {
        if (!folder.equals(dir)) {
          store = Files.getFileStore(folder);
          dir = folder;
        }
        return store.getUsableSpace();
      }
    };
  }
}
