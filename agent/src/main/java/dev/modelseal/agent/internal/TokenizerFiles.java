package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Verifies and pins ONE tokenizer file ({@code tokenizer.json}, {@code tokenizer_config.json}, a BPE
 * {@code vocab.json} or {@code merges.txt}) and nothing beside it, as {@link LocationVerifier#verifyAndPinFile}
 * verifies one file: its own signature, or the entry for it in the OMS {@code model.sig} of its directory
 * ({@link OmsListedFile}), so the rest of the directory, possibly gigabytes of weights, is neither copied nor read.
 */
final class TokenizerFiles {
  private final LocationVerifier locations;

  TokenizerFiles(LocationVerifier locations) {
    this.locations = locations;
  }

  /**
   * Verifies and pins one file.
   *
   * @param real the file's real path, resolved once by the caller
   * @return the verdict; the pinned copy keeps the file's name, alone in a new pin folder
   * @throws Rejection {@code PATH_REFUSED} if {@code real} is not a regular file, or why the file is refused
   */
  Verdict verifyAndPin(Path real) throws Rejection, IOException {
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new Rejection(RejectReason.PATH_REFUSED, "not a regular file");
    }
    return locations.verifyAndPinFile(real);
  }
}
