package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies cosign blob signatures with one trusted public key, streaming the blob in one pass.
 *
 * <p>Security guarantees: {@link #verify} returns normally only if the signature verifies over the
 * exact bytes read, with the key given to the builder. Keys, certificates and hints inside the
 * signature material are never used to verify; if they name another key the result is
 * {@code UNTRUSTED_KEY}; a bundle that carries a signing certificate (a keyless signature) is refused
 * with {@code UNTRUSTED_KEY} whatever its key: it is verified with {@link KeylessVerifier}. A digest
 * recorded in a bundle must also match the bytes read (compared in constant time). Without a trusted root,
 * transparency-log entries are not checked (offline key-based verification, like {@code cosign
 * verify-blob --insecure-ignore-tlog}); with one ({@link Builder#trustedRoot}), a Sigstore bundle's log
 * entries and RFC 3161 timestamps must verify against it, as sigstore-go does for managed keys.
 *
 * <p>A Sigstore bundle holding a DSSE envelope (an attestation) verifies when the envelope's signature
 * verifies with the key over PAE(payloadType, payload), the payload is an in-toto statement, and one of
 * its subjects has the artifact's SHA-256 digest ({@code verify-blob-attestation}).
 *
 * <p>The scheme follows the key as in cosign 2.6 and later. P-384/P-521 signatures over SHA-256, made
 * by cosign 2.5 and earlier, are accepted only with {@link Builder#acceptLegacySha256(boolean)}.
 * Ed25519 detached signatures are tried as pure Ed25519 and as Ed25519ph; pure Ed25519 needs the
 * whole message in memory, so it is limited to {@link Builder#maxPureEd25519Bytes(long)} bytes.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BlobVerifier {
  /** Default limit for messages verified with pure Ed25519: 32 MiB. */
  public static final long DEFAULT_MAX_PURE_ED25519_BYTES = 32L << 20;

  /** Above this size, signature set-up runs on a helper thread while the blob is hashed. */
  private static final long WARM_UP_THRESHOLD = 16L << 20;

  private final PublicKey key;
  private final SigningAlgorithm keyDefault;
  private final boolean acceptLegacySha256;
  private final long maxPureEd25519Bytes;
  private final TrustedRoot trustedRoot;

  private BlobVerifier(Builder b, SigningAlgorithm keyDefault) {
    this.key = b.key;
    this.keyDefault = keyDefault;
    this.acceptLegacySha256 = b.acceptLegacySha256;
    this.maxPureEd25519Bytes = b.maxPureEd25519Bytes;
    this.trustedRoot = b.trustedRoot;
  }

  /** Starts a verifier for one trusted public key. */
  public static Builder builder(PublicKey key) {
    return new Builder(Objects.requireNonNull(key, "key"));
  }

  /** Builds a {@link BlobVerifier}; invalid combinations are refused by {@link #build()}. */
  public static final class Builder {
    private final PublicKey key;
    private boolean acceptLegacySha256;
    private long maxPureEd25519Bytes = DEFAULT_MAX_PURE_ED25519_BYTES;
    private TrustedRoot trustedRoot;

    private Builder(PublicKey key) {
      this.key = key;
    }

    /**
     * Also accepts P-384 and P-521 signatures over SHA-256, as cosign 2.5 and earlier made them
     * ({@code --signature-digest-algorithm sha256}). Off by default.
     */
    public Builder acceptLegacySha256(boolean accept) {
      this.acceptLegacySha256 = accept;
      return this;
    }

    /** Sets the largest message verified with pure Ed25519 (1 byte to 1 GiB). */
    public Builder maxPureEd25519Bytes(long bytes) {
      this.maxPureEd25519Bytes = bytes;
      return this;
    }

    /**
     * Also checks a Sigstore bundle's transparency-log entries (and RFC 3161 timestamps) against this
     * trusted root: the bundle must carry at least one log entry, recording this signature and key, that
     * verifies ({@link TransparencyLogEntries}); a detached signature or a legacy bundle is then refused.
     * Off (null) by default.
     */
    public Builder trustedRoot(TrustedRoot root) {
      this.trustedRoot = root;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws KeyFormatException if the key is not a supported kind
     * @throws IllegalArgumentException if an option is out of range or does not apply to the key
     */
    public BlobVerifier build() throws KeyFormatException {
      SigningAlgorithm def = SupportedKeys.defaultAlgorithm(key);
      if (maxPureEd25519Bytes < 1 || maxPureEd25519Bytes > (1L << 30)) {
        throw new IllegalArgumentException("maxPureEd25519Bytes must be between 1 and 1 GiB");
      }
      if (acceptLegacySha256 && def == SigningAlgorithm.ED25519) {
        throw new IllegalArgumentException("acceptLegacySha256 applies to ECDSA keys only");
      }
      return new BlobVerifier(this, def);
    }
  }

  /**
   * Verifies a file.
   *
   * @throws VerificationException if the signature does not prove the file is what the key signed
   * @throws IOException if the file cannot be read
   */
  public void verify(Path blob, SignatureMaterial signature, ProgressListener progress)
      throws VerificationException, IOException {
    if (Files.isDirectory(blob)) {
      throw new IOException(blob + " is a directory, not a file");
    }
    long size = Files.size(blob);
    try (InputStream in = Files.newInputStream(blob)) {
      verify(in, size, signature, progress);
    }
  }

  /** Verifies a file without progress reports; see {@link #verify(Path, SignatureMaterial, ProgressListener)}. */
  public void verify(Path blob, SignatureMaterial signature) throws VerificationException, IOException {
    verify(blob, signature, ProgressListener.NONE);
  }

  /**
   * Verifies everything {@code in} yields until its end. The stream is not closed.
   *
   * @param size the expected length for progress, or -1
   * @throws VerificationException if the signature does not prove the bytes are what the key signed
   * @throws IOException if reading fails
   */
  public void verify(InputStream in, long size, SignatureMaterial signature, ProgressListener progress)
      throws VerificationException, IOException {
    List<SigningAlgorithm> candidates = checkedCandidates(signature);
    if (signature.isDsseEnvelope()) {
      KeyBundleChecks.verifyDsse(key, trustedRoot, signature,
          StreamingDigest.of(in, Set.of("SHA-256"), 0, size, progress).digests);
      return;
    }
    boolean pureOnly = candidates.size() == 1 && candidates.get(0) == SigningAlgorithm.ED25519;
    if (pureOnly && size > maxPureEd25519Bytes) {
      throw tooLargeForPure(size);
    }
    Set<String> algorithms = new LinkedHashSet<>();
    for (SigningAlgorithm a : candidates) {
      if (a.digestAlgorithm() != null) {
        algorithms.add(a.digestAlgorithm());
      }
    }
    if (trustedRoot != null) {
      algorithms.add("SHA-256"); // what a log entry over a pure Ed25519 signature records
    }
    long keep = candidates.contains(SigningAlgorithm.ED25519) ? maxPureEd25519Bytes : 0;
    if (size > WARM_UP_THRESHOLD || size < 0) {
      warmUpInBackground(candidates.get(0), signature.signature());
    }
    StreamingDigest d = StreamingDigest.of(in, algorithms, keep, size, progress);
    if (pureOnly && d.message == null) {
      throw tooLargeForPure(d.size);
    }
    byte[] sig = signature.signature();
    for (SigningAlgorithm a : candidates) {
      boolean ok = a == SigningAlgorithm.ED25519
          ? d.message != null && SignatureSchemes.verify(a, key, d.message, d.messageLength, sig)
          : SignatureSchemes.verify(a, key, d.digests.get(a.digestAlgorithm()),
              d.digests.get(a.digestAlgorithm()).length, sig);
      if (ok) {
        checkRecordedDigest(signature, a, d);
        KeyBundleChecks.checkLog(key, trustedRoot, signature, a, d.digests);
        return;
      }
    }
    if (candidates.contains(SigningAlgorithm.ED25519) && d.message == null) {
      // Pure Ed25519 was a candidate but could not be tried: the message exceeded the limit.
      throw tooLargeForPure(d.size);
    }
    throw new VerificationException(Reason.SIGNATURE_INVALID, invalidMessage(signature, candidates));
  }

  /**
   * Returns the JCA digest names ({@code "SHA-256"}, …) that {@link #verifyDigests} may need for
   * signatures by this verifier's key, so a caller can hash an artifact once for several keys.
   */
  public Set<String> digestAlgorithms() {
    Set<String> names = new LinkedHashSet<>();
    names.add("SHA-256");
    if (keyDefault.digestAlgorithm() != null) {
      names.add(keyDefault.digestAlgorithm());
    }
    if (keyDefault == SigningAlgorithm.ED25519) {
      names.add("SHA-512");
    }
    return names;
  }

  /**
   * Verifies a signature against digests the caller computed over the artifact (JCA name to
   * digest), for callers that hash while copying. Pure Ed25519 cannot be checked this way.
   *
   * @throws VerificationException as {@link #verify(InputStream, long, SignatureMaterial,
   *     ProgressListener)}, or {@code UNSUPPORTED} if the signature can only be pure Ed25519
   */
  public void verifyDigests(java.util.Map<String, byte[]> digests, SignatureMaterial signature)
      throws VerificationException {
    List<SigningAlgorithm> candidates = checkedCandidates(signature);
    if (signature.isDsseEnvelope()) {
      KeyBundleChecks.verifyDsse(key, trustedRoot, signature, digests);
      return;
    }
    List<SigningAlgorithm> usable = new ArrayList<>();
    for (SigningAlgorithm a : candidates) {
      if (a.digestAlgorithm() != null && digests.containsKey(a.digestAlgorithm())) {
        usable.add(a);
      }
    }
    if (usable.isEmpty()) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "a pure Ed25519 signature needs the whole message, not a digest");
    }
    byte[] sig = signature.signature();
    StreamingDigest d = StreamingDigest.ofDigests(digests);
    for (SigningAlgorithm a : usable) {
      byte[] digest = digests.get(a.digestAlgorithm());
      if (SignatureSchemes.verify(a, key, digest, digest.length, sig)) {
        checkRecordedDigest(signature, a, d);
        KeyBundleChecks.checkLog(key, trustedRoot, signature, a, digests);
        return;
      }
    }
    throw new VerificationException(Reason.SIGNATURE_INVALID, invalidMessage(signature, usable));
  }

  /**
   * Loads and initialises the signature provider for the key on a daemon thread, so that its
   * one-time cost overlaps with hashing a large blob instead of following it. The result is unused.
   */
  private void warmUpInBackground(SigningAlgorithm algorithm, byte[] signature) {
    if (algorithm.digestAlgorithm() == null) {
      return;
    }
    new SignatureWarmUp(algorithm, key, signature).start();
  }

  /**
   * The start of both {@code verify} and {@link #verifyDigests}: the signature names no other key, and
   * its encoding fits every scheme the key may have used; returns those schemes, in the order to try.
   */
  private List<SigningAlgorithm> checkedCandidates(SignatureMaterial signature) throws VerificationException {
    if (signature.carriesCertificate()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "the bundle carries a signing certificate (a "
          + "keyless signature), not a signature by a key; verify it with an identity and a trusted root, not a key");
    }
    PublicKey embedded = signature.embeddedKey();
    if (embedded != null && !MessageDigest.isEqual(embedded.getEncoded(), key.getEncoded())) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "signature carries key "
          + KeyId.hex(embedded) + ", not the trusted key " + KeyId.hex(key));
    }
    List<SigningAlgorithm> candidates = candidates(signature);
    for (SigningAlgorithm a : candidates) {
      SignatureSchemes.checkEncoding(a, key, signature.signature());
    }
    return candidates;
  }

  private List<SigningAlgorithm> candidates(SignatureMaterial signature) throws VerificationException {
    List<SigningAlgorithm> all = new ArrayList<>();
    switch (keyDefault) {
      case ED25519 -> {
        String dn = signature.digestName();
        if (signature.format() == SignatureMaterial.Format.SIGSTORE_BUNDLE) {
          all.add("SHA2_512".equals(dn) ? SigningAlgorithm.ED25519_PH : SigningAlgorithm.ED25519);
        } else {
          all.add(SigningAlgorithm.ED25519);
          all.add(SigningAlgorithm.ED25519_PH);
        }
      }
      case ECDSA_P384_SHA384 -> {
        all.add(keyDefault);
        if (acceptLegacySha256) {
          all.add(SigningAlgorithm.ECDSA_P384_SHA256);
        }
      }
      case ECDSA_P521_SHA512 -> {
        all.add(keyDefault);
        if (acceptLegacySha256) {
          all.add(SigningAlgorithm.ECDSA_P521_SHA256);
        }
      }
      default -> all.add(keyDefault);
    }
    String dn = signature.digestName();
    if (dn == null || keyDefault == SigningAlgorithm.ED25519) {
      return all;
    }
    List<SigningAlgorithm> matching = new ArrayList<>();
    for (SigningAlgorithm a : all) {
      if (dn.equals(a.bundleDigestName())) {
        matching.add(a);
      }
    }
    if (matching.isEmpty()) {
      throw new VerificationException(Reason.SIGNATURE_INVALID, "bundle digest " + dn
          + " does not match the key's " + keyDefault.bundleDigestName()
          + (dn.equals("SHA2_256") ? " (for signatures by cosign 2.5 and earlier, accept legacy SHA-256)" : ""));
    }
    return matching;
  }

  private static void checkRecordedDigest(SignatureMaterial s, SigningAlgorithm a, StreamingDigest d)
      throws VerificationException {
    byte[] recorded = s.digest();
    if (recorded == null) {
      return;
    }
    byte[] actual = a.digestAlgorithm() == null ? null : d.digests.get(a.digestAlgorithm());
    if (actual == null || !MessageDigest.isEqual(recorded, actual)) {
      throw new VerificationException(Reason.DIGEST_MISMATCH,
          "artifact digest does not match the bundle's messageDigest (" + s.digestName() + ")");
    }
  }

  private String invalidMessage(SignatureMaterial s, List<SigningAlgorithm> tried) {
    StringBuilder m = new StringBuilder("signature does not verify with key ").append(KeyId.hex(key));
    byte[] hint = s.keyHint();
    if (hint != null && !MessageDigest.isEqual(hint, KeyId.sha256(key))) {
      m.append(" (the bundle names a different key, hint ")
          .append(java.util.Base64.getEncoder().encodeToString(hint)).append(')');
    }
    return m.append(" (tried ").append(tried).append(')').toString();
  }

  private VerificationException tooLargeForPure(long size) {
    return new VerificationException(Reason.TOO_LARGE, "pure Ed25519 signs the whole message, which is "
        + size + " bytes, over the " + maxPureEd25519Bytes
        + "-byte limit; sign large files with an ECDSA key");
  }
}
