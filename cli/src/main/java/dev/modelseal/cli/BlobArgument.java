package dev.modelseal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The FILE argument of the verify commands: a file, {@code -} for stdin, or, as in the Sigstore
 * conformance protocol, {@code sha256:<64 hex digits>} when no file of that name exists (then only the
 * digest is checked).
 *
 * @param display the argument as typed
 * @param file the file, or null for stdin or a digest
 * @param sha256 the digest given, or null for a file or stdin
 */
record BlobArgument(String display, Path file, byte[] sha256) {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-fA-F]{64}");

  /** Reads the argument: an existing file wins over the digest form. */
  static BlobArgument parse(CliIo io, String arg) throws CliException {
    if (arg.equals("-")) {
      return new BlobArgument(arg, null, null);
    }
    if (!Files.exists(io.resolve(arg)) && SHA256.matcher(arg).matches()) {
      byte[] digest = HexFormat.of().parseHex(arg.substring("sha256:".length()).toLowerCase(Locale.ROOT));
      return new BlobArgument(arg, null, digest);
    }
    return new BlobArgument(arg, Inputs.existingFile(io, arg), null);
  }

  boolean isDigest() {
    return sha256 != null;
  }

  boolean isStdin() {
    return file == null && sha256 == null;
  }

  /**
   * Fails unless a bundle that recorded {@code bundleDigestName} (the Sigstore name, e.g.
   * {@code SHA2_384}, or null when none is recorded) can be checked from a SHA-256 digest.
   */
  void requireSha256Usable(String bundleArg, String bundleDigestName) throws CliException {
    if (isDigest() && bundleDigestName != null && !bundleDigestName.equals("SHA2_256")
        && !bundleDigestName.equals("SHA-256")) {
      throw new CliException("bundle " + bundleArg + " signs the " + readable(bundleDigestName)
          + " digest of the file, which cannot be checked from the sha256 digest " + display
          + ": pass the file itself");
    }
  }

  private static String readable(String sigstoreName) {
    return sigstoreName.startsWith("SHA2_") ? "SHA-" + sigstoreName.substring(5) : sigstoreName;
  }
}
