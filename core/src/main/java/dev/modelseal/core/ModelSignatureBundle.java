package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A {@code model.sig} (OpenSSF Model Signing bundle) parsed once, so that it can be checked with
 * several keys ({@link ModelVerifier#readSigned(ModelSignatureBundle)}) without parsing it again.
 * Parsing checks only the size, strict UTF-8, the JSON syntax and a top-level object: nothing in a
 * parsed bundle is trusted until a verifier accepts it. Instances are immutable and thread-safe (the
 * parsed document is never handed out or changed).
 */
public final class ModelSignatureBundle {
  private final Map<String, Object> json;

  private ModelSignatureBundle(Map<String, Object> json) {
    this.json = json;
  }

  /**
   * True when the verification material is a single {@code certificate}: a Sigstore keyless signature (a
   * Fulcio certificate), checked with a trusted identity, never with a key or a signer's own certificate chain.
   */
  public boolean isKeyless() {
    return json.get("verificationMaterial") instanceof Map<?, ?> vm && vm.containsKey("certificate");
  }

  /**
   * Parses the bytes of a {@code model.sig}, in time linear in their length.
   *
   * @throws VerificationException {@code TOO_LARGE} over {@link ModelVerifier#MAX_BUNDLE_BYTES};
   *     {@code MALFORMED_SIGNATURE} if empty, a cosign blob signature, not UTF-8, not JSON (the JSON
   *     reader's one-line message with its offset), or not a JSON object
   */
  public static ModelSignatureBundle parse(byte[] bundleJson) throws VerificationException {
    if (bundleJson.length > ModelVerifier.MAX_BUNDLE_BYTES) {
      throw new VerificationException(Reason.TOO_LARGE,
          "model signature is larger than " + ModelVerifier.MAX_BUNDLE_BYTES + " bytes");
    }
    if (bundleJson.length == 0) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "model signature is empty");
    }
    if (bundleJson[0] != '{' && SignatureMaterial.isDetachedSignature(bundleJson)) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "not a model signature: it is a cosign blob "
          + "signature (as sign-blob writes it), not an OpenSSF model signature bundle; "
          + ModelVerifier.BLOB_SIGNATURE_ADVICE);
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bundleJson)).toString();
      return new ModelSignatureBundle(BundleFields.object(Json.parse(text), "model signature"));
    } catch (CharacterCodingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE, "model signature is not UTF-8");
    } catch (Json.ParseException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "model signature is not valid JSON: " + e.getMessage());
    }
  }

  /** The parsed document, for the verifier only: read, never changed. */
  Map<String, Object> json() {
    return json;
  }
}
