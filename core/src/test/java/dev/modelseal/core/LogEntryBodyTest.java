package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The entry-body rules of {@link TransparencyLogEntries} ({@link LogEntryBody}): bodies written here into
 * a made-up log ({@link LogEntryFixture}), and real entries checked against altered bundle content.
 */
class LogEntryBodyTest {
  private static final String E0 = "transparency log entry 0";
  private static final List<java.time.Instant> TSA = List.of(java.time.Instant.parse("2024-06-01T00:00:00Z"));

  private static void assertFails(Reason reason, String message, Executable run) {
    VerificationException e = assertThrows(VerificationException.class, run);
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  private static LogEntryFixture dsseV1(int signatures) throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.dsse = new LoggedContent.Envelope(Dsse.IN_TOTO, "{}".getBytes(StandardCharsets.UTF_8),
        List.of(new LoggedContent.Signature("", f.signature)));
    f.kind = "dsse";
    StringBuilder sigs = new StringBuilder();
    for (int i = 0; i < signatures; i++) {
      sigs.append(i == 0 ? "" : ",").append("{\"signature\":\"").append(LogEntryFixture.B64.encodeToString(f.signature))
          .append("\",\"verifier\":\"").append(LogEntryFixture.B64.encodeToString(
              Pem.encode("CERTIFICATE", f.material).getBytes(StandardCharsets.US_ASCII))).append("\"}");
    }
    f.body = ("{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\""
        + HexFormat.of().formatHex(LogEntryFixture.sha256(f.dsse.payload())) + "\"},\"signatures\":[" + sigs + "]}}")
        .getBytes(StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void verify_dsseV001EntryWrittenHere_returnsIntegratedTime() throws Exception {
    assertEquals(1, dsseV1(1).verify(3, List.of()).size());
  }

  @Test
  void verify_dsseV001EntryWithTwoSignatures_fails() throws Exception {
    LogEntryFixture f = dsseV1(2);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": entry records 2 signatures, expected the envelope's one",
        () -> f.verify(3, List.of()));
  }

  @Test
  void verify_dsseV001EntryForMessageSignatureBundle_fails() throws Exception {
    LogEntryFixture f = dsseV1(1);
    f.entry();
    LoggedContent message = new LoggedContent(f.signature, "SHA2_256", f.artifactDigest, null, f.material, true);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": a dsse 0.0.1 entry records a DSSE envelope, but the bundle has a"
        + " message signature",
        () -> TransparencyLogEntries.verify(List.of(f.entry()), message, f.root(), 3, List.of()));
  }

  @Test
  void verify_dsseV001EntryForOtherCertificate_fails() throws Exception {
    LogEntryFixture f = dsseV1(1);
    f.material = LogEntryFixture.random(91);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": logged certificate differs from the bundle's",
        () -> f.verify(3, List.of()));
  }

  @Test
  void verify_dsseV001PayloadHashNotSha256_fails() throws Exception {
    LogEntryFixture f = dsseV1(1);
    f.body = new String(f.body, StandardCharsets.UTF_8).replace("\"sha256\"", "\"sha512\"")
        .getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.UNSUPPORTED, E0 + ": unsupported payload hash algorithm sha512", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_bodyNotJson_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = "{\"kind\":".getBytes(StandardCharsets.UTF_8);
    VerificationException e = assertThrows(VerificationException.class, () -> f.verify(3, List.of()));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals(true, e.getMessage().startsWith(E0 + " body is not JSON: "), e.getMessage());
  }

  @Test
  void verify_rekorV2VerifierIsPublicKeyForCertificateBundle_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8).replace("x509Certificate", "publicKey")
        .getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": logged verifier is not a certificate as in the bundle",
        () -> f.verify(3, List.of(java.time.Instant.parse("2024-06-01T00:00:00Z"))));
  }

  @Test
  void verify_rekorV2DsseDigestAlgorithmUnknown_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.dsse = new LoggedContent.Envelope(Dsse.IN_TOTO, "{}".getBytes(StandardCharsets.UTF_8),
        List.of(new LoggedContent.Signature("", f.signature)));
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8).replace("SHA2_256", "SHA3_256")
        .getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.UNSUPPORTED, E0 + ": unsupported logged digest algorithm SHA3_256",
        () -> f.verify(3, List.of(java.time.Instant.parse("2024-06-01T00:00:00Z"))));
  }

  @Test
  void verify_intotoEntryForOtherPayloadType_fails() throws Exception {
    SigstoreBundleFixture v = SigstoreBundleFixture.load("intoto-with-custom-trust-root");
    LoggedContent c = v.content;
    LoggedContent other = new LoggedContent(c.signature(), null, null,
        new LoggedContent.Envelope("text/plain", c.dsse().payload(), c.dsse().signatures()), c.material(), true);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": logged payload type differs from the DSSE envelope's",
        () -> TransparencyLogEntries.verify(v.tlogEntries, other, v.root, v.minor, v.timestampTimes));
  }

  @Test
  void verify_intotoEntryForOtherCertificate_fails() throws Exception {
    SigstoreBundleFixture v = SigstoreBundleFixture.load("intoto-with-custom-trust-root");
    LoggedContent c = v.content;
    LoggedContent other = new LoggedContent(c.signature(), null, null, c.dsse(), LogEntryFixture.random(91), true);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": logged certificate differs from the bundle's",
        () -> TransparencyLogEntries.verify(v.tlogEntries, other, v.root, v.minor, v.timestampTimes));
  }

  @Test
  void verify_hashedRekordEntryForDsseBundle_fails() throws Exception {
    SigstoreBundleFixture v = SigstoreBundleFixture.load("happy-path-v0.3");
    LoggedContent c = v.content;
    LoggedContent dsse = new LoggedContent(c.signature(), null, null, new LoggedContent.Envelope(Dsse.IN_TOTO,
        new byte[0], List.of(new LoggedContent.Signature("", c.signature()))), c.material(), true);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": a hashedrekord 0.0.1 entry cannot record a DSSE envelope",
        () -> TransparencyLogEntries.verify(v.tlogEntries, dsse, v.root, v.minor, v.timestampTimes));
  }

  @Test
  void verify_managedKeyEntryForOtherKey_fails() throws Exception {
    SigstoreBundleFixture v = SigstoreBundleFixture.load("managed-key-and-trusted-root");
    LoggedContent c = v.content;
    LoggedContent other = new LoggedContent(c.signature(), c.digestAlgorithm(), c.artifactDigest(), null,
        LogEntryFixture.random(91), false);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": logged public key differs from the bundle's",
        () -> TransparencyLogEntries.verify(v.tlogEntries, other, v.root, v.minor, v.timestampTimes));
  }
  @Test
  void verify_bodyKindDiffersFromKindVersion_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8).replace("\"0.0.1\"", "\"0.0.3\"")
        .getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + ": body kind hashedrekord 0.0.3 differs from the entry's kindVersion"
        + " hashedrekord 0.0.1", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_unsupportedEntryKind_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.kind = "rekord";
    assertFails(Reason.UNSUPPORTED, E0 + ": unsupported entry kind rekord 0.0.1", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_loggedDigestOfOtherArtifact_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = f.defaultBody();
    f.artifactDigest = LogEntryFixture.random(32);
    assertFails(Reason.DIGEST_MISMATCH, E0 + ": logged digest differs from the artifact's digest",
        () -> f.verify(3, List.of()));
  }

  @Test
  void verify_loggedDigestAlgorithmDiffers_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8).replace("\"sha256\"", "\"sha512\"")
        .getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.DIGEST_MISMATCH, E0 + ": logged digest algorithm sha512 differs from the bundle's SHA2_256",
        () -> f.verify(3, List.of()));
  }

  @Test
  void verify_loggedCertificateDiffers_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = f.defaultBody();
    f.material = LogEntryFixture.random(91);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": logged certificate differs from the bundle's",
        () -> f.verify(3, List.of()));
  }

  @Test
  void verify_rekorV2LoggedCertificateDiffers_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.body = f.defaultBody();
    f.material = LogEntryFixture.random(91);
    assertFails(Reason.UNTRUSTED_KEY, E0 + ": logged certificate differs from the bundle's", () -> f.verify(3, TSA));
  }

  @Test
  void verify_rekorV2LoggedDigestDiffers_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.body = f.defaultBody();
    f.artifactDigest = LogEntryFixture.random(32);
    assertFails(Reason.DIGEST_MISMATCH, E0 + ": logged digest differs from the artifact's digest",
        () -> f.verify(3, TSA));
  }

  @Test
  void verify_rekorV2DsseLoggedOverPae_returnsNoTime() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.dsse = envelope(f);
    assertEquals(List.of(), f.verify(3, TSA));
  }

  @Test
  void verify_rekorV2DsseLoggedOverPayloadNotPae_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.dsse = envelope(f);
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8).replace(
        LogEntryFixture.B64.encodeToString(LogEntryFixture.sha256(Dsse.pae(Dsse.IN_TOTO, f.dsse.payload()))),
        LogEntryFixture.B64.encodeToString(LogEntryFixture.sha256(f.dsse.payload()))).getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.DIGEST_MISMATCH, E0 + ": logged digest is not the digest of the DSSE envelope's PAE",
        () -> f.verify(3, TSA));
  }

  @Test
  void verify_hashedRekordV1ForDsseBundle_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = f.defaultBody();
    f.dsse = envelope(f);
    assertFails(Reason.SIGNATURE_INVALID, E0 + ": a hashedrekord 0.0.1 entry cannot record a DSSE envelope",
        () -> f.verify(3, List.of()));
  }

  private static LoggedContent.Envelope envelope(LogEntryFixture f) {
    return new LoggedContent.Envelope(Dsse.IN_TOTO, "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8),
        List.of(new LoggedContent.Signature("", f.signature)));
  }

  @Test
  void verify_loggedHashValueNotHex_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8)
        .replace(HexFormat.of().formatHex(f.artifactDigest), "zz").getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + " body spec.data.hash value is not hex", () -> f.verify(3, List.of()));
  }

  @Test
  void verify_loggedKeyNotPem_fails() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    String pem = LogEntryFixture.B64.encodeToString(
        Pem.encode("CERTIFICATE", f.material).getBytes(StandardCharsets.US_ASCII));
    f.body = new String(f.defaultBody(), StandardCharsets.UTF_8)
        .replace(pem, LogEntryFixture.B64.encodeToString("not pem".getBytes(StandardCharsets.US_ASCII)))
        .getBytes(StandardCharsets.UTF_8);
    assertFails(Reason.MALFORMED_SIGNATURE, E0 + ": logged certificate or key is not PEM: not a PEM file: no -----BEGIN"
        + " line", () -> f.verify(3, List.of()));
  }

}
