package dev.modelseal.core;

/**
 * The signature schemes cosign uses for blobs, with the digest each one signs.
 *
 * <p>Which scheme a key uses follows cosign 2.6 and later ({@link #defaultFor}): P-256 and RSA sign
 * SHA-256, P-384 signs SHA-384, P-521 signs SHA-512, Ed25519 signs the message itself (pure). The
 * {@code *_SHA256} variants of the larger curves are what cosign 2.5 and earlier made; a verifier
 * accepts them only when asked to ({@link BlobVerifier.Builder#acceptLegacySha256(boolean)}).
 */
public enum SigningAlgorithm {
  /** ECDSA on P-256 over SHA-256, DER signature. cosign's default key. */
  ECDSA_P256_SHA256("SHA-256", "SHA2_256"),
  /** ECDSA on P-384 over SHA-384, DER signature (cosign 2.6 and later). */
  ECDSA_P384_SHA384("SHA-384", "SHA2_384"),
  /** ECDSA on P-384 over SHA-256, DER signature (cosign 2.5 and earlier). */
  ECDSA_P384_SHA256("SHA-256", "SHA2_256"),
  /** ECDSA on P-521 over SHA-512, DER signature (cosign 2.6 and later). */
  ECDSA_P521_SHA512("SHA-512", "SHA2_512"),
  /** ECDSA on P-521 over SHA-256, DER signature (cosign 2.5 and earlier). */
  ECDSA_P521_SHA256("SHA-256", "SHA2_256"),
  /** RSASSA-PKCS1-v1_5 over SHA-256, for 2048, 3072 and 4096-bit keys. */
  RSA_PKCS1_SHA256("SHA-256", "SHA2_256"),
  /** Pure Ed25519 over the whole message (RFC 8032); cannot be streamed, so its input is bounded. */
  ED25519(null, null),
  /** Ed25519ph: Ed25519 over SHA-512 of the message, empty context (RFC 8032 section 5.1). */
  ED25519_PH("SHA-512", "SHA2_512");

  private final String digestAlgorithm;
  private final String bundleDigestName;

  SigningAlgorithm(String digestAlgorithm, String bundleDigestName) {
    this.digestAlgorithm = digestAlgorithm;
    this.bundleDigestName = bundleDigestName;
  }

  /**
   * Returns the JCA name of the digest this scheme signs ({@code "SHA-256"}, …), or {@code null} for
   * pure Ed25519, which signs the message itself.
   */
  public String digestAlgorithm() {
    return digestAlgorithm;
  }

  /**
   * Returns the Sigstore bundle name of the digest ({@code "SHA2_256"}, …), or {@code null} for pure
   * Ed25519, for which cosign writes an empty {@code messageDigest}.
   */
  public String bundleDigestName() {
    return bundleDigestName;
  }

  /**
   * Returns the scheme cosign 2.6 and later signs with for this key when nothing is uploaded to a
   * transparency log.
   *
   * @throws KeyFormatException if the key type, curve or size is not supported
   */
  public static SigningAlgorithm defaultFor(java.security.Key key) throws KeyFormatException {
    return SupportedKeys.defaultAlgorithm(key);
  }
}
