package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies Sigstore keyless bundles offline: the Fulcio certificate chains to the trusted root at the
 * signing time, its SCT verifies, the transparency-log entry and/or RFC 3161 timestamps prove the
 * signing time, and the certificate names the expected identity. Immutable and thread-safe.
 *
 * <p>The checks run in this order, and the first that fails throws: parse (bundle v0.1 to v0.3, a
 * signing certificate, no root certificate in the bundle's chain); RFC 3161 timestamps over the
 * signature ({@link Rfc3161Timestamps}); the transparency-log entries against what the bundle and the
 * artifact say ({@link TransparencyLogEntries}: the artifact digest is the one this verifier computed,
 * never the bundle's {@code messageDigest}); the signing times, the log's integrated times together
 * with the timestamps' times (none: refused); the certificate chain, validity at every signing time,
 * EKU and SCT ({@link FulcioCertificates}); the identity policy; the signature with the certificate's
 * key (a message signature over the artifact, or a DSSE envelope over PAE(payloadType, payload) whose
 * in-toto statement names the artifact as a subject); last, a {@code messageDigest} in the bundle must
 * equal the artifact's digest.
 *
 * <p>Nothing is fetched: no network access, ever. A bundle signed with a managed key ({@code publicKey})
 * is refused with {@code UNTRUSTED_KEY}: it is verified with {@link BlobVerifier} and the key.
 */
public final class KeylessVerifier {
  private final TrustedRoot root;
  private final IdentityPolicy identity;
  private final long maxPureEd25519Bytes;
  private final KeylessSteps steps;

  private KeylessVerifier(Builder b) {
    this.root = b.root;
    this.identity = b.identity;
    this.maxPureEd25519Bytes = b.maxPureEd25519Bytes;
    this.steps = b.steps;
  }

  /** Starts a verifier that trusts {@code trustedRoot} and accepts signatures by {@code identity}. */
  public static Builder builder(TrustedRoot trustedRoot, IdentityPolicy identity) {
    return new Builder(Objects.requireNonNull(trustedRoot, "trustedRoot"),
        Objects.requireNonNull(identity, "identity"));
  }

  /** Builds a {@link KeylessVerifier}. */
  public static final class Builder {
    private final TrustedRoot root;
    private final IdentityPolicy identity;
    private long maxPureEd25519Bytes = BlobVerifier.DEFAULT_MAX_PURE_ED25519_BYTES;
    private KeylessSteps steps = KeylessSteps.REAL;

    private Builder(TrustedRoot root, IdentityPolicy identity) {
      this.root = root;
      this.identity = identity;
    }

    /**
     * Sets the largest artifact checked against a pure Ed25519 signature (which needs the whole message
     * in memory), 1 byte to 1 GiB; default {@link BlobVerifier#DEFAULT_MAX_PURE_ED25519_BYTES}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxPureEd25519Bytes(long bytes) {
      if (bytes < 1 || bytes > (1L << 30)) {
        throw new IllegalArgumentException("maxPureEd25519Bytes must be between 1 and 1 GiB");
      }
      this.maxPureEd25519Bytes = bytes;
      return this;
    }

    /** Replaces the timestamp, log and certificate verifications (tests of the orchestration only). */
    Builder steps(KeylessSteps replacement) {
      this.steps = Objects.requireNonNull(replacement, "replacement");
      return this;
    }

    /** Returns the verifier. */
    public KeylessVerifier build() {
      return new KeylessVerifier(this);
    }
  }

  /**
   * Verifies a bundle over a file.
   *
   * @throws VerificationException as {@link #verify(InputStream, long, SignatureMaterial, ProgressListener)}
   * @throws IOException if the file cannot be read or is a directory
   */
  public void verify(Path artifact, SignatureMaterial bundle) throws VerificationException, IOException {
    if (Files.isDirectory(artifact)) {
      throw new IOException(artifact + " is a directory, not a file");
    }
    long size = Files.size(artifact);
    try (InputStream in = Files.newInputStream(artifact)) {
      verify(in, size, bundle, ProgressListener.NONE);
    }
  }

  /**
   * Verifies a bundle over everything {@code in} yields (hashed in one pass; the stream is not closed).
   *
   * @param size the expected length for progress, or -1
   * @throws VerificationException {@code UNSUPPORTED} for a signature that is not a Sigstore bundle;
   *     {@code MALFORMED_SIGNATURE} for a bundle without a signing certificate;
   *     {@code UNTRUSTED_KEY} for a bundle signed with a managed key, a root certificate in the bundle,
   *     no verified signing time, an untrusted chain, log or timestamp authority, or another identity;
   *     {@code SIGNATURE_INVALID} for a signature (or log entry, or timestamp) that does not verify;
   *     {@code DIGEST_MISMATCH} when the artifact is not what the bundle signs (DSSE subject, messageDigest);
   *     {@code TOO_LARGE} for a pure Ed25519 signature over more than the configured limit
   * @throws IOException if reading fails
   */
  public void verify(InputStream in, long size, SignatureMaterial bundle, ProgressListener progress)
      throws VerificationException, IOException {
    SigstoreBundle b = keylessBundle(bundle);
    Set<String> algorithms = new LinkedHashSet<>();
    algorithms.add("SHA-256");
    SigningAlgorithm scheme = null;
    if (!b.isDsse()) {
      scheme = BundleSignatures.messageScheme(b.leaf().getPublicKey(), b.digestName(), "the signing certificate's key");
      if (scheme.digestAlgorithm() != null) {
        algorithms.add(scheme.digestAlgorithm());
      }
      String hinted = BundleSignatures.jcaDigest(b.digestName());
      if (hinted != null) {
        algorithms.add(hinted);
      }
    }
    boolean pure = scheme == SigningAlgorithm.ED25519;
    if (pure && size > maxPureEd25519Bytes) {
      throw tooLargeForPure(size);
    }
    StreamingDigest d = StreamingDigest.of(in, algorithms, pure ? maxPureEd25519Bytes : 0, size, progress);
    if (pure && d.message == null) {
      throw tooLargeForPure(d.size);
    }
    check(b, d.digests, d.message, d.messageLength);
  }

  /**
   * Verifies a bundle against digests the caller computed over the artifact (JCA name to digest, e.g.
   * only {@code "SHA-256"} for a {@code sha256:<hex>} argument).
   *
   * @throws VerificationException as {@link #verify(InputStream, long, SignatureMaterial, ProgressListener)};
   *     {@code UNSUPPORTED} when the signature needs a digest that was not given (a bundle over SHA-384
   *     or SHA-512 checked from SHA-256, or pure Ed25519, which needs the whole artifact)
   */
  public void verifyDigests(Map<String, byte[]> digests, SignatureMaterial bundle) throws VerificationException {
    SigstoreBundle b = keylessBundle(bundle);
    check(b, Map.copyOf(digests), null, 0);
  }

  /** The JCA digest names {@link #verifyDigests} may need. */
  public Set<String> digestAlgorithms() {
    return Set.of("SHA-256", "SHA-384", "SHA-512");
  }

  /**
   * Verifies a keyless DSSE bundle up to and including its envelope signature, without an artifact:
   * for {@link ModelVerifier}, whose artifact (the manifest) is checked against the statement afterwards.
   * Returns the verified leaf certificate.
   */
  X509Certificate verifyEnvelope(SigstoreBundle b) throws VerificationException {
    requireKeyless(b);
    if (!b.isDsse()) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "bundle signs a blob (messageSignature), not a DSSE envelope");
    }
    X509Certificate leaf = checkSigner(b, dsseContent(b));
    checkDsseSignature(b, leaf);
    return leaf;
  }

  private void check(SigstoreBundle b, Map<String, byte[]> digests, byte[] message, int messageLength)
      throws VerificationException {
    if (b.isDsse()) {
      X509Certificate leaf = checkSigner(b, dsseContent(b));
      checkDsseSignature(b, leaf);
      BundleSignatures.requireSubject(b.envelope(), digests);
      return;
    }
    SigningAlgorithm scheme = BundleSignatures.messageScheme(b.leaf().getPublicKey(), b.digestName(),
        "the signing certificate's key");
    String loggedName = scheme.bundleDigestName() == null ? "SHA2_256" : scheme.bundleDigestName();
    byte[] logged = digests.get(BundleSignatures.jcaDigest(loggedName));
    if (logged == null) {
      throw new VerificationException(Reason.UNSUPPORTED, "the bundle signs the artifact's "
          + BundleSignatures.jcaDigest(loggedName) + " digest (" + loggedName + "), which the given "
          + String.join(", ", new TreeSet<>(digests.keySet())) + " cannot check; verify the file itself");
    }
    byte[] hinted = null;
    if (b.digestName() != null) {
      hinted = digests.get(BundleSignatures.jcaDigest(b.digestName()));
      if (hinted == null) {
        throw new VerificationException(Reason.UNSUPPORTED, "the bundle's messageDigest is " + b.digestName()
            + ", which the given digests cannot check; verify the file itself");
      }
    }
    if (scheme == SigningAlgorithm.ED25519 && message == null) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "a pure Ed25519 signature needs the whole artifact, not a digest");
    }
    LoggedContent content = new LoggedContent(b.signature(), loggedName, logged, null, der(b.leaf()), true);
    X509Certificate leaf = checkSigner(b, content);
    PublicKey key = leaf.getPublicKey();
    SignatureSchemes.checkEncoding(scheme, key, b.signature());
    byte[] input = scheme == SigningAlgorithm.ED25519 ? message : digests.get(scheme.digestAlgorithm());
    int length = scheme == SigningAlgorithm.ED25519 ? messageLength : input.length;
    if (!SignatureSchemes.verify(scheme, key, input, length, b.signature())) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          "signature does not verify over the artifact with the signing certificate's key (" + scheme + ")");
    }
    if (hinted != null && !MessageDigest.isEqual(hinted, b.digest())) {
      throw new VerificationException(Reason.DIGEST_MISMATCH,
          "artifact digest does not match the bundle's messageDigest (" + b.digestName() + ")");
    }
  }

  /** Timestamps, log entries, signing times, certificate chain and identity; returns the verified leaf. */
  private X509Certificate checkSigner(SigstoreBundle b, LoggedContent content) throws VerificationException {
    List<Instant> timestampTimes = b.signedTimestamps().isEmpty() ? List.of()
        : steps.timestamps(b.signedTimestamps(), b.signature(), root);
    if (b.tlogEntries().isEmpty()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "bundle has no transparency-log entry");
    }
    List<Instant> logTimes = steps.logEntries(b.tlogEntries(), content, root, b.minorVersion(), timestampTimes);
    Set<Instant> times = new TreeSet<>(logTimes);
    times.addAll(timestampTimes);
    if (times.isEmpty()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "no verified signing time: the bundle has neither "
          + "a transparency-log integrated time nor an RFC 3161 timestamp");
    }
    X509Certificate leaf = steps.certificates(b.certificates(), root, new ArrayList<>(times));
    identity.check(leaf);
    return leaf;
  }

  private static void checkDsseSignature(SigstoreBundle b, X509Certificate leaf) throws VerificationException {
    if (!BundleSignatures.verifyDsse(leaf.getPublicKey(), b.envelope(), b.signature(),
        "the signing certificate's key")) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          "DSSE signature does not verify with the signing certificate's key");
    }
  }

  private static LoggedContent dsseContent(SigstoreBundle b) throws VerificationException {
    if (b.envelope().signatures().size() != 1) {
      throw new VerificationException(Reason.UNSUPPORTED, "DSSE envelope has "
          + b.envelope().signatures().size() + " signatures; a keyless bundle has exactly one");
    }
    return new LoggedContent(b.signature(), null, null, b.envelope(), der(b.leaf()), true);
  }

  /** The parsed bundle of {@code m}, with a signing certificate and no root in its chain. */
  private static SigstoreBundle keylessBundle(SignatureMaterial m) throws VerificationException {
    SigstoreBundle b = m.bundle();
    if (b == null) {
      throw new VerificationException(Reason.UNSUPPORTED, "keyless verification needs a Sigstore bundle, not "
          + (m.format() == SignatureMaterial.Format.DETACHED ? "a detached signature" : "a legacy cosign bundle"));
    }
    requireKeyless(b);
    return b;
  }

  private static void requireKeyless(SigstoreBundle b) throws VerificationException {
    if (b.publicKeyMaterial()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "the bundle was signed with a key, not a certificate; verify with --key");
    }
    if (b.leaf() == null) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "bundle verificationMaterial has no certificate or x509CertificateChain");
    }
    for (int i = 1; i < b.certificates().size(); i++) {
      if (FulcioCertificates.isSelfSigned(b.certificates().get(i))) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, "bundle certificate chain includes a root "
            + "certificate (certificate " + i + " is self-signed); trust comes from the trusted root only");
      }
    }
  }

  private static byte[] der(X509Certificate c) throws VerificationException {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle certificate cannot be encoded");
    }
  }

  private VerificationException tooLargeForPure(long size) {
    return new VerificationException(Reason.TOO_LARGE, "pure Ed25519 signs the whole message, which is "
        + size + " bytes, over the " + maxPureEd25519Bytes + "-byte limit");
  }
}
