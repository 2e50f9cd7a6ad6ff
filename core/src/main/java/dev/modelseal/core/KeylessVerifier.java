package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Verifies Sigstore keyless bundles offline: the Fulcio certificate chains to the trusted root at the
 * signing time, its SCT verifies, the transparency-log entry and/or RFC 3161 timestamps prove the
 * signing time, and the certificate names the expected identity. Immutable and thread-safe.
 */
public final class KeylessVerifier {
  private KeylessVerifier() {}

  /** Starts a verifier that trusts {@code trustedRoot} and accepts signatures by {@code identity}. */
  public static Builder builder(TrustedRoot trustedRoot, IdentityPolicy identity) {
    return new Builder();
  }

  /** Builds a {@link KeylessVerifier}. */
  public static final class Builder {
    private Builder() {}

    /** Returns the verifier. */
    public KeylessVerifier build() {
      throw new UnsupportedOperationException("being written");
    }
  }

  /** Verifies a bundle over a file. */
  public void verify(Path artifact, SignatureMaterial bundle) throws VerificationException, IOException {
    throw new UnsupportedOperationException("being written");
  }

  /** Verifies a bundle over a stream of {@code size} bytes. */
  public void verify(InputStream in, long size, SignatureMaterial bundle, ProgressListener progress)
      throws VerificationException, IOException {
    throw new UnsupportedOperationException("being written");
  }

  /** Verifies a bundle against digests the caller computed (JCA name to digest). */
  public void verifyDigests(Map<String, byte[]> digests, SignatureMaterial bundle) throws VerificationException {
    throw new UnsupportedOperationException("being written");
  }

  /** The JCA digest names {@link #verifyDigests} may need. */
  public Set<String> digestAlgorithms() {
    return Set.of("SHA-256", "SHA-384", "SHA-512");
  }
}
