package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Sigstore protobuf-JSON bundle (v0.1 to v0.3), parsed and bounded, with nothing in it trusted yet:
 * the verification material (a certificate chain, a single certificate, or a public-key hint), the
 * transparency-log entries (kept as parsed JSON for {@link TransparencyLogEntries}), the RFC 3161
 * timestamps, and the signed content, either a message signature or a DSSE envelope.
 *
 * <p>Bundle versions and the material each allows (as sigstore-go and sigstore-java):
 * v0.1 and v0.2 carry {@code x509CertificateChain} or {@code publicKey}; v0.3 carries
 * {@code certificate} or {@code publicKey}, and also {@code x509CertificateChain}, which sigstore-java
 * accepts in v0.3 bundles it verifies (sigstore-java's {@code bundle-no-digest} sample).
 *
 * @param minorVersion 1, 2 or 3
 * @param certificates the certificates as listed (leaf first); empty when the material is a key or absent
 * @param publicKeyMaterial true when the material is {@code publicKey} (a managed key)
 * @param keyHint the public key hint (decoded), or null
 * @param signature the message signature, or the DSSE envelope's single signature
 * @param digestName the messageDigest algorithm ({@code SHA2_256}, ...), or null
 * @param digest the messageDigest value, or null
 * @param envelope the DSSE envelope, or null for a message signature
 * @param tlogEntries the {@code tlogEntries} array members (JSON objects), possibly empty
 * @param signedTimestamps the decoded RFC 3161 {@code signedTimestamp}s, possibly empty
 */
record SigstoreBundle(int minorVersion, List<X509Certificate> certificates, boolean publicKeyMaterial,
    byte[] keyHint, byte[] signature, String digestName, byte[] digest,
    LoggedContent.Envelope envelope, List<Object> tlogEntries, List<byte[]> signedTimestamps) {

  /** Most transparency-log entries or timestamps a bundle may carry. */
  static final int MAX_ENTRIES = 32;
  /** Most signatures a DSSE envelope may carry (exactly one is accepted for verification). */
  static final int MAX_DSSE_SIGNATURES = 16;

  /** The accepted media types, both spellings, and their minor versions. */
  private static final Map<String, Integer> MEDIA_TYPES = Map.of(
      "application/vnd.dev.sigstore.bundle+json;version=0.1", 1,
      "application/vnd.dev.sigstore.bundle.v0.1+json", 1,
      "application/vnd.dev.sigstore.bundle+json;version=0.2", 2,
      "application/vnd.dev.sigstore.bundle.v0.2+json", 2,
      "application/vnd.dev.sigstore.bundle+json;version=0.3", 3,
      SignatureMaterial.BUNDLE_MEDIA_TYPE, 3);

  /** True for a DSSE bundle. */
  boolean isDsse() {
    return envelope != null;
  }

  /** The leaf certificate, or null when the bundle carries none. */
  X509Certificate leaf() {
    return certificates.isEmpty() ? null : certificates.get(0);
  }

  /** The minor version of a media type, or 0 when it is not one ModelSeal accepts. */
  static int minorVersion(String mediaType) {
    Integer v = MEDIA_TYPES.get(mediaType);
    return v == null ? 0 : v;
  }

  /**
   * Parses a bundle's JSON object.
   *
   * @throws VerificationException {@code UNSUPPORTED} for an unknown media type or digest algorithm;
   *     {@code MALFORMED_SIGNATURE} for missing or mistyped members, bad base64, bad certificates,
   *     material the version does not allow, or more entries than the bounds
   */
  static SigstoreBundle parse(Map<String, Object> root) throws VerificationException {
    Object mediaType = root.get("mediaType");
    int minor = mediaType instanceof String mt ? minorVersion(mt) : 0;
    if (minor == 0) {
      throw new VerificationException(Reason.UNSUPPORTED, "unsupported bundle media type " + mediaType);
    }
    Map<String, Object> vm = BundleFields.object(root.get("verificationMaterial"), "bundle verificationMaterial");
    List<X509Certificate> certs = new ArrayList<>();
    boolean chainForm = vm.containsKey("x509CertificateChain");
    boolean single = vm.containsKey("certificate");
    boolean key = vm.containsKey("publicKey");
    if ((chainForm ? 1 : 0) + (single ? 1 : 0) + (key ? 1 : 0) > 1) {
      throw malformed("bundle verificationMaterial holds more than one of publicKey, certificate and "
          + "x509CertificateChain");
    }
    if (single && minor < 3) {
      throw malformed("a v0." + minor + " bundle carries x509CertificateChain or publicKey, not certificate");
    }
    if (chainForm) {
      certs.addAll(CertificateChains.fromBundle(vm));
    } else if (single) {
      Map<String, Object> c = BundleFields.object(vm.get("certificate"), "bundle certificate");
      certs.add(CertificateChains.parse(BundleFields.base64(c, "rawBytes", "certificate")));
    }
    byte[] hint = null;
    if (key) {
      Map<String, Object> pk = BundleFields.object(vm.get("publicKey"), "bundle publicKey");
      if (pk.get("hint") instanceof String h && !h.isEmpty()) {
        hint = SignatureMaterial.decodeBase64(h, "publicKey.hint");
      }
    }
    List<Object> tlog = vm.containsKey("tlogEntries")
        ? bounded(BundleFields.list(vm, "tlogEntries", "verificationMaterial"), "tlogEntries") : List.of();
    List<byte[]> timestamps = timestamps(vm);
    boolean hasMessage = root.containsKey("messageSignature");
    boolean hasDsse = root.containsKey("dsseEnvelope");
    if (hasMessage && hasDsse) {
      throw malformed("bundle holds both a messageSignature and a dsseEnvelope");
    }
    if (hasDsse) {
      LoggedContent.Envelope env = envelope(BundleFields.object(root.get("dsseEnvelope"), "bundle dsseEnvelope"));
      return new SigstoreBundle(minor, List.copyOf(certs), key, hint, env.signatures().get(0).sig(),
          null, null, env, tlog, timestamps);
    }
    Map<String, Object> ms = BundleFields.object(root.get("messageSignature"), "bundle messageSignature");
    if (!(ms.get("signature") instanceof String sigText)) {
      throw malformed("messageSignature has no \"signature\" string");
    }
    byte[] signature = SignatureMaterial.decodeBase64(sigText, "messageSignature.signature");
    String digestName = null;
    byte[] digest = null;
    if (ms.get("messageDigest") instanceof Map<?, ?> md && !md.isEmpty()) {
      Map<String, Object> m = BundleFields.object(md, "messageDigest");
      if (!(m.get("algorithm") instanceof String a)) {
        throw malformed("messageDigest has no \"algorithm\" string");
      }
      if (!List.of("SHA2_256", "SHA2_384", "SHA2_512").contains(a)) {
        throw new VerificationException(Reason.UNSUPPORTED, "unsupported bundle digest algorithm " + a);
      }
      digestName = a;
      if (!(m.get("digest") instanceof String d)) {
        throw malformed("messageDigest has no \"digest\" string");
      }
      digest = SignatureMaterial.decodeBase64(d, "messageDigest.digest");
    }
    return new SigstoreBundle(minor, List.copyOf(certs), key, hint, signature, digestName, digest,
        null, tlog, timestamps);
  }

  private static List<byte[]> timestamps(Map<String, Object> vm) throws VerificationException {
    Object tvd = vm.get("timestampVerificationData");
    if (tvd == null) {
      return List.of();
    }
    Map<String, Object> data = BundleFields.object(tvd, "timestampVerificationData");
    if (!data.containsKey("rfc3161Timestamps")) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>();
    for (Object o : bounded(BundleFields.list(data, "rfc3161Timestamps", "timestampVerificationData"),
        "rfc3161Timestamps")) {
      out.add(protoBytes(BundleFields.string(BundleFields.object(o, "RFC 3161 timestamp"), "signedTimestamp",
          "RFC 3161 timestamp"), "RFC 3161 timestamp signedTimestamp"));
    }
    return List.copyOf(out);
  }

  /**
   * Decodes a protobuf-JSON {@code bytes} value as Go's protojson does (sigstore-go, and bundles whose
   * timestamp was pasted from {@code base64} output): line breaks ignored, the standard or the URL-safe
   * alphabet, padding optional.
   */
  static byte[] protoBytes(String text, String what) throws VerificationException {
    String s = text.replace("\r", "").replace("\n", "");
    boolean url = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    try {
      byte[] v = (url ? java.util.Base64.getUrlDecoder() : java.util.Base64.getDecoder()).decode(s);
      if (v.length == 0) {
        throw malformed(what + " is empty");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not valid base64");
    }
  }

  private static LoggedContent.Envelope envelope(Map<String, Object> env) throws VerificationException {
    String payloadType = BundleFields.string(env, "payloadType", "dsseEnvelope");
    byte[] payload = BundleFields.base64(env, "payload", "dsseEnvelope");
    List<Object> sigs = BundleFields.list(env, "signatures", "dsseEnvelope");
    if (sigs.isEmpty() || sigs.size() > MAX_DSSE_SIGNATURES) {
      throw malformed("dsseEnvelope must hold 1 to " + MAX_DSSE_SIGNATURES + " signatures, found " + sigs.size());
    }
    List<LoggedContent.Signature> out = new ArrayList<>();
    for (Object o : sigs) {
      Map<String, Object> s = BundleFields.object(o, "DSSE signature");
      String keyid = s.get("keyid") instanceof String k ? k : "";
      byte[] sig = BundleFields.base64(s, "sig", "DSSE signature");
      if (sig.length == 0) {
        throw malformed("DSSE signature sig is empty");
      }
      out.add(new LoggedContent.Signature(keyid, sig));
    }
    return new LoggedContent.Envelope(payloadType, payload, List.copyOf(out));
  }

  private static List<Object> bounded(List<Object> list, String what) throws VerificationException {
    if (list.size() > MAX_ENTRIES) {
      throw malformed(what + " holds " + list.size() + " entries, more than " + MAX_ENTRIES);
    }
    return List.copyOf(list);
  }

  private static VerificationException malformed(String message) {
    return new VerificationException(Reason.MALFORMED_SIGNATURE, message);
  }
}
