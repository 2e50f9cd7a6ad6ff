package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Verifies and pins ONE tokenizer file ({@code tokenizer.json}, {@code tokenizer_config.json}, a BPE
 * {@code vocab.json} or {@code merges.txt}) and nothing beside it. A file with a signature of its own
 * ({@code X.sigstore.json}, {@code X.sig}), or none and no OpenSSF {@code model.sig} above it, is verified as
 * {@link LocationVerifier} verifies a model file (its own sidecar, an OMS bundle, or a cosign {@code model.sig} beside
 * it). A file inside a directory signed with an OMS {@code model.sig} is verified against that manifest's entry for it
 * ({@link OmsListedFile}): the rest of the directory, possibly gigabytes of weights, is neither copied nor read.
 */
final class TokenizerFiles {
  private final AgentSettings settings;
  private final LocationVerifier locations;
  private final OmsListedFile omsFile;
  private final Pinner pinner;

  TokenizerFiles(AgentSettings settings, LocationVerifier locations, Pinner pinner) {
    this.settings = settings;
    this.locations = locations;
    this.pinner = pinner;
    this.omsFile = new OmsListedFile(pinner, new OmsPinner(settings, pinner));
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
    boolean ownSignature = Files.exists(sidecar(real, Sidecars.BUNDLE_SUFFIX), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(sidecar(real, Sidecars.SIG_SUFFIX), LinkOption.NOFOLLOW_LINKS);
    FolderSignature enclosing = ownSignature ? null : LocationVerifier.enclosingModelSignature(real);
    if (enclosing == null) {
      return locations.verifyAndPin(real); // a regular file: only it is pinned
    }
    PathRule.Format wanted = settings.formatFor(real);
    if (wanted != PathRule.Format.ANY && wanted != PathRule.Format.MODEL_SIGNING) {
      throw wanted.refusal();
    }
    Path folder = pinner.newPinFolder();
    boolean pinned = false;
    try {
      Verdict v = omsFile.verify(enclosing.dir, enclosing.content, real, folder.resolve(real.getFileName().toString()));
      pinned = true;
      return v;
    } finally {
      if (!pinned) {
        pinner.discard(folder); // a refused load leaves no copy behind
      }
    }
  }

  private static Path sidecar(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }
}
