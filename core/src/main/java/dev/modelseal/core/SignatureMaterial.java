package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A blob signature as cosign stores it, parsed and bounded: a detached signature file (base64 or
 * raw), a Sigstore bundle (protobuf-JSON, v0.1 to v0.3 in both media-type spellings, with a
 * {@code messageSignature} or a {@code dsseEnvelope}), or cosign's legacy
 * JSON bundle. Parsing checks structure only; {@link BlobVerifier} decides whether it verifies.
 *
 * <p>Instances are immutable. For {@link BlobVerifier}, anything a bundle carries about keys (a hint, an
 * embedded key or certificate) is never used to verify: it can only make verification fail (a key other
 * than the trusted one, or any certificate). {@link KeylessVerifier} uses a bundle's certificate only
 * after it chains to the caller's trusted root at a verified signing time and names the expected identity.
 */
public final class SignatureMaterial {
  /** Largest detached signature file accepted: 64 KiB. */
  public static final int MAX_SIGNATURE_BYTES = 64 * 1024;
  /** Largest bundle accepted: 1 MiB (a bundle with a transparency log entry is about 10 KiB). */
  public static final int MAX_BUNDLE_BYTES = 1024 * 1024;

  /** The bundle media type ModelSeal writes. */
  public static final String BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /** Where the signature came from. */
  public enum Format {
    /** A detached signature file: base64 (what cosign writes) or raw bytes. */
    DETACHED,
    /** A Sigstore protobuf-JSON bundle with a {@code messageSignature} or a {@code dsseEnvelope}. */
    SIGSTORE_BUNDLE,
    /** cosign's legacy JSON bundle ({@code base64Signature}, {@code cert}, {@code rekorBundle}). */
    LEGACY_BUNDLE
  }

  private final Format format;
  private final byte[] signature;
  private final String digestName;
  private final byte[] digest;
  private final byte[] keyHint;
  private final PublicKey embeddedKey;
  private final boolean transparencyLogEntry;
  private final SigstoreBundle bundle;
  private final boolean certificate;

  private SignatureMaterial(Format format, byte[] signature, String digestName, byte[] digest,
      byte[] keyHint, PublicKey embeddedKey, boolean transparencyLogEntry, SigstoreBundle bundle,
      boolean certificate) {
    this.format = format;
    this.signature = signature;
    this.digestName = digestName;
    this.digest = digest;
    this.keyHint = keyHint;
    this.embeddedKey = embeddedKey;
    this.transparencyLogEntry = transparencyLogEntry;
    this.bundle = bundle;
    this.certificate = certificate;
  }

  /** Signature material made by {@link BlobSigner}. */
  static SignatureMaterial signed(SigningAlgorithm algorithm, byte[] signature, byte[] digest, PublicKey key) {
    return new SignatureMaterial(Format.DETACHED, signature.clone(), algorithm.bundleDigestName(),
        digest == null ? null : digest.clone(), KeyId.sha256(key), null, false, null, false);
  }

  /**
   * Parses a detached signature file as cosign does: standard base64 with padding (CR and LF
   * ignored), or, when the content is not text, the raw signature bytes.
   *
   * @throws VerificationException {@code MALFORMED_SIGNATURE} if it is empty or bad base64;
   *     {@code TOO_LARGE} beyond {@link #MAX_SIGNATURE_BYTES}
   */
  public static SignatureMaterial parseDetached(byte[] content) throws VerificationException {
    if (content.length > MAX_SIGNATURE_BYTES) {
      throw new VerificationException(Reason.TOO_LARGE,
          "signature is " + content.length + " bytes, more than the " + MAX_SIGNATURE_BYTES + "-byte limit");
    }
    boolean text = true;
    StringBuilder b = new StringBuilder(content.length);
    for (byte c : content) {
      if (c == '\n' || c == '\r') {
        continue;
      }
      if (c < 0x20 || c > 0x7e) {
        text = false;
        break;
      }
      b.append((char) c);
    }
    byte[] sig;
    if (!text) {
      sig = content.clone();
    } else {
      String t = b.toString().strip();
      if (t.isEmpty()) {
        throw new VerificationException(Reason.MALFORMED_SIGNATURE, "signature is empty");
      }
      sig = decodeBase64(t, "signature");
    }
    return new SignatureMaterial(Format.DETACHED, sig, null, null, null, null, false, null, false);
  }

  /**
   * Returns true if {@code content} is a cosign blob signature as {@code sign-blob} writes it to
   * standard output (see {@link #parseDetached}) whose bytes have a signature's shape: a DER
   * {@code SEQUENCE} (ECDSA), 64 bytes (Ed25519) or 256, 384 or 512 bytes (RSA). It tells a user who
   * passes one where a model signature is expected what they passed; it verifies nothing.
   */
  public static boolean isDetachedSignature(byte[] content) {
    byte[] sig;
    try {
      sig = parseDetached(content).signature;
    } catch (VerificationException e) {
      return false;
    }
    int n = sig.length;
    boolean der = n >= 8 && sig[0] == 0x30
        && ((sig[1] & 0xff) == n - 2 || ((sig[1] & 0xff) == 0x81 && (sig[2] & 0xff) == n - 3));
    return der || n == 64 || n == 256 || n == 384 || n == 512;
  }

  /**
   * Parses a Sigstore bundle or a cosign legacy JSON bundle, telling them apart by their fields.
   *
   * @throws VerificationException {@code MALFORMED_SIGNATURE} if it is neither, or its members are
   *     missing, mistyped or not allowed in its version (v0.1 and v0.2 carry {@code x509CertificateChain}
   *     or {@code publicKey}; v0.3 {@code certificate}, {@code publicKey} or {@code x509CertificateChain});
   *     {@code UNSUPPORTED} for an unknown media type (accepted: v0.1, v0.2 and v0.3, each as
   *     {@code application/vnd.dev.sigstore.bundle+json;version=0.N} or
   *     {@code application/vnd.dev.sigstore.bundle.v0.N+json}) or digest algorithm; {@code TOO_LARGE}
   *     beyond {@link #MAX_BUNDLE_BYTES}
   */
  public static SignatureMaterial parseBundle(byte[] json) throws VerificationException {
    if (json.length > MAX_BUNDLE_BYTES) {
      throw new VerificationException(Reason.TOO_LARGE,
          "bundle is " + json.length + " bytes, more than the " + MAX_BUNDLE_BYTES + "-byte limit");
    }
    Object doc;
    try {
      doc = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle is not valid JSON: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> root)) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "bundle is not a JSON object");
    }
    if (root.containsKey("mediaType")) {
      return BundleJson.readSigstore(root);
    }
    if (root.containsKey("base64Signature")) {
      return BundleJson.readLegacy(root);
    }
    throw new VerificationException(Reason.MALFORMED_SIGNATURE,
        "not a Sigstore bundle: neither \"mediaType\" nor \"base64Signature\" is present");
  }

  static SignatureMaterial fromBundle(Format format, byte[] signature, String digestName, byte[] digest,
      byte[] keyHint, PublicKey embeddedKey, boolean tlog, SigstoreBundle bundle, boolean certificate) {
    return new SignatureMaterial(format, signature, digestName, digest, keyHint, embeddedKey, tlog, bundle,
        certificate);
  }

  /** The parsed Sigstore bundle, or null for a detached signature or a legacy bundle. */
  SigstoreBundle bundle() {
    return bundle;
  }

  static byte[] decodeBase64(String text, String what) throws VerificationException {
    try {
      byte[] v = Base64.getDecoder().decode(text);
      if (v.length == 0) {
        throw new VerificationException(Reason.MALFORMED_SIGNATURE, what + " is empty");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, what + " is not valid base64");
    }
  }

  /** Returns where this signature came from. */
  public Format format() {
    return format;
  }

  /** Returns a copy of the raw signature bytes (DER for ECDSA). */
  public byte[] signature() {
    return signature.clone();
  }

  /** Returns the signature as standard base64, the form of cosign's {@code .sig} files. */
  public String base64() {
    return Base64.getEncoder().encodeToString(signature);
  }

  /** Returns the bundle's digest algorithm name ({@code "SHA2_256"}, …), or null when it has none. */
  public String digestName() {
    return digestName;
  }

  /** Returns a copy of the bundle's recorded artifact digest, or null when it has none. */
  public byte[] digest() {
    return digest == null ? null : digest.clone();
  }

  /** Returns the bundle's key hint (SHA-256 of the signer's SPKI), or null. Never trusted. */
  public byte[] keyHint() {
    return keyHint == null ? null : keyHint.clone();
  }

  /** Returns the public key a legacy bundle or certificate carries, or null. Never trusted. */
  public PublicKey embeddedKey() {
    return embeddedKey;
  }

  /**
   * Returns true if this is a Sigstore bundle whose content is a DSSE envelope (an attestation, as
   * {@code cosign attest-blob} or {@code model_signing} write), rather than a message signature.
   */
  public boolean isDsseEnvelope() {
    return bundle != null && bundle.isDsse();
  }

  /**
   * Returns true if the bundle carries a signing certificate (a keyless signature: Sigstore
   * {@code certificate} or {@code x509CertificateChain}, or a legacy bundle's {@code cert} holding a
   * certificate). Such a bundle is verified with {@link KeylessVerifier}, never with a caller's key.
   */
  public boolean carriesCertificate() {
    return certificate;
  }

  /**
   * Returns true if this Sigstore bundle names a public key (a managed key, {@code publicKey}) as its
   * verification material; such a bundle is verified with {@link BlobVerifier} and the key.
   */
  public boolean carriesPublicKeyHint() {
    return bundle != null && bundle.publicKeyMaterial();
  }

  /**
   * Returns true if the bundle carries a transparency log entry (checked only by {@link KeylessVerifier}
   * and by a {@link BlobVerifier} given a trusted root).
   */
  public boolean hasTransparencyLogEntry() {
    return transparencyLogEntry;
  }

  /**
   * Returns this signature as a Sigstore bundle v0.3 (compact JSON, no trailing newline) as
   * {@code cosign sign-blob --bundle} writes it without a transparency log: {@code publicKey.hint},
   * {@code messageDigest} (empty for pure Ed25519, as cosign), {@code signature}.
   */
  public String toSigstoreBundleJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> messageDigest = new LinkedHashMap<>();
    if (digestName != null && digest != null) {
      messageDigest.put("algorithm", digestName);
      messageDigest.put("digest", b64.encodeToString(digest));
    }
    Map<String, Object> messageSignature = new LinkedHashMap<>();
    messageSignature.put("messageDigest", messageDigest);
    messageSignature.put("signature", b64.encodeToString(signature));
    Map<String, Object> material = new LinkedHashMap<>();
    if (keyHint != null) {
      material.put("publicKey", Map.of("hint", b64.encodeToString(keyHint)));
    }
    Map<String, Object> bundle = new LinkedHashMap<>();
    bundle.put("mediaType", BUNDLE_MEDIA_TYPE);
    bundle.put("verificationMaterial", material);
    bundle.put("messageSignature", messageSignature);
    return JsonWriter.write(bundle);
  }
}
