package dev.modelseal.core;

import static dev.modelseal.core.KeylessFixtures.ARTIFACT;
import static dev.modelseal.core.KeylessFixtures.SIGNED_AT;
import static dev.modelseal.core.KeylessFixtures.b64;
import static dev.modelseal.core.KeylessFixtures.digest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestration rules of {@link KeylessVerifier}, with the timestamp, log and certificate
 * verifications replaced by recording fakes (their own tests are theirs) and a real identity policy.
 */
class KeylessVerifierTest {
  private static KeylessFixtures p256;
  private static KeylessFixtures p384;

  /** A fake of the three verifications: fixed times, the bundle's leaf as the verified one. */
  static final class FakeSteps implements KeylessSteps {
    List<Instant> logTimes = List.of(SIGNED_AT);
    List<Instant> timestampTimes = List.of();
    LoggedContent logged;
    List<Instant> certificateTimes;

    @Override
    public List<Instant> timestamps(List<byte[]> signedTimestamps, byte[] signature, TrustedRoot root) {
      return timestampTimes;
    }

    @Override
    public List<Instant> logEntries(List<Object> entries, LoggedContent content, TrustedRoot root, int minor,
        List<Instant> tsTimes) {
      logged = content;
      return logTimes;
    }

    @Override
    public X509Certificate certificates(List<X509Certificate> certs, TrustedRoot root, List<Instant> times) {
      certificateTimes = times;
      return certs.get(0);
    }
  }

  @BeforeAll
  static void keys() throws Exception {
    p256 = new KeylessFixtures("secp256r1");
    p384 = new KeylessFixtures("secp384r1");
  }

  static KeylessVerifier verifier(FakeSteps steps) {
    TrustedRoot root = new TrustedRoot(List.of(), List.of(), List.of(), List.of());
    IdentityPolicy identity = IdentityPolicy.builder().san(KeylessFixtures.SAN).issuer(KeylessFixtures.ISSUER)
        .build();
    return KeylessVerifier.builder(root, identity).steps(steps).build();
  }

  private static SignatureMaterial p256Bundle(byte[] hint) throws Exception {
    return KeylessFixtures.parse(KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE,
        p256.certificateMaterial(), "SHA2_256", hint, p256.sign("SHA256withECDSA", ARTIFACT)));
  }

  private static void verifyStream(KeylessVerifier v, SignatureMaterial m) throws Exception {
    v.verify(new ByteArrayInputStream(ARTIFACT), ARTIFACT.length, m, ProgressListener.NONE);
  }

  @Test
  void verify_p256MessageSignature_succeeds() throws Exception {
    SignatureMaterial m = p256Bundle(digest("SHA-256", ARTIFACT));
    assertDoesNotThrow(() -> verifyStream(verifier(new FakeSteps()), m));
  }

  @Test
  void verifyDigests_p256MessageSignature_succeeds() throws Exception {
    SignatureMaterial m = p256Bundle(digest("SHA-256", ARTIFACT));
    assertDoesNotThrow(() -> verifier(new FakeSteps()).verifyDigests(Map.of("SHA-256", digest("SHA-256", ARTIFACT)), m));
  }

  @Test
  void verify_otherArtifact_throwsSignatureInvalid() throws Exception {
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE,
        p256.certificateMaterial(), null, null, p256.sign("SHA256withECDSA", "other".getBytes())));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals("signature does not verify over the artifact with the signing certificate's key (ECDSA_P256_SHA256)",
        e.getMessage());
  }

  @Test
  void verify_noLogOrTimestampTime_throwsUntrustedKey() throws Exception {
    FakeSteps steps = new FakeSteps();
    steps.logTimes = List.of();
    SignatureMaterial m = p256Bundle(digest("SHA-256", ARTIFACT));
    VerificationException e = assertThrows(VerificationException.class, () -> verifyStream(verifier(steps), m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("no verified signing time: the bundle has neither a transparency-log integrated time nor an "
        + "RFC 3161 timestamp", e.getMessage());
  }

  @Test
  void verify_timestampTimesAndLogTimes_allCheckedAgainstTheCertificate() throws Exception {
    FakeSteps steps = new FakeSteps();
    steps.timestampTimes = List.of(SIGNED_AT.plusSeconds(2));
    String json = KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE, p256.certificateMaterial(),
        null, null, p256.sign("SHA256withECDSA", ARTIFACT)).replace("\"tlogEntries\"",
        "\"timestampVerificationData\":{\"rfc3161Timestamps\":[{\"signedTimestamp\":\"AAAA\"}]},\"tlogEntries\"");
    verifyStream(verifier(steps), KeylessFixtures.parse(json));
    assertEquals(List.of(SIGNED_AT, SIGNED_AT.plusSeconds(2)), steps.certificateTimes);
  }

  @Test
  void verify_noTransparencyLogEntry_throwsUntrustedKey() throws Exception {
    String json = KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE, p256.certificateMaterial(),
        null, null, p256.sign("SHA256withECDSA", ARTIFACT)).replace("\"tlogEntries\":[{\"logIndex\":\"1\"}]",
        "\"tlogEntries\":[]");
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), KeylessFixtures.parse(json)));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("bundle has no transparency-log entry", e.getMessage());
  }

  @Test
  void verify_messageDigestHintDiffers_throwsDigestMismatch() throws Exception {
    SignatureMaterial m = p256Bundle(digest("SHA-256", "other".getBytes()));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
    assertEquals("artifact digest does not match the bundle's messageDigest (SHA2_256)", e.getMessage());
  }

  @Test
  void verify_messageDigestHintDiffers_logIsCheckedWithTheComputedDigest() throws Exception {
    FakeSteps steps = new FakeSteps();
    SignatureMaterial m = p256Bundle(digest("SHA-256", "other".getBytes()));
    assertThrows(VerificationException.class, () -> verifyStream(verifier(steps), m));
    assertArrayEquals(digest("SHA-256", ARTIFACT), steps.logged.artifactDigest());
    assertEquals("SHA2_256", steps.logged.digestAlgorithm());
    assertArrayEquals(p256.leaf.getEncoded(), steps.logged.material());
  }

  @Test
  void verify_managedKeyBundle_throwsUntrustedKey() throws Exception {
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE,
        "\"publicKey\":{\"hint\":\"" + b64(KeyId.sha256(p256.signer.getPublic())) + "\"}", null, null,
        p256.sign("SHA256withECDSA", ARTIFACT)));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("the bundle was signed with a key, not a certificate; verify with --key", e.getMessage());
  }

  @Test
  void verify_detachedSignature_throwsUnsupported() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseDetached(p256.sign("SHA256withECDSA", ARTIFACT));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("keyless verification needs a Sigstore bundle, not a detached signature", e.getMessage());
  }

  @Test
  void verify_rootCertificateInBundleChain_throwsUntrustedKey() throws Exception {
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.messageBundle(
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        KeylessFixtures.chainMaterial(List.of(p256.leaf, p256.caCert)), null, null,
        p256.sign("SHA256withECDSA", ARTIFACT)));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("bundle certificate chain includes a root certificate (certificate 1 is self-signed); trust "
        + "comes from the trusted root only", e.getMessage());
  }

  @Test
  void verifyDigests_sha384BundleFromSha256_throwsUnsupported() throws Exception {
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE,
        p384.certificateMaterial(), "SHA2_384", digest("SHA-384", ARTIFACT), p384.sign("SHA384withECDSA", ARTIFACT)));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(new FakeSteps()).verifyDigests(Map.of("SHA-256", digest("SHA-256", ARTIFACT)), m));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("the bundle signs the artifact's SHA-384 digest (SHA2_384), which the given SHA-256 cannot "
        + "check; verify the file itself", e.getMessage());
  }

  @Test
  void verify_sha384BundleFromTheFile_succeeds() throws Exception {
    FakeSteps steps = new FakeSteps();
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.messageBundle(SignatureMaterial.BUNDLE_MEDIA_TYPE,
        p384.certificateMaterial(), "SHA2_384", digest("SHA-384", ARTIFACT), p384.sign("SHA384withECDSA", ARTIFACT)));
    verifyStream(verifier(steps), m);
    assertEquals("SHA2_384", steps.logged.digestAlgorithm());
  }

  private static SignatureMaterial dsse(byte[] subjectSha256) throws Exception {
    byte[] payload = KeylessFixtures.statement(subjectSha256);
    byte[] sig = p256.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, payload));
    return KeylessFixtures.parse(KeylessFixtures.dsseBundle(p256.certificateMaterial(), Dsse.IN_TOTO, payload, sig));
  }

  @Test
  void verify_dsseWhoseSubjectIsTheArtifact_succeeds() throws Exception {
    FakeSteps steps = new FakeSteps();
    SignatureMaterial m = dsse(digest("SHA-256", ARTIFACT));
    verifyStream(verifier(steps), m);
    assertEquals(Dsse.IN_TOTO, steps.logged.dsse().payloadType());
  }

  @Test
  void verifyDigests_dsseWhoseSubjectIsAnother_throwsDigestMismatch() throws Exception {
    SignatureMaterial m = dsse(digest("SHA-256", "other".getBytes()));
    byte[] ours = digest("SHA-256", ARTIFACT);
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(new FakeSteps()).verifyDigests(Map.of("SHA-256", ours), m));
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
    assertEquals("the artifact (sha256:" + java.util.HexFormat.of().formatHex(ours)
        + ") is not a subject of the in-toto statement", e.getMessage());
  }

  @Test
  void verify_dsseSignedOverOtherPayload_throwsSignatureInvalid() throws Exception {
    byte[] payload = KeylessFixtures.statement(digest("SHA-256", ARTIFACT));
    byte[] sig = p256.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, "{}".getBytes()));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(p256.certificateMaterial(), Dsse.IN_TOTO,
        payload, sig));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals("DSSE signature does not verify with the signing certificate's key", e.getMessage());
  }

  @Test
  void verify_dsseOtherPayloadType_throwsUnsupported() throws Exception {
    byte[] payload = KeylessFixtures.statement(digest("SHA-256", ARTIFACT));
    byte[] sig = p256.sign("SHA256withECDSA", Dsse.pae("application/json", payload));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(p256.certificateMaterial(),
        "application/json", payload, sig));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifyStream(verifier(new FakeSteps()), m));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals("DSSE payload type application/json is not an in-toto statement (application/vnd.in-toto+json)",
        e.getMessage());
  }

  @Test
  void verify_otherIdentity_throwsUntrustedKey() throws Exception {
    TrustedRoot root = new TrustedRoot(List.of(), List.of(), List.of(), List.of());
    IdentityPolicy other = IdentityPolicy.builder().san("https://example.com/someone-else")
        .issuer(KeylessFixtures.ISSUER).build();
    KeylessVerifier v = KeylessVerifier.builder(root, other).steps(new FakeSteps()).build();
    SignatureMaterial m = p256Bundle(digest("SHA-256", ARTIFACT));
    VerificationException e = assertThrows(VerificationException.class, () -> verifyStream(v, m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
  }

  @Test
  void blobVerifier_keylessBundleOfTheTrustedKey_throwsUntrustedKey() throws Exception {
    SignatureMaterial m = p256Bundle(digest("SHA-256", ARTIFACT));
    BlobVerifier v = BlobVerifier.builder(p256.signer.getPublic()).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(new ByteArrayInputStream(ARTIFACT), ARTIFACT.length, m, ProgressListener.NONE));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(BlobVerifierTest.KEYLESS_WITH_KEY, e.getMessage());
  }

  @Test
  void blobVerifier_legacyBundleWithCertificateOfTheTrustedKey_throwsUntrustedKey() throws Exception {
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(p256.leaf.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    SignatureMaterial m = KeylessFixtures.parse("{\"base64Signature\":\"" + b64(p256.sign("SHA256withECDSA", ARTIFACT))
        + "\",\"cert\":\"" + b64(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + "\"}");
    BlobVerifier v = BlobVerifier.builder(p256.signer.getPublic()).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(new ByteArrayInputStream(ARTIFACT), ARTIFACT.length, m, ProgressListener.NONE));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(BlobVerifierTest.KEYLESS_WITH_KEY, e.getMessage());
  }

  @Test
  void blobVerifier_dsseBundleByTheKeyNamingTheArtifact_succeeds() throws Exception {
    byte[] payload = KeylessFixtures.statement(digest("SHA-256", ARTIFACT));
    byte[] sig = p256.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, payload));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(
        "\"publicKey\":{\"hint\":\"" + b64(KeyId.sha256(p256.signer.getPublic())) + "\"}", Dsse.IN_TOTO, payload, sig));
    BlobVerifier v = BlobVerifier.builder(p256.signer.getPublic()).build();
    assertDoesNotThrow(() -> v.verify(new ByteArrayInputStream(ARTIFACT), ARTIFACT.length, m, ProgressListener.NONE));
  }

  @Test
  void blobVerifier_dsseBundleByTheKeyNamingAnother_throwsDigestMismatch() throws Exception {
    byte[] payload = KeylessFixtures.statement(digest("SHA-256", "other".getBytes()));
    byte[] sig = p256.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, payload));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(
        "\"publicKey\":{\"hint\":\"" + b64(KeyId.sha256(p256.signer.getPublic())) + "\"}", Dsse.IN_TOTO, payload, sig));
    BlobVerifier v = BlobVerifier.builder(p256.signer.getPublic()).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verifyDigests(Map.of("SHA-256", digest("SHA-256", ARTIFACT)), m));
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
  }

  @Test
  void blobVerifier_dsseBundleByAnotherKey_throwsSignatureInvalid() throws Exception {
    byte[] payload = KeylessFixtures.statement(digest("SHA-256", ARTIFACT));
    byte[] sig = p256.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, payload));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle("\"publicKey\":{}", Dsse.IN_TOTO,
        payload, sig));
    java.security.PublicKey other = KeylessFixtures.ec("secp256r1").getPublic();
    BlobVerifier v = BlobVerifier.builder(other).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(new ByteArrayInputStream(ARTIFACT), ARTIFACT.length, m, ProgressListener.NONE));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals("DSSE signature does not verify with key " + KeyId.hex(other), e.getMessage());
  }
}
