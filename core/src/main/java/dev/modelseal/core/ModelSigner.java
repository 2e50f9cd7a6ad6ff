package dev.modelseal.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs a model directory (or single file) as an OpenSSF Model Signing v1.0 {@code model.sig}: a
 * Sigstore bundle v0.3 holding a DSSE envelope over the in-toto statement, signed with ECDSA over the
 * DSSE PAE (hash by curve: P-256/SHA-256, P-384/SHA-384, P-521/SHA-512). The output verifies with the
 * reference {@code model_signing verify key|certificate} when hashed with {@code files}/{@code sha256}.
 *
 * <p>Key method: {@code verificationMaterial.publicKey.hint} = hex SHA-256 of the public key's PEM
 * text. Certificate method: {@code x509CertificateChain} = the given chain, leaf first. Both write
 * {@code tlogEntries: []}; nothing is uploaded anywhere. Instances are immutable and thread-safe.
 */
public final class ModelSigner {
  static final String EC_ONLY = "model signing supports ECDSA P-256, P-384 and P-521 keys only";

  private final PrivateKey key;
  private final String algorithm;
  private final PublicKey publicKey;
  private final List<X509Certificate> chain;

  private ModelSigner(PrivateKey key, List<X509Certificate> chain) throws KeyFormatException {
    EcCurve curve = Objects.requireNonNull(key, "key") instanceof ECPrivateKey ec
        ? EcCurve.orNull(ec) : null;
    if (curve == null) {
      throw new KeyFormatException(EC_ONLY);
    }
    this.key = key;
    this.algorithm = Dsse.ecdsaAlgorithm(curve);
    this.publicKey = KeySupport.publicKeyOf(key);
    this.chain = chain;
  }

  /**
   * Creates a signer for the key method.
   *
   * @throws KeyFormatException if the key is not EC P-256, P-384 or P-521
   */
  public static ModelSigner withKey(PrivateKey ecKey) throws KeyFormatException {
    return new ModelSigner(ecKey, null);
  }

  /**
   * Creates a signer for the certificate method; the chain is written to the bundle as given.
   *
   * @param chainLeafFirst the signing certificate, then its issuers (the root may be left out)
   * @throws KeyFormatException if the key is not EC P-256/P-384/P-521, the chain is empty, or the
   *     leaf's public key is not the private key's
   */
  public static ModelSigner withCertificateChain(PrivateKey ecKey, List<X509Certificate> chainLeafFirst)
      throws KeyFormatException {
    List<X509Certificate> chain = List.copyOf(chainLeafFirst);
    if (chain.isEmpty()) {
      throw new KeyFormatException("the certificate chain is empty");
    }
    ModelSigner s = new ModelSigner(ecKey, chain);
    if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), s.publicKey.getEncoded())) {
      throw new KeyFormatException("the signing certificate's public key does not match the private key");
    }
    return s;
  }

  /**
   * Hashes the model and signs it; the subject name is the model's base name.
   *
   * @return the compact JSON text of {@code model.sig}
   * @throws IOException if the model cannot be read
   * @throws VerificationException {@code PATH_REFUSED} for paths the hashing refuses
   * @throws IllegalArgumentException if the model has no files to sign (the OMS spec forbids it)
   */
  public String sign(Path model, ModelHashing hashing, ProgressListener progress)
      throws IOException, VerificationException {
    ModelManifest manifest = ModelManifest.compute(model, hashing, progress);
    Path name = model.toAbsolutePath().normalize().getFileName();
    return sign(manifest, name == null ? "" : name.toString(), hashing);
  }

  /**
   * Signs an already computed manifest; {@code hashing} must be the configuration it was computed with.
   *
   * @throws IllegalArgumentException if the manifest is empty
   */
  public String sign(ModelManifest manifest, String modelName, ModelHashing hashing) {
    if (manifest.entries().isEmpty()) {
      throw new IllegalArgumentException("refusing to sign an empty model: there are no files to sign");
    }
    byte[] payload = JsonWriter.write(OmsStatement.build(manifest, Objects.requireNonNull(modelName, "modelName"),
        hashing)).getBytes(StandardCharsets.UTF_8);
    byte[] sig;
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(Dsse.pae(Dsse.IN_TOTO, payload));
      sig = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed: " + e.getMessage(), e);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> material = new LinkedHashMap<>();
    if (chain == null) {
      material.put("publicKey", new LinkedHashMap<>(Map.of("hint", pemHint(publicKey))));
    } else {
      List<Object> certs = new ArrayList<>();
      for (X509Certificate c : chain) {
        try {
          certs.add(new LinkedHashMap<>(Map.of("rawBytes", b64.encodeToString(c.getEncoded()))));
        } catch (CertificateEncodingException e) {
          throw new IllegalStateException("cannot encode a certificate", e);
        }
      }
      material.put("x509CertificateChain", new LinkedHashMap<>(Map.of("certificates", certs)));
    }
    material.put("tlogEntries", List.of());
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("sig", b64.encodeToString(sig));
    signature.put("keyid", "");
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("payload", b64.encodeToString(payload));
    envelope.put("payloadType", Dsse.IN_TOTO);
    envelope.put("signatures", List.of(signature));
    Map<String, Object> bundle = new LinkedHashMap<>();
    bundle.put("mediaType", SignatureMaterial.BUNDLE_MEDIA_TYPE);
    bundle.put("verificationMaterial", material);
    bundle.put("dsseEnvelope", envelope);
    return JsonWriter.write(bundle);
  }

  /** The reference's key hint: hex SHA-256 of the key's PEM text as OpenSSL writes it. */
  static String pemHint(PublicKey key) {
    byte[] pem = Pem.encode("PUBLIC KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    return HexFormat.of().formatHex(ModelManifest.ManifestSha.sha256().digest(pem));
  }
}
