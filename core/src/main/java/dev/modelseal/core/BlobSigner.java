package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Set;

/**
 * Signs blobs exactly as {@code cosign sign-blob --key} does without a transparency log: the scheme
 * follows the key ({@link SigningAlgorithm#defaultFor}), the blob is streamed in one pass in constant
 * memory, and the result can be written as a detached base64 signature or a Sigstore bundle.
 *
 * <p>Pure Ed25519 signs the whole message, so Ed25519 keys can sign at most
 * {@link BlobVerifier#DEFAULT_MAX_PURE_ED25519_BYTES} bytes; larger input is refused with
 * {@link VerificationException.Reason#TOO_LARGE}. Instances are immutable and thread-safe.
 */
public final class BlobSigner {
  private final PrivateKey key;
  private final PublicKey publicKey;
  private final SigningAlgorithm algorithm;

  private BlobSigner(PrivateKey key, PublicKey publicKey, SigningAlgorithm algorithm) {
    this.key = key;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
  }

  /**
   * Creates a signer for a private key.
   *
   * @throws KeyFormatException if the key type, curve or size is not supported
   */
  public static BlobSigner create(PrivateKey key) throws KeyFormatException {
    Objects.requireNonNull(key, "key");
    return new BlobSigner(key, KeySupport.publicKeyOf(key), SupportedKeys.defaultAlgorithm(key));
  }

  /** Returns the scheme this signer uses. */
  public SigningAlgorithm algorithm() {
    return algorithm;
  }

  /** Returns the public key that verifies this signer's signatures. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /**
   * Signs a file.
   *
   * @throws IOException if it cannot be read or is a directory
   * @throws VerificationException {@code TOO_LARGE} if an Ed25519 key is asked to sign too much
   */
  public SignatureMaterial sign(Path blob, ProgressListener progress) throws IOException, VerificationException {
    if (Files.isDirectory(blob)) {
      throw new IOException(blob + " is a directory, not a file");
    }
    long size = Files.size(blob);
    try (InputStream in = Files.newInputStream(blob)) {
      return sign(in, size, progress);
    }
  }

  /**
   * Signs everything {@code in} yields until its end. The stream is not closed.
   *
   * @param size the expected length for progress, or -1
   */
  public SignatureMaterial sign(InputStream in, long size, ProgressListener progress)
      throws IOException, VerificationException {
    long limit = BlobVerifier.DEFAULT_MAX_PURE_ED25519_BYTES;
    boolean pure = algorithm == SigningAlgorithm.ED25519;
    if (pure && size > limit) {
      throw tooLarge(size, limit);
    }
    StreamingDigest d = StreamingDigest.of(in,
        pure ? Set.of() : Set.of(algorithm.digestAlgorithm()), pure ? limit : 0, size, progress);
    if (pure && d.message == null) {
      // Outside the try below: VerificationException is a GeneralSecurityException.
      throw tooLarge(d.size, limit);
    }
    try {
      if (pure) {
        return SignatureMaterial.signed(algorithm,
            SignatureSchemes.sign(algorithm, key, d.message, d.messageLength), null, publicKey);
      }
      byte[] digest = d.digests.get(algorithm.digestAlgorithm());
      return SignatureMaterial.signed(algorithm,
          SignatureSchemes.sign(algorithm, key, digest, digest.length), digest, publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  private static VerificationException tooLarge(long size, long limit) {
    return new VerificationException(VerificationException.Reason.TOO_LARGE,
        "pure Ed25519 signs the whole message, which is " + size + " bytes, over the " + limit
            + "-byte limit; sign large files with an ECDSA key");
  }
}
