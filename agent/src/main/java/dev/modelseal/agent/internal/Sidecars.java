package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Finds and reads the signature that speaks for a model file {@code X}: its own sidecar
 * ({@code X.sigstore.json}, else {@code X.sig}), else the {@code model.sig} beside it
 * ({@link FolderSignature}). Every read is bounded; links are not followed.
 */
final class Sidecars {
  static final String BUNDLE_SUFFIX = ".sigstore.json";
  static final String SIG_SUFFIX = ".sig";

  private Sidecars() {}

  /** Returns true if the name is a signature sidecar of a sibling file. */
  static boolean isSidecar(Path file) {
    String name = file.getFileName().toString();
    String base = name.endsWith(BUNDLE_SUFFIX) ? name.substring(0, name.length() - BUNDLE_SUFFIX.length())
        : name.endsWith(SIG_SUFFIX) ? name.substring(0, name.length() - SIG_SUFFIX.length()) : null;
    return base != null && !base.isEmpty() && Files.isRegularFile(file.resolveSibling(base), LinkOption.NOFOLLOW_LINKS);
  }

  /** Reads and parses the sidecar of {@code file}, or throws UNSIGNED when there is none. */
  private static SignatureMaterial sidecar(Path file, String shownName) throws Rejection, IOException {
    Path bundle = file.resolveSibling(file.getFileName() + BUNDLE_SUFFIX);
    Path sig = file.resolveSibling(file.getFileName() + SIG_SUFFIX);
    try {
      if (Files.exists(bundle, LinkOption.NOFOLLOW_LINKS)) {
        return bundle(file, readBounded(bundle, SignatureMaterial.MAX_BUNDLE_BYTES, shownName), shownName);
      }
      if (Files.exists(sig, LinkOption.NOFOLLOW_LINKS)) {
        return SignatureMaterial.parseDetached(readBounded(sig, SignatureMaterial.MAX_SIGNATURE_BYTES, shownName));
      }
    } catch (VerificationException e) {
      throw Rejection.of(shownName, e);
    }
    throw new Rejection(RejectReason.UNSIGNED, shownName + ": not signed (no " + shownName + BUNDLE_SUFFIX
        + " or " + shownName + SIG_SUFFIX + ")");
  }

  /**
   * Parses the {@code X.sigstore.json} sidecar of {@code file} from bytes the caller has already read
   * (the whole file, or more than {@link SignatureMaterial#MAX_BUNDLE_BYTES} of it), with the same
   * bound and messages as {@link #sidecar}, so that the sidecar is read only once.
   */
  static SignatureMaterial bundle(Path file, byte[] content, String shownName) throws Rejection {
    Path bundle = file.resolveSibling(file.getFileName() + BUNDLE_SUFFIX);
    try {
      return SignatureMaterial.parseBundle(bounded(content, bundle, SignatureMaterial.MAX_BUNDLE_BYTES, shownName));
    } catch (VerificationException e) {
      Rejection r = Rejection.of(shownName, e);
      if (!Files.exists(file.resolveSibling(file.getFileName() + SIG_SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
        throw r;
      }
      // Precedence is fixed (the bundle first); a broken bundle never silently hides the other.
      throw new Rejection(r.reason, r.getMessage() + " (in " + shownName + BUNDLE_SUFFIX + ", which takes "
          + "precedence: " + shownName + SIG_SUFFIX + " is not consulted while it exists)");
    }
  }

  private static byte[] readBounded(Path p, int max, String shownName) throws Rejection, IOException {
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new Rejection(RejectReason.PATH_REFUSED, shownName + ": signature " + p.getFileName()
          + " is not a regular file");
    }
    try (InputStream in = java.nio.channels.Channels.newInputStream(RegularFiles.openForReading(p))) {
      return bounded(in.readNBytes(max + 1), p, max, shownName);
    }
  }

  private static byte[] bounded(byte[] b, Path p, int max, String shownName) throws Rejection {
    if (b.length > max) {
      throw new Rejection(RejectReason.TOO_LARGE, shownName + ": signature " + p.getFileName()
          + " is larger than " + max + " bytes");
    }
    return b;
  }

  /**
   * The signature that speaks for {@code file}: its own sidecar ({@link #sidecar}), else the
   * {@code model.sig} beside it (the cosign tutorial's layout, {@link FolderSignature}).
   *
   * @throws Rejection {@code UNSIGNED} if there is neither, {@code MALFORMED_SIGNATURE} if the one found
   *     does not parse (a {@code model.sig}: naming what was tried)
   */
  static Found find(Path file, String shownName) throws Rejection, IOException {
    if (!Files.exists(file.resolveSibling(file.getFileName() + BUNDLE_SUFFIX), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(file.resolveSibling(file.getFileName() + SIG_SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
      FolderSignature folder = FolderSignature.read(file.getParent());
      if (folder != null) {
        String name = file.getFileName().toString();
        if (!folder.modelSigning && folder.cosign == null) {
          throw FolderSignature.neither(name, folder.problem);
        }
        return new Found(folder.cosign, shownName + ": " + FolderSignature.NAME + " (a cosign signature of "
            + name + ")", name, folder.modelSigning);
      }
    }
    return new Found(sidecar(file, shownName), shownName, null, false);
  }

  /**
   * A signature found for a file, and the name its failures are reported under.
   *
   * @param besideName for a {@code model.sig} beside the file, the file's name; null for its own sidecar
   * @param coveredByModelSigning the {@code model.sig} beside the file is an OpenSSF model signature
   *     (then {@code material} is null): it covers the directory, not the file alone
   */
  record Found(SignatureMaterial material, String label, String besideName,
      boolean coveredByModelSigning) {}

}
