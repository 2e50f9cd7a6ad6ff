package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies OpenSSF Model Signing signatures ({@code model.sig}) offline, with one trusted EC public key
 * (key method), trusted root certificates (certificate method), or a Sigstore trusted root and an
 * identity policy (Sigstore keyless method, {@link Builder#keyless}).
 *
 * <p>Security guarantees: {@link #readSigned} returns only if the DSSE signature verifies with the
 * caller's key, or with the leaf of a chain that validates to the caller's anchors; keys, hints and
 * raw key bytes inside the bundle are never used to verify (a key hint that names another key is
 * {@code UNTRUSTED_KEY}). {@link #verify} then re-hashes the model with the signed serialization and
 * requires every signed file to be present and unchanged and, unless {@code ignoreUnsignedFiles}, no
 * other file. A Sigstore keyless bundle (Fulcio certificate plus transparency log) verifies only with the
 * keyless method, as {@link KeylessVerifier} checks a DSSE bundle (log entry, timestamps, certificate
 * chain at the signing time, identity, envelope signature); the statement's subject must then be the
 * manifest's root digest; given to the key or certificate method it is {@code UNTRUSTED_KEY}, and a
 * key-signed bundle given to the keyless method likewise. ML-DSA is {@code UNSUPPORTED}. Accepted formats: OMS v1.0 statements (v0.3.1 to v1.1.x bundles) and the legacy
 * v0.2 {@code Digests/v0.1} statement with its non-standard DSSE PAE. Instances are immutable and
 * thread-safe.
 */
public final class ModelVerifier {
  /** The largest {@code model.sig} accepted: 16 MiB. */
  public static final int MAX_BUNDLE_BYTES = 16 << 20;
  /** The advice given when a cosign blob signature or bundle is passed as a model signature. */
  static final String BLOB_SIGNATURE_ADVICE = "check the one file it signs with verify-blob, or sign the "
      + "whole model with sign-model (a file's own signature is named FILE.sig or FILE.sigstore.json)";
  static final String KEYLESS = "the model was signed keyless (a Sigstore Fulcio certificate), not with a key "
      + "or a certificate chain; verify it with an identity and a trusted root";

  private final PublicKey key;
  private final List<X509Certificate> anchors;
  private final boolean ignoreUnsignedFiles;
  private final ModelHashing callerOptions; // the caller's ignore paths and thread count
  private final boolean ignoreGitPaths;
  private final KeylessVerifier keyless;

  private ModelVerifier(Builder b) {
    this.key = b.key;
    this.anchors = b.anchors;
    this.keyless = b.keyless;
    this.ignoreUnsignedFiles = b.ignoreUnsignedFiles;
    this.callerOptions = b.hashing.build();
    this.ignoreGitPaths = b.ignoreGitPaths;
  }

  /**
   * Starts a verifier; set exactly one of {@link Builder#publicKey}, {@link Builder#trustAnchors} or
   * {@link Builder#keyless}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ModelVerifier}. */
  public static final class Builder {
    private PublicKey key;
    private List<X509Certificate> anchors;
    private KeylessVerifier keyless;
    private boolean ignoreUnsignedFiles;
    private boolean ignoreGitPaths = true;
    private final ModelHashing.Builder hashing = ModelHashing.files();

    private Builder() {}

    /**
     * Trusts one EC public key (key method).
     *
     * @throws IllegalArgumentException if the key is not EC P-256, P-384 or P-521
     */
    public Builder publicKey(PublicKey ecKey) {
      if (!(Objects.requireNonNull(ecKey, "ecKey") instanceof ECPublicKey ec)
          || EcCurve.orNull(ec) == null) {
        throw new IllegalArgumentException(ModelSigner.EC_ONLY);
      }
      this.key = ecKey;
      return this;
    }

    /**
     * Trusts root certificates (certificate method).
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public Builder trustAnchors(List<X509Certificate> roots) {
      if (roots.isEmpty()) {
        throw new IllegalArgumentException("at least one trust anchor is required");
      }
      this.anchors = List.copyOf(roots);
      return this;
    }

    /**
     * Trusts Sigstore keyless signatures ({@code model_signing sign sigstore}) by {@code identity},
     * checked offline against {@code root} (Sigstore keyless method).
     */
    public Builder keyless(TrustedRoot root, IdentityPolicy identity) {
      this.keyless = KeylessVerifier.builder(root, identity).build();
      return this;
    }

    /** If true, files that are not in the signature are not an error (default false). */
    public Builder ignoreUnsignedFiles(boolean ignore) {
      this.ignoreUnsignedFiles = ignore;
      return this;
    }

    /**
     * Adds paths to ignore besides the signed ones, relative to the model root (for example the
     * signature file when it lies inside the model).
     *
     * @throws IllegalArgumentException for absolute paths, paths with {@code ..}, or the root
     */
    public Builder ignorePaths(List<String> relativePosixPaths) {
      hashing.ignorePaths(relativePosixPaths);
      return this;
    }

    /** Ignores {@code .git .gitattributes .github .gitignore} at the top level (default true). */
    public Builder ignoreGitPaths(boolean ignore) {
      this.ignoreGitPaths = ignore;
      return this;
    }

    /**
     * Sets the number of hashing threads (default: available processors).
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 1024}
     */
    public Builder threads(int n) {
      hashing.threads(n);
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException unless exactly one of publicKey, trustAnchors and keyless was set
     */
    public ModelVerifier build() {
      if ((key != null ? 1 : 0) + (anchors != null ? 1 : 0) + (keyless != null ? 1 : 0) != 1) {
        throw new IllegalStateException("set exactly one of publicKey (key method), trustAnchors (certificate "
            + "method) or keyless (Sigstore keyless method)");
      }
      return new ModelVerifier(this);
    }
  }

  /**
   * Verifies a {@code model.sig} and returns what it signs, without looking at any model files.
   *
   * @throws VerificationException {@code TOO_LARGE} over {@link #MAX_BUNDLE_BYTES};
   *     {@code MALFORMED_SIGNATURE} for bad JSON, missing fields, a wrong payload type or statement
   *     type, or not exactly one subject; {@code UNSUPPORTED} for ML-DSA or unknown predicate
   *     types, methods and hashes; {@code UNTRUSTED_KEY} for a key hint naming another key, a chain
   *     that does not validate, a keyless bundle given to the key or certificate method (or a key-signed
   *     one to the keyless method), or any failure of the keyless checks ({@link KeylessVerifier}); {@code SIGNATURE_INVALID} if the signature does not verify;
   *     {@code DIGEST_MISMATCH} if the subject digest is not the root digest of the resources;
   *     {@code PATH_REFUSED} for resource names that are not relative paths inside the model
   */
  public SignedModel readSigned(byte[] bundleJson) throws VerificationException {
    return readSigned(ModelSignatureBundle.parse(bundleJson));
  }

  /**
   * {@link #readSigned(byte[])} on a bundle parsed once ({@link ModelSignatureBundle#parse}), for
   * checking one signature file with several verifiers (one per trusted key) at the cost of one parse.
   *
   * @throws VerificationException as {@link #readSigned(byte[])}, except the failures of parsing,
   *     which {@link ModelSignatureBundle#parse} has already reported
   */
  public SignedModel readSigned(ModelSignatureBundle bundle) throws VerificationException {
    return readSigned(bundle.json());
  }

  /** The checks of {@link #readSigned(byte[])} after parsing, on a parsed bundle's document. */
  private SignedModel readSigned(Map<String, Object> bundle) throws VerificationException {
    String mediaType = BundleFields.string(bundle, "mediaType", "bundle");
    if (!SignatureMaterial.BUNDLE_MEDIA_TYPE.equals(mediaType)) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "unsupported bundle media type " + mediaType + " (expected " + SignatureMaterial.BUNDLE_MEDIA_TYPE + ")");
    }
    Map<String, Object> vm = BundleFields.object(bundle.get("verificationMaterial"), "bundle verificationMaterial");
    if (keyless != null) {
      return readKeyless(bundle);
    }
    if (vm.containsKey("certificate")) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, KEYLESS);
    }
    if (!bundle.containsKey("dsseEnvelope") && bundle.containsKey("messageSignature")) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "not a model signature: the bundle signs a blob (messageSignature), not a DSSE envelope; "
              + BLOB_SIGNATURE_ADVICE);
    }
    Map<String, Object> env = BundleFields.object(bundle.get("dsseEnvelope"), "bundle dsseEnvelope");
    PublicKey signer;
    boolean legacySha256;
    Signature ready = null;
    if (key != null) {
      signer = key;
      legacySha256 = false;
      ready = initVerify(key); // the provider's set-up first: the hint below may wait for SHA-256's
      if (vm.get("publicKey") instanceof Map<?, ?> pk) {
        checkHint(pk.get("hint"));
      } else if (!vm.containsKey("x509CertificateChain")) {
        throw new VerificationException(Reason.MALFORMED_SIGNATURE,
            "bundle verificationMaterial has no publicKey or x509CertificateChain");
      }
    } else {
      if (!vm.containsKey("x509CertificateChain")) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, vm.containsKey("publicKey")
            ? "the model was signed with a bare public key, not a certificate chain; verify it with the public key"
            : "bundle verificationMaterial has no x509CertificateChain");
      }
      signer = CertificateChains.validate(CertificateChains.fromBundle(vm), anchors).getPublicKey();
      legacySha256 = true;
    }
    String payloadType = BundleFields.string(env, "payloadType", "dsseEnvelope");
    byte[] payload = BundleFields.base64(env, "payload", "dsseEnvelope");
    List<Object> sigs = BundleFields.list(env, "signatures", "dsseEnvelope");
    if (sigs.isEmpty()) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "dsseEnvelope has no signatures");
    }
    byte[] sig = BundleFields.base64(BundleFields.object(sigs.get(0), "DSSE signature"), "sig", "DSSE signature");
    String alg;
    try {
      alg = Dsse.ecdsaAlgorithm(EcCurve.of((ECPublicKey) signer));
    } catch (KeyFormatException e) {
      throw new VerificationException(Reason.UNSUPPORTED, e.getMessage());
    }
    if (!ecdsa(ready, alg, signer, Dsse.pae(payloadType, payload), sig)
        && !ecdsa(null, legacySha256 ? "SHA256withECDSA" : alg, signer, Dsse.legacyPae(payloadType, payload), sig)) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          "model signature does not verify with key " + KeyId.hex(signer));
    }
    if (!Dsse.IN_TOTO.equals(payloadType)) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "unexpected DSSE payload type " + payloadType + " (expected " + Dsse.IN_TOTO + ")");
    }
    OmsStatement.Parsed st = OmsStatement.parse(payload);
    return new SignedModel(st.manifest(), st.hashing(), st.modelName(), KeyId.hex(signer));
  }

  /** The keyless method: the DSSE bundle verified as {@link KeylessVerifier} does, then its statement. */
  private SignedModel readKeyless(Map<String, Object> bundle) throws VerificationException {
    if (!bundle.containsKey("dsseEnvelope") && bundle.containsKey("messageSignature")) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "not a model signature: the bundle signs a blob (messageSignature), not a DSSE envelope; "
              + BLOB_SIGNATURE_ADVICE);
    }
    SigstoreBundle b = SigstoreBundle.parse(bundle);
    if (b.publicKeyMaterial()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "the model was signed with a key, not keyless; verify it with the public key");
    }
    X509Certificate leaf = keyless.verifyEnvelope(b);
    if (!Dsse.IN_TOTO.equals(b.envelope().payloadType())) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "unexpected DSSE payload type "
          + b.envelope().payloadType() + " (expected " + Dsse.IN_TOTO + ")");
    }
    OmsStatement.Parsed st = OmsStatement.parse(b.envelope().payload());
    return new SignedModel(st.manifest(), st.hashing(), st.modelName(), KeyId.hex(leaf.getPublicKey()));
  }

  /**
   * Verifies a model directory (or single file) against its {@code model.sig}.
   *
   * @param model the model directory, or the file for a single-file model
   * @param bundleJson the bytes of {@code model.sig}
   * @param progress told of bytes hashed so far
   * @throws IOException if the model cannot be read
   * @throws VerificationException as {@link #readSigned}; {@code PATH_REFUSED} from hashing;
   *     {@code MANIFEST_MISMATCH} naming the missing, extra and modified files
   */
  public void verify(Path model, byte[] bundleJson, ProgressListener progress)
      throws IOException, VerificationException {
    // Parsed once, with readSigned's own checks and messages: a bundle that does not parse is
    // refused here, exactly as readSigned(bundleJson) would refuse it, before any hashing starts.
    Map<String, Object> bundle = ModelSignatureBundle.parse(bundleJson).json();
    ModelHashing early = unverifiedHashing(bundle);
    if (early == null) {
      SignedModel signed = readSigned(bundle);
      signed.check(ModelManifest.compute(model, withCallerOptions(signed.hashing()), progress), ignoreUnsignedFiles);
      return;
    }
    // Hash while the signature is checked: the serialization read here comes from the same bundle
    // that readSigned then verifies, and nothing hashed is trusted before that verification passes.
    BackgroundModelHash hasher = BackgroundModelHash.start(model, withCallerOptions(early), progress);
    SignedModel signed;
    try {
      signed = readSigned(bundle);
    } catch (VerificationException | RuntimeException | Error e) {
      hasher.cancelAndJoin(); // a refused signature stops the hashing within one buffer
      throw e;
    }
    signed.check(hasher.await(), ignoreUnsignedFiles);
  }

  private ModelHashing withCallerOptions(ModelHashing signed) {
    return signed.toBuilder().ignorePaths(callerOptions.ignorePaths()).ignoreGitPaths(ignoreGitPaths)
        .threads(callerOptions.threads()).build();
  }

  /** The serialization a bundle claims, read without checking anything; null if it cannot be read. */
  private static ModelHashing unverifiedHashing(Map<String, Object> bundle) {
    try {
      Map<String, Object> env = BundleFields.object(bundle.get("dsseEnvelope"), "bundle dsseEnvelope");
      return OmsStatement.claimedHashing(BundleFields.base64(env, "payload", "dsseEnvelope"));
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  private void checkHint(Object hint) throws VerificationException {
    if (!(hint instanceof String h)) {
      return; // pre-1.1 bundles carry rawBytes/keyDetails instead; never used, never compared
    }
    if (h.startsWith("ML_DSA")) {
      throw new VerificationException(Reason.UNSUPPORTED, "ML-DSA model signatures are not supported");
    }
    String expected = ModelSigner.pemHint(key);
    if (!h.equalsIgnoreCase(expected) && !h.equals(KeyId.hint(key))) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "key mismatch: the signature names key hint "
          + h + ", but the given key's hint is " + expected);
    }
  }

  /** A signature ready to verify with {@code key}, or null if there is none (then checked later). */
  private static Signature initVerify(PublicKey key) {
    try {
      Signature s = Signature.getInstance(Dsse.ecdsaAlgorithm(EcCurve.of((ECPublicKey) key)));
      s.initVerify(key);
      return s;
    } catch (java.security.GeneralSecurityException | RuntimeException e) { // KeyFormatException too
      return null;
    }
  }

  /** Checks {@code sig} over {@code data} with {@code ready}, or with a new {@code alg} signature if null. */
  private static boolean ecdsa(Signature ready, String alg, PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature s = ready;
      if (s == null) {
        s = Signature.getInstance(alg);
        s.initVerify(key);
      }
      s.update(data);
      return s.verify(sig);
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
