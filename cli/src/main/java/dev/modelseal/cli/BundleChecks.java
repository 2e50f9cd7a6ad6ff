package dev.modelseal.cli;

import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.KeylessVerifier;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.TrustedRoot;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;

/** What {@code verify-blob} and {@code verify-blob-attestation} share: reading a bundle, keyless checks. */
final class BundleChecks {
  private BundleChecks() {}

  /** Reads a bundle file (bounded), as typed on the command line. */
  static byte[] read(CliIo io, String arg) throws CliException {
    return Inputs.readBounded(io, arg, SignatureMaterial.MAX_BUNDLE_BYTES);
  }

  /** Parses bundle JSON read by {@link #read}. */
  static SignatureMaterial parse(String arg, byte[] json) throws CliException {
    try {
      return SignatureMaterial.parseBundle(json);
    } catch (VerificationException e) {
      throw new CliException("invalid bundle " + arg + ": " + e.getMessage(), e);
    }
  }

  /** {@code verify-blob} sends an attestation (a DSSE envelope) to {@code verify-blob-attestation}. */
  static void refuseAttestation(String bundleArg, SignatureMaterial bundle) throws CliException {
    if (bundle.isDsseEnvelope()) {
      throw new CliException("bundle " + bundleArg + " holds an attestation (a DSSE envelope), not a "
          + "signature of the file: verify it with verify-blob-attestation");
    }
  }

  /** {@code verify-blob-attestation} sends a message signature to {@code verify-blob}. */
  static void requireAttestation(String bundleArg, SignatureMaterial bundle) throws CliException {
    if (!bundle.isDsseEnvelope()) {
      throw new CliException("bundle " + bundleArg + " holds a signature, not an attestation (a DSSE "
          + "envelope): verify it with verify-blob");
    }
  }

  /**
   * Verifies a bundle with a key (and, given a trusted root, its log entries) over the file, stdin or
   * digest; prints nothing. A keyless bundle fails: a caller's key and a bundle's certificate never mix.
   */
  static void verifyWithKey(CliIo io, BlobArgument blob, BlobVerifier verifier, SignatureMaterial bundle)
      throws CliException {
    verify(io, blob, d -> verifier.verifyDigests(d, bundle), (in, size, bar) -> verifier.verify(in, size, bundle, bar));
  }

  /** Verifies a keyless bundle over the file, stdin or digest; prints nothing. */
  static void verifyKeyless(CliIo io, BlobArgument blob, TrustedRoot root, IdentityPolicy identity,
      SignatureMaterial bundle) throws CliException {
    KeylessVerifier verifier = KeylessVerifier.builder(root, identity).build();
    verify(io, blob, d -> verifier.verifyDigests(d, bundle), (in, size, bar) -> verifier.verify(in, size, bundle, bar));
  }

  /** Verification against digests the caller computed. */
  private interface DigestCheck {
    void verify(Map<String, byte[]> digests) throws VerificationException;
  }

  /** Verification of a stream of {@code size} bytes (-1: unknown). */
  private interface StreamCheck {
    void verify(InputStream in, long size, ProgressListener progress) throws VerificationException, IOException;
  }

  private static void verify(CliIo io, BlobArgument blob, DigestCheck digests, StreamCheck stream)
      throws CliException {
    try {
      if (blob.isDigest()) {
        digests.verify(Map.of("SHA-256", blob.sha256()));
      } else if (blob.isStdin()) {
        stream.verify(io.in, -1, ProgressListener.NONE);
      } else {
        long size = Files.size(blob.file());
        try (InputStream in = Files.newInputStream(blob.file());
            ProgressBar bar = ProgressBar.open(io, "verifying " + blob.file().getFileName(), size)) {
          stream.verify(in, size, bar);
        }
      }
    } catch (IOException e) {
      throw Inputs.readError(blob.display(), e);
    } catch (VerificationException e) {
      throw new CliException("verification failed: " + e.getMessage(), e);
    }
  }
}
