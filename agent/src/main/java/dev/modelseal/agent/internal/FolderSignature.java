package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A {@code model.sig} file, read once and classified. It is either an OpenSSF model signature of the
 * directory it is in (a Sigstore bundle with a DSSE envelope), or, in the layout of the cosign model
 * tutorial ({@code cosign sign-blob --key cosign.key model.bin > model.sig}), a cosign blob signature
 * of a file beside it: base64 or raw DER, or a Sigstore bundle with a message signature. A file it
 * signs has no signature of its own ({@code X.sig}, {@code X.sigstore.json}), which take precedence.
 */
final class FolderSignature {
  static final String NAME = OmsPinner.SIGNATURE;

  /** The directory that holds it. */
  final Path dir;
  /** The bytes read, bounded by {@link OmsPinner#readSignature}. */
  final byte[] content;
  /** True for an OpenSSF model signature of the directory. */
  final boolean modelSigning;
  /** The cosign signature; null for a model signature or when it parses as neither ({@link #problem}). */
  final SignatureMaterial cosign;
  /** Why it is not a cosign signature, or null. */
  final String problem;

  private FolderSignature(Path dir, byte[] content, boolean modelSigning, SignatureMaterial cosign,
      String problem) {
    this.dir = dir;
    this.content = content;
    this.modelSigning = modelSigning;
    this.cosign = cosign;
    this.problem = problem;
  }

  /** Returns true if {@code dir} has an entry named {@code model.sig} (links not followed). */
  static boolean existsIn(Path dir) {
    return dir != null && Files.exists(dir.resolve(NAME), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Reads {@code dir/model.sig}, or returns null when there is none.
   *
   * @throws Rejection {@code PATH_REFUSED} if it is not a regular file, {@code TOO_LARGE} over the bound
   */
  static FolderSignature read(Path dir) throws Rejection, IOException {
    if (!existsIn(dir)) {
      return null;
    }
    byte[] content = OmsPinner.readSignature(dir.resolve(NAME));
    if (OmsPinner.isModelSignature(content)) {
      return new FolderSignature(dir, content, true, null, null);
    }
    try {
      SignatureMaterial sig = firstNonSpace(content) == '{'
          ? SignatureMaterial.parseBundle(content)
          : SignatureMaterial.parseDetached(content);
      return new FolderSignature(dir, content, false, sig, null);
    } catch (VerificationException e) {
      return new FolderSignature(dir, content, false, null, e.getMessage());
    }
  }

  /**
   * The refusal of a {@code model.sig} that is of no use for {@code fileName}: neither a model
   * signature nor a cosign signature ({@code cause} says why), with how to sign instead.
   */
  static Rejection neither(String fileName, String cause) {
    return new Rejection(RejectReason.MALFORMED_SIGNATURE, NAME + " is neither an OpenSSF model signature nor a "
        + "cosign signature of " + fileName + " (" + cause + "): name the file's own signature " + fileName
        + ".sig or " + fileName + ".sigstore.json, or sign the whole directory with sign-model");
  }

  private static int firstNonSpace(byte[] b) {
    for (byte c : b) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return c;
      }
    }
    return -1;
  }
}
