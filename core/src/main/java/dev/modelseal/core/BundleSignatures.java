package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signature checks shared by {@link KeylessVerifier} (with the Fulcio leaf's key) and
 * {@link BlobVerifier} (with the caller's key) on a Sigstore bundle: which scheme a message signature
 * uses, a DSSE envelope's signature over PAE(payloadType, payload), and the in-toto subject that must
 * name the artifact.
 */
final class BundleSignatures {
  /** Most in-toto subjects read from a statement. */
  static final int MAX_SUBJECTS = 1024;

  private BundleSignatures() {}

  /**
   * The scheme a message signature by {@code key} uses, given the bundle's messageDigest algorithm
   * (null when absent): the key's scheme (cosign 2.6), or for P-384/P-521 over SHA2_256 the SHA-256
   * variant older cosign made; Ed25519 is Ed25519ph over SHA2_512, else pure.
   *
   * @throws VerificationException {@code UNSUPPORTED} for a key cosign does not support;
   *     {@code SIGNATURE_INVALID} when the messageDigest algorithm cannot be the key's
   */
  static SigningAlgorithm messageScheme(PublicKey key, String digestName, String whose)
      throws VerificationException {
    SigningAlgorithm def;
    try {
      def = SupportedKeys.defaultAlgorithm(key);
    } catch (KeyFormatException e) {
      throw new VerificationException(Reason.UNSUPPORTED, whose + ": " + e.getMessage());
    }
    if (def == SigningAlgorithm.ED25519) {
      return "SHA2_512".equals(digestName) ? SigningAlgorithm.ED25519_PH : SigningAlgorithm.ED25519;
    }
    if (digestName == null || digestName.equals(def.bundleDigestName())) {
      return def;
    }
    if ("SHA2_256".equals(digestName) && def == SigningAlgorithm.ECDSA_P384_SHA384) {
      return SigningAlgorithm.ECDSA_P384_SHA256;
    }
    if ("SHA2_256".equals(digestName) && def == SigningAlgorithm.ECDSA_P521_SHA512) {
      return SigningAlgorithm.ECDSA_P521_SHA256;
    }
    throw new VerificationException(Reason.SIGNATURE_INVALID, "bundle messageDigest " + digestName
        + " cannot be what " + whose + " signs (" + def.bundleDigestName() + ")");
  }

  /** The JCA digest name of a bundle digest name ({@code SHA2_256} to {@code SHA-256}), or null. */
  static String jcaDigest(String bundleDigestName) {
    if (bundleDigestName == null) {
      return null;
    }
    return switch (bundleDigestName) {
      case "SHA2_256" -> "SHA-256";
      case "SHA2_384" -> "SHA-384";
      case "SHA2_512" -> "SHA-512";
      default -> null;
    };
  }

  /**
   * Returns true if the envelope's signature {@code sig} verifies with {@code key} over
   * PAE(payloadType, payload), with the key's scheme (ECDSA over the curve's hash, RSA PKCS#1 v1.5 over
   * SHA-256, pure Ed25519).
   *
   * @throws VerificationException {@code UNSUPPORTED} for a key cosign does not support;
   *     {@code MALFORMED_SIGNATURE} for a signature that cannot be the key's
   */
  static boolean verifyDsse(PublicKey key, LoggedContent.Envelope env, byte[] sig, String whose)
      throws VerificationException {
    SigningAlgorithm scheme;
    try {
      scheme = SupportedKeys.defaultAlgorithm(key);
    } catch (KeyFormatException e) {
      throw new VerificationException(Reason.UNSUPPORTED, whose + ": " + e.getMessage());
    }
    SignatureSchemes.checkEncoding(scheme, key, sig);
    byte[] pae = Dsse.pae(env.payloadType(), env.payload());
    if (scheme.digestAlgorithm() == null) {
      return SignatureSchemes.verify(scheme, key, pae, pae.length, sig);
    }
    byte[] digest = digest(scheme.digestAlgorithm(), pae);
    return SignatureSchemes.verify(scheme, key, digest, digest.length, sig);
  }

  /**
   * Requires an in-toto payload whose statement names the artifact as a subject: a subject digest
   * ({@code sha256}, {@code sha384} or {@code sha512}) equal to the artifact's digest of that algorithm.
   *
   * @param artifactDigests JCA digest name to the artifact's digest, as the verifier computed them
   * @throws VerificationException {@code UNSUPPORTED} for another payload type; {@code MALFORMED_SIGNATURE}
   *     for a payload that is not an in-toto statement; {@code DIGEST_MISMATCH} when no subject is the
   *     artifact
   */
  static void requireSubject(LoggedContent.Envelope env, Map<String, byte[]> artifactDigests)
      throws VerificationException {
    if (!Dsse.IN_TOTO.equals(env.payloadType())) {
      throw new VerificationException(Reason.UNSUPPORTED, "DSSE payload type " + env.payloadType()
          + " is not an in-toto statement (" + Dsse.IN_TOTO + ")");
    }
    Map<String, Object> statement;
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(env.payload())).toString();
      statement = BundleFields.object(Json.parse(text), "in-toto statement");
    } catch (CharacterCodingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "in-toto statement is not UTF-8");
    } catch (Json.ParseException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "in-toto statement is not valid JSON: " + e.getMessage());
    }
    List<Object> subjects = BundleFields.list(statement, "subject", "in-toto statement");
    if (subjects.isEmpty() || subjects.size() > MAX_SUBJECTS) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "in-toto statement must have 1 to " + MAX_SUBJECTS + " subjects, found " + subjects.size());
    }
    for (Object o : subjects) {
      Map<String, Object> subject = BundleFields.object(o, "in-toto subject");
      if (!(subject.get("digest") instanceof Map<?, ?> digests)) {
        continue;
      }
      for (Map.Entry<?, ?> d : digests.entrySet()) {
        String jca = jcaDigest(switch (String.valueOf(d.getKey()).toLowerCase(Locale.ROOT)) {
          case "sha256" -> "SHA2_256";
          case "sha384" -> "SHA2_384";
          case "sha512" -> "SHA2_512";
          default -> "";
        });
        byte[] ours = jca == null ? null : artifactDigests.get(jca);
        if (ours != null && d.getValue() instanceof String hex && hex.length() == ours.length * 2
            && Json.isHex(hex)
            && MessageDigest.isEqual(ours, HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)))) {
          return;
        }
      }
    }
    byte[] sha256 = artifactDigests.get("SHA-256");
    throw new VerificationException(Reason.DIGEST_MISMATCH, "the artifact"
        + (sha256 == null ? "" : " (sha256:" + HexFormat.of().formatHex(sha256) + ")")
        + " is not a subject of the in-toto statement");
  }

  static byte[] digest(String jcaName, byte[] data) {
    try {
      return MessageDigest.getInstance(jcaName).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " is missing from this JVM", e);
    }
  }
}
