package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureMaterialTest {
  private static final byte[] SIG = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02};
  private static final String SIG_B64 = Base64.getEncoder().encodeToString(SIG);

  private static VerificationException fails(Executable parse) {
    return assertThrows(VerificationException.class, parse);
  }

  private static VerificationException bundleFails(String json) {
    return fails(() -> SignatureMaterial.parseBundle(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static VerificationException detachedFails(String text) {
    return fails(() -> SignatureMaterial.parseDetached(text.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String bundle(String mediaType, String messageSignature) {
    return "{\"mediaType\":\"" + mediaType + "\",\"verificationMaterial\":{},\"messageSignature\":"
        + messageSignature + "}";
  }

  @Test
  void parseDetached_base64WithCrLf_decodesSignature() throws Exception {
    String text = SIG_B64.substring(0, 4) + "\r\n" + SIG_B64.substring(4) + "\r\n";
    assertArrayEquals(SIG, SignatureMaterial.parseDetached(text.getBytes(StandardCharsets.US_ASCII)).signature());
  }

  @Test
  void parseDetached_rawBinary_keepsBytes() throws Exception {
    assertArrayEquals(SIG, SignatureMaterial.parseDetached(SIG).signature());
  }

  @Test
  void parseDetached_any_isDetachedWithoutDigest() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseDetached(SIG);
    assertEquals(SignatureMaterial.Format.DETACHED, m.format());
    assertEquals(null, m.digest());
  }

  @Test
  void parseDetached_empty_throwsMalformed() {
    VerificationException e = fails(() -> SignatureMaterial.parseDetached(new byte[0]));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("signature is empty", e.getMessage());
  }

  @Test
  void parseDetached_onlyNewlines_throwsMalformed() {
    assertEquals("signature is empty", detachedFails("\n\r\n").getMessage());
  }

  @Test
  void parseDetached_badBase64_throwsMalformed() {
    VerificationException e = detachedFails("not*base64!");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("signature is not valid base64", e.getMessage());
  }

  @Test
  void parseDetached_base64url_throwsMalformed() {
    assertEquals("signature is not valid base64", detachedFails("MEUCIQ-_").getMessage());
  }

  @Test
  void parseDetached_overLimit_throwsTooLarge() {
    byte[] big = new byte[SignatureMaterial.MAX_SIGNATURE_BYTES + 1];
    Arrays.fill(big, (byte) 'A');
    VerificationException e = fails(() -> SignatureMaterial.parseDetached(big));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("signature is 65537 bytes, more than the 65536-byte limit", e.getMessage());
  }

  @Test
  void parseBundle_overLimit_throwsTooLarge() {
    byte[] big = new byte[SignatureMaterial.MAX_BUNDLE_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    VerificationException e = fails(() -> SignatureMaterial.parseBundle(big));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("bundle is 1048577 bytes, more than the 1048576-byte limit", e.getMessage());
  }

  @Test
  void parseBundle_notJson_throwsMalformed() {
    VerificationException e = bundleFails("hello");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle is not valid JSON: unexpected character 'h' at offset 0", e.getMessage());
  }

  @Test
  void parseBundle_jsonArray_throwsMalformed() {
    assertEquals("bundle is not a JSON object", bundleFails("[]").getMessage());
  }

  @Test
  void parseBundle_neitherLayout_throwsMalformed() {
    assertEquals("not a Sigstore bundle: neither \"mediaType\" nor \"base64Signature\" is present",
        bundleFails("{\"signature\":\"" + SIG_B64 + "\"}").getMessage());
  }

  @Test
  void parseBundle_emptyDsseEnvelope_throwsMalformed() {
    VerificationException e = bundleFails("{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE
        + "\",\"verificationMaterial\":{},\"dsseEnvelope\":{}}");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("dsseEnvelope has no string payloadType", e.getMessage());
  }

  @Test
  void parseBundle_mediaTypeV04_throwsUnsupported() {
    VerificationException e = bundleFails(bundle("application/vnd.dev.sigstore.bundle.v0.4+json",
        "{\"signature\":\"" + SIG_B64 + "\"}"));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("unsupported bundle media type application/vnd.dev.sigstore.bundle.v0.4+json", e.getMessage());
  }

  @Test
  void parseBundle_mediaTypeVersion04OldSpelling_throwsUnsupported() {
    VerificationException e = bundleFails(bundle("application/vnd.dev.sigstore.bundle+json;version=0.4",
        "{\"signature\":\"" + SIG_B64 + "\"}"));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("unsupported bundle media type application/vnd.dev.sigstore.bundle+json;version=0.4",
        e.getMessage());
  }

  @Test
  void parseBundle_v01WithSingleCertificate_throwsMalformed() {
    VerificationException e = bundleFails("{\"mediaType\":\"application/vnd.dev.sigstore.bundle+json;version=0.1\","
        + "\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"AAAA\"}},\"messageSignature\":{\"signature\":\""
        + SIG_B64 + "\"}}");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("a v0.1 bundle carries x509CertificateChain or publicKey, not certificate", e.getMessage());
  }

  @Test
  void parseBundle_emptyCertificateChain_throwsMalformed() {
    VerificationException e = bundleFails("{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE + "\","
        + "\"verificationMaterial\":{\"x509CertificateChain\":{\"certificates\":[]}},\"messageSignature\":"
        + "{\"signature\":\"" + SIG_B64 + "\"}}");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("x509CertificateChain must hold 1 to 10 certificates, found 0", e.getMessage());
  }

  @Test
  void parseBundle_keyAndCertificate_throwsMalformed() {
    VerificationException e = bundleFails("{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE + "\","
        + "\"verificationMaterial\":{\"publicKey\":{},\"certificate\":{\"rawBytes\":\"AAAA\"}},"
        + "\"messageSignature\":{\"signature\":\"" + SIG_B64 + "\"}}");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle verificationMaterial holds more than one of publicKey, certificate and "
        + "x509CertificateChain", e.getMessage());
  }

  @Test
  void parseBundle_messageSignatureAndDsse_throwsMalformed() {
    VerificationException e = bundleFails("{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE + "\","
        + "\"verificationMaterial\":{},\"dsseEnvelope\":{},\"messageSignature\":{\"signature\":\"" + SIG_B64
        + "\"}}");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle holds both a messageSignature and a dsseEnvelope", e.getMessage());
  }

  @Test
  void parseBundle_timestampBase64WithLineBreaks_decodesAsProtojsonDoes() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(("{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE
        + "\",\"verificationMaterial\":{\"timestampVerificationData\":{\"rfc3161Timestamps\":[{\"signedTimestamp\":"
        + "\"AAEC\\nAwQF\\n\"}]}},\"messageSignature\":{\"signature\":\"" + SIG_B64 + "\"}}")
        .getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, m.bundle().signedTimestamps().get(0));
  }

  @Test
  void parseBundle_dsseEnvelope_isDsseWithItsSignature() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(("{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE
        + "\",\"verificationMaterial\":{\"publicKey\":{}},\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":"
        + "\"application/vnd.in-toto+json\",\"signatures\":[{\"sig\":\"" + SIG_B64 + "\"}]}}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(true, m.isDsseEnvelope());
    assertEquals(true, m.carriesPublicKeyHint());
    assertArrayEquals(SIG, m.signature());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/vnd.dev.sigstore.bundle+json;version=0.1",
      "application/vnd.dev.sigstore.bundle+json;version=0.2", "application/vnd.dev.sigstore.bundle+json;version=0.3",
      "application/vnd.dev.sigstore.bundle.v0.1+json", "application/vnd.dev.sigstore.bundle.v0.2+json",
      "application/vnd.dev.sigstore.bundle.v0.3+json"})
  void parseBundle_acceptedMediaType_readsSignature(String mediaType) throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        bundle(mediaType, "{\"signature\":\"" + SIG_B64 + "\"}").getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(SIG, m.signature());
  }

  @Test
  void parseBundle_sha3Digest_throwsUnsupported() {
    VerificationException e = bundleFails(bundle(SignatureMaterial.BUNDLE_MEDIA_TYPE,
        "{\"messageDigest\":{\"algorithm\":\"SHA3_256\",\"digest\":\"AAAA\"},\"signature\":\"" + SIG_B64 + "\"}"));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("unsupported bundle digest algorithm SHA3_256", e.getMessage());
  }

  @Test
  void parseBundle_missingSignature_throwsMalformed() {
    VerificationException e = bundleFails(bundle(SignatureMaterial.BUNDLE_MEDIA_TYPE, "{}"));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("messageSignature has no \"signature\" string", e.getMessage());
  }

  @Test
  void parseBundle_badBase64Signature_throwsMalformed() {
    assertEquals("messageSignature.signature is not valid base64",
        bundleFails(bundle(SignatureMaterial.BUNDLE_MEDIA_TYPE, "{\"signature\":\"%%%\"}")).getMessage());
  }

  @Test
  void parseBundle_legacyCertNeitherKeyNorCertificate_throwsMalformed() {
    String cert = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
    assertEquals("bundle \"cert\" is neither a PEM public key nor a certificate",
        bundleFails("{\"base64Signature\":\"" + SIG_B64 + "\",\"cert\":\"" + cert + "\"}").getMessage());
  }

  @Test
  void parseBundle_legacyCertOffCurveKey_throwsMalformed() {
    String cert = Base64.getEncoder().encodeToString(
        Vectors.bytes(Vectors.fromRepos("conformance/managed-key-wrong-key_fail/key.pub")));
    VerificationException e = bundleFails("{\"base64Signature\":\"" + SIG_B64 + "\",\"cert\":\"" + cert + "\"}");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("bundle \"cert\": corrupt EC public key: the point is not on the curve", e.getMessage());
  }

  @Test
  void parseBundle_legacyWithoutCert_hasNoEmbeddedKey() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        ("{\"base64Signature\":\"" + SIG_B64 + "\"}").getBytes(StandardCharsets.UTF_8));
    assertEquals(null, m.embeddedKey());
  }

  @Test
  void signature_mutatedCopy_doesNotChangeMaterial() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseDetached(SIG);
    m.signature()[0] = 0;
    assertArrayEquals(SIG, m.signature());
  }

  @Test
  void toSigstoreBundleJson_parsedBack_keepsSignatureAndDigest() throws Exception {
    SignatureMaterial original = SignatureMaterial.parseBundle(Vectors.bytes(Vectors.openssl("ecdsa-p384.blob.txt.sigstore.json")));
    SignatureMaterial again = SignatureMaterial.parseBundle(original.toSigstoreBundleJson().getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(original.signature(), again.signature());
    assertArrayEquals(original.digest(), again.digest());
    assertEquals("SHA2_384", again.digestName());
    assertArrayEquals(original.keyHint(), again.keyHint());
  }
  @Test
  void isDetachedSignature_base64Der_true() {
    assertTrue(SignatureMaterial.isDetachedSignature((SIG_B64 + "\n").getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void isDetachedSignature_rawDer_true() {
    assertTrue(SignatureMaterial.isDetachedSignature(SIG));
  }

  @Test
  void isDetachedSignature_base64OfNonSignatureBytes_false() {
    assertFalse(SignatureMaterial.isDetachedSignature("aGVsbG8=".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void isDetachedSignature_derWithWrongLength_false() {
    byte[] b = SIG.clone();
    b[1] = 0x07;
    assertFalse(SignatureMaterial.isDetachedSignature(b));
  }

  @Test
  void isDetachedSignature_plainText_false() {
    assertFalse(SignatureMaterial.isDetachedSignature("not a signature".getBytes(StandardCharsets.US_ASCII)));
  }
}
