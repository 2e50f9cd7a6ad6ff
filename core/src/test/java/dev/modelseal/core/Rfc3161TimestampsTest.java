package dev.modelseal.core;

import static dev.modelseal.core.TsaFixture.GEN_TIME;
import static dev.modelseal.core.TsaFixture.NOT_AFTER;
import static dev.modelseal.core.TsaFixture.NOT_BEFORE;
import static dev.modelseal.core.TsaFixture.SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each check of {@link Rfc3161Timestamps} against tokens made here by a throwaway TSA. */
class Rfc3161TimestampsTest {
  private static final ASN1ObjectIdentifier TST_INFO = new ASN1ObjectIdentifier(TimestampToken.TST_INFO);
  private static TsaFixture tsa;

  @BeforeAll
  static void makeTsa() throws Exception {
    tsa = new TsaFixture();
  }

  private static VerificationException failure(byte[] token, TrustedRoot root) {
    return assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(List.of(token), SIGNATURE, root));
  }

  private static void assertFailure(Reason reason, String message, VerificationException e) {
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  @Test
  void verify_goodTokenWithEmbeddedLeaf_returnsGenTime() throws Exception {
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(tsa.token()), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_noEmbeddedCertificate_usesAuthorityLeaf() throws Exception {
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of());
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(token), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_authorityListsRootOnly_chainsEmbeddedLeaf() throws Exception {
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.root), NOT_BEFORE, null);
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(tsa.token()), SIGNATURE, root));
  }

  @Test
  void verify_noTimestamps_returnsEmpty() throws Exception {
    assertEquals(List.of(), Rfc3161Timestamps.verify(List.of(), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_tokenOverOtherBytes_failsDigestMismatch() throws Exception {
    byte[] token = tsa.token("another signature".getBytes(StandardCharsets.US_ASCII), GEN_TIME, tsa.leaf,
        tsa.leafKey.getPrivate(), List.of(tsa.leaf));
    assertFailure(Reason.DIGEST_MISMATCH,
        "timestamp 0: message imprint is not the SHA-256 digest of the bundle signature",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_tstInfoChangedAfterSigning_failsSignatureInvalid() throws Exception {
    byte[] token = tsa.token();
    // the policy OID 1.2.3.4 (06 03 2A 03 04) occurs only in the TSTInfo; make it 1.2.3.5
    int at = indexOf(token, new byte[] {0x06, 0x03, 0x2a, 0x03, 0x04});
    token[at + 4] = 0x05;
    assertFailure(Reason.SIGNATURE_INVALID,
        "timestamp 0: signed attribute message-digest is not the digest of the TSTInfo",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_signedByAnotherKey_failsSignatureInvalid() throws Exception {
    KeyPair other = TsaFixture.ecKey();
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, other.getPrivate(), List.of(tsa.leaf));
    assertFailure(Reason.SIGNATURE_INVALID,
        "timestamp 0: the signature over the signed attributes does not verify with the TSA certificate",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_tsaNotInTrustedRoot_failsUntrusted() throws Exception {
    TsaFixture stranger = new TsaFixture();
    assertFailure(Reason.UNTRUSTED_KEY,
        "timestamp 0: the TSA certificate is not from a trusted timestamp authority",
        failure(tsa.token(), stranger.trustedRoot()));
  }

  @Test
  void verify_rootOnlyAuthorityOfAnotherTsa_failsUntrusted() throws Exception {
    TsaFixture stranger = new TsaFixture();
    // same issuer name, different key: only the chain validation can tell
    TrustedRoot root = TsaFixture.rootOf(List.of(stranger.root), NOT_BEFORE, null);
    VerificationException e = failure(tsa.token(), root);
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(true, e.getMessage().startsWith("timestamp 0: the TSA certificate does not chain to timestamp "
        + "authority https://tsa.test at genTime 2025-08-01T12:00:00Z: "), e.getMessage());
  }

  @Test
  void verify_noEmbeddedCertAndUnknownSigner_failsUntrusted() throws Exception {
    X509Certificate listed = tsa.leaf(9, NOT_BEFORE, NOT_AFTER, true, true);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of());
    TrustedRoot root = TsaFixture.rootOf(List.of(listed, tsa.root), NOT_BEFORE, null);
    assertFailure(Reason.UNTRUSTED_KEY, "timestamp 0: the token embeds no certificate and its signer is not the "
        + "leaf of a trusted timestamp authority", failure(token, root));
  }

  @Test
  void verify_genTimeBeforeAuthorityStart_failsUntrusted() throws Exception {
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.leaf, tsa.root), GEN_TIME.plusSeconds(1), null);
    assertFailure(Reason.UNTRUSTED_KEY, "timestamp 0: genTime 2025-08-01T12:00:00Z is outside the trusted root's "
        + "validity window of timestamp authority https://tsa.test (2025-08-01T12:00:01Z to open)",
        failure(tsa.token(), root));
  }

  @Test
  void verify_genTimeAfterAuthorityEnd_failsUntrusted() throws Exception {
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.leaf, tsa.root), NOT_BEFORE, GEN_TIME.minusSeconds(1));
    assertFailure(Reason.UNTRUSTED_KEY, "timestamp 0: genTime 2025-08-01T12:00:00Z is outside the trusted root's "
        + "validity window of timestamp authority https://tsa.test (2025-01-01T00:00:00Z to 2025-08-01T11:59:59Z)",
        failure(tsa.token(), root));
  }

  @Test
  void verify_genTimeAtAuthorityEnd_returnsGenTime() throws Exception {
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.leaf, tsa.root), NOT_BEFORE, GEN_TIME);
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(tsa.token()), SIGNATURE, root));
  }

  @Test
  void verify_leafNotYetValidAtGenTime_failsUntrusted() throws Exception {
    X509Certificate late = tsa.leaf(2, GEN_TIME.plusSeconds(3600), NOT_AFTER, true, true);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of(late));
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.root), NOT_BEFORE, null);
    assertFailure(Reason.UNTRUSTED_KEY, "timestamp 0: certificate CN=Test TSA of timestamp authority "
        + "https://tsa.test is not valid at genTime 2025-08-01T12:00:00Z (valid 2025-08-01T13:00:00Z to "
        + "2026-01-01T00:00:00Z)", failure(token, root));
  }

  @Test
  void verify_rootExpiredAtGenTime_failsUntrusted() throws Exception {
    X509Certificate oldRoot = TsaFixture.cert("CN=Test TSA Root", "CN=Test TSA Root", tsa.rootKey.getPublic(),
        tsa.rootKey.getPrivate(), 1, NOT_BEFORE, GEN_TIME.minusSeconds(1), true, false, false);
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.leaf, oldRoot), NOT_BEFORE, null);
    assertFailure(Reason.UNTRUSTED_KEY, "timestamp 0: certificate CN=Test TSA Root of timestamp authority "
        + "https://tsa.test is not valid at genTime 2025-08-01T12:00:00Z (valid 2025-01-01T00:00:00Z to "
        + "2025-08-01T11:59:59Z)", failure(tsa.token(), root));
  }

  @Test
  void verify_chainExpiredNowValidAtGenTime_returnsGenTime() throws Exception {
    Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
    X509Certificate oldRoot = TsaFixture.cert("CN=Test TSA Root", "CN=Test TSA Root", tsa.rootKey.getPublic(),
        tsa.rootKey.getPrivate(), 1, longAgo.minusSeconds(60), longAgo.plusSeconds(60), true, false, false);
    X509Certificate oldLeaf = tsa.leaf(2, longAgo.minusSeconds(60), longAgo.plusSeconds(60), true, true);
    byte[] token = tsa.token(SIGNATURE, longAgo, oldLeaf, tsa.leafKey.getPrivate(), List.of(oldLeaf));
    TrustedRoot root = TsaFixture.rootOf(List.of(oldLeaf, oldRoot), longAgo.minusSeconds(60), null);
    assertEquals(List.of(longAgo), Rfc3161Timestamps.verify(List.of(token), SIGNATURE, root));
  }

  @Test
  void verify_leafWithoutEku_failsUntrusted() throws Exception {
    // same issuer, serial and key as the leaf BouncyCastle signed with, but no EKU
    X509Certificate noEku = tsa.leaf(2, NOT_BEFORE, NOT_AFTER, false, false);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of(noEku));
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.root), NOT_BEFORE, null);
    assertFailure(Reason.UNTRUSTED_KEY,
        "timestamp 0: TSA certificate must have the extended key usage timeStamping only",
        failure(token, root));
  }

  @Test
  void verify_leafEkuNotCritical_failsUntrusted() throws Exception {
    X509Certificate soft = tsa.leaf(2, NOT_BEFORE, NOT_AFTER, true, false);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of(soft));
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.root), NOT_BEFORE, null);
    assertFailure(Reason.UNTRUSTED_KEY,
        "timestamp 0: TSA certificate must mark its extended key usage critical", failure(token, root));
  }

  @Test
  void verify_intermediateWithoutTimestampingEku_failsUntrusted() throws Exception {
    KeyPair interKey = TsaFixture.ecKey();
    X509Certificate inter = TsaFixture.cert("CN=Test TSA Root", "CN=Test TSA Intermediate", interKey.getPublic(),
        tsa.rootKey.getPrivate(), 3, NOT_BEFORE, NOT_AFTER, true, false, false);
    X509Certificate leaf = TsaFixture.cert("CN=Test TSA Intermediate", "CN=Test TSA", tsa.leafKey.getPublic(),
        interKey.getPrivate(), 4, NOT_BEFORE, NOT_AFTER, false, true, true);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, leaf, tsa.leafKey.getPrivate(), List.of(leaf));
    TrustedRoot root = TsaFixture.rootOf(List.of(leaf, inter, tsa.root), NOT_BEFORE, null);
    assertFailure(Reason.UNTRUSTED_KEY, "timestamp 0: intermediate certificate CN=Test TSA Intermediate must have "
        + "the extended key usage timeStamping only", failure(token, root));
  }

  @Test
  void verify_intermediateForTimestamping_returnsGenTime() throws Exception {
    KeyPair interKey = TsaFixture.ecKey();
    X509Certificate inter = TsaFixture.cert("CN=Test TSA Root", "CN=Test TSA Intermediate", interKey.getPublic(),
        tsa.rootKey.getPrivate(), 3, NOT_BEFORE, NOT_AFTER, true, true, false);
    X509Certificate leaf = TsaFixture.cert("CN=Test TSA Intermediate", "CN=Test TSA", tsa.leafKey.getPublic(),
        interKey.getPrivate(), 4, NOT_BEFORE, NOT_AFTER, false, true, true);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, leaf, tsa.leafKey.getPrivate(), List.of(leaf));
    TrustedRoot root = TsaFixture.rootOf(List.of(leaf, inter, tsa.root), NOT_BEFORE, null);
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(token), SIGNATURE, root));
  }

  @Test
  void verify_embeddedCertIsNotTheSigner_failsSignatureInvalid() throws Exception {
    // the SignerInfo names serial 2; the token embeds only a serial-5 certificate for the same key
    X509Certificate other = tsa.leaf(5, NOT_BEFORE, NOT_AFTER, true, true);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of(other));
    TrustedRoot root = TsaFixture.rootOf(List.of(tsa.root), NOT_BEFORE, null);
    assertFailure(Reason.SIGNATURE_INVALID,
        "timestamp 0: no embedded certificate matches the SignerInfo's signer id", failure(token, root));
  }

  @Test
  void verify_signerIsNotTheAuthorityLeaf_failsUntrusted() throws Exception {
    // a leaf the root issued but the trusted root does not list as the authority's leaf
    X509Certificate other = tsa.leaf(5, NOT_BEFORE, NOT_AFTER, true, true);
    byte[] token = tsa.token(SIGNATURE, GEN_TIME, other, tsa.leafKey.getPrivate(), List.of(other));
    assertFailure(Reason.UNTRUSTED_KEY,
        "timestamp 0: the TSA certificate is not from a trusted timestamp authority",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_tooManyTimestamps_failsTooLarge() throws Exception {
    List<byte[]> many = new ArrayList<>(Collections.nCopies(33, new byte[] {0}));
    VerificationException e = assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(many, SIGNATURE, tsa.trustedRoot()));
    assertFailure(Reason.TOO_LARGE, "bundle has 33 RFC 3161 timestamps, more than 32", e);
  }

  @Test
  void verify_oversizedTimestamp_failsTooLarge() throws Exception {
    assertFailure(Reason.TOO_LARGE, "timestamp 0 is 65537 bytes, more than 65536",
        failure(new byte[65537], tsa.trustedRoot()));
  }

  @Test
  void verify_duplicateTimestamps_failsMalformed() throws Exception {
    byte[] token = tsa.token();
    VerificationException e = assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(List.of(token, token.clone()), SIGNATURE, tsa.trustedRoot()));
    assertFailure(Reason.MALFORMED_SIGNATURE, "timestamp 1 duplicates timestamp 0", e);
  }

  @Test
  void verify_notDer_failsMalformed() throws Exception {
    assertFailure(Reason.MALFORMED_SIGNATURE, "timestamp 0: not an RFC 3161 timestamp: DER length past the end",
        failure(new byte[] {0x30, 0x05, 1}, tsa.trustedRoot()));
  }

  @Test
  void verify_derIntegerInsteadOfSequence_failsMalformed() throws Exception {
    assertFailure(Reason.MALFORMED_SIGNATURE, "timestamp 0: not an RFC 3161 timestamp (IllegalArgumentException)",
        failure(new byte[] {0x02, 0x01, 0x01}, tsa.trustedRoot()));
  }

  @Test
  void verify_deeplyNestedDer_failsMalformed() throws Exception {
    // 16,000 SEQUENCEs inside each other, each with a 3-byte length: 64,000 bytes
    int depth = 16_000;
    byte[] der = new byte[depth * 4];
    for (int i = 0; i < depth; i++) {
      int len = (depth - i - 1) * 4;
      der[i * 4] = 0x30;
      der[i * 4 + 1] = (byte) 0x82;
      der[i * 4 + 2] = (byte) (len >> 8);
      der[i * 4 + 3] = (byte) len;
    }
    assertFailure(Reason.MALFORMED_SIGNATURE,
        "timestamp 0: not an RFC 3161 timestamp: ASN.1 nested deeper than 32", failure(der, tsa.trustedRoot()));
  }

  @Test
  void verify_rejectedResponse_failsSignatureInvalid() throws Exception {
    // TimeStampResp { PKIStatusInfo { status rejection(2) } }
    byte[] rejected = {0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02};
    assertFailure(Reason.SIGNATURE_INVALID, "timestamp 0: the timestamp authority did not grant it (status 2)",
        failure(rejected, tsa.trustedRoot()));
  }

  @Test
  void verify_grantedResponseWrappingToken_returnsGenTime() throws Exception {
    byte[] token = tsa.token();
    byte[] status = {0x30, 0x03, 0x02, 0x01, 0x00};
    byte[] body = new byte[status.length + token.length];
    System.arraycopy(status, 0, body, 0, status.length);
    System.arraycopy(token, 0, body, status.length, token.length);
    byte[] resp = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        org.bouncycastle.asn1.ASN1Primitive.fromByteArray(status),
        org.bouncycastle.asn1.ASN1Primitive.fromByteArray(token)}).getEncoded();
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(resp), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_rsaTsa_returnsGenTime() throws Exception {
    TsaFixture rsa = new TsaFixture("RSA");
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(rsa.token()), SIGNATURE, rsa.trustedRoot()));
  }

  @Test
  void verify_ed25519Tsa_returnsGenTime() throws Exception {
    TsaFixture ed = new TsaFixture("Ed25519");
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(ed.token()), SIGNATURE, ed.trustedRoot()));
  }

  @Test
  void verify_sha512Imprint_returnsGenTime() throws Exception {
    byte[] token = tsa.token(TSPAlgorithms.SHA512, "SHA-512", SIGNATURE, GEN_TIME, tsa.leaf,
        tsa.leafKey.getPrivate(), List.of(tsa.leaf));
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(token), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_sha1Imprint_failsUnsupported() throws Exception {
    byte[] token = tsa.token(TSPAlgorithms.SHA1, "SHA-1", SIGNATURE, GEN_TIME, tsa.leaf,
        tsa.leafKey.getPrivate(), List.of(tsa.leaf));
    assertFailure(Reason.UNSUPPORTED,
        "timestamp 0: message imprint hash algorithm 1.3.14.3.2.26 is not SHA-256, SHA-384 or SHA-512",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_genericCmsOverTstInfo_returnsGenTime() throws Exception {
    byte[] token = tsa.signedData(TST_INFO, tstInfo(), TST_INFO);
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(token), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_eContentTypeNotTstInfo_failsMalformed() throws Exception {
    byte[] token = tsa.signedData(CMSObjectIdentifiers.data, tstInfo(), CMSObjectIdentifiers.data);
    assertFailure(Reason.MALFORMED_SIGNATURE, "timestamp 0: not an RFC 3161 timestamp: the signed content is not "
        + "a TSTInfo (eContentType id-ct-TSTInfo)", failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_contentTypeAttributeNotTstInfo_failsSignatureInvalid() throws Exception {
    byte[] token = tsa.signedData(TST_INFO, tstInfo(), CMSObjectIdentifiers.data);
    assertFailure(Reason.SIGNATURE_INVALID,
        "timestamp 0: signed attribute content-type is 1.2.840.113549.1.7.1, not id-ct-TSTInfo",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_tstInfoVersion2_failsMalformed() throws Exception {
    byte[] tst = tstInfo();
    assertEquals(List.of((byte) 0x02, (byte) 0x01, (byte) 0x01), List.of(tst[2], tst[3], tst[4]));
    tst[4] = 2;
    byte[] token = tsa.signedData(TST_INFO, tst, TST_INFO);
    assertFailure(Reason.MALFORMED_SIGNATURE, "timestamp 0: not an RFC 3161 timestamp: TSTInfo version is not 1",
        failure(token, tsa.trustedRoot()));
  }

  @Test
  void verify_signerNamedBySubjectKeyId_returnsGenTime() throws Exception {
    byte[] token = tsa.signedData(TST_INFO, tstInfo(), TST_INFO, tsa.leafKeyId());
    assertEquals(List.of(GEN_TIME), Rfc3161Timestamps.verify(List.of(token), SIGNATURE, tsa.trustedRoot()));
  }

  @Test
  void verify_subjectKeyIdOfAnotherKey_failsSignatureInvalid() throws Exception {
    byte[] token = tsa.signedData(TST_INFO, tstInfo(), TST_INFO, new byte[20]);
    assertFailure(Reason.SIGNATURE_INVALID,
        "timestamp 0: no embedded certificate matches the SignerInfo's signer id", failure(token, tsa.trustedRoot()));
  }

  /** The TSTInfo DER of a good token. */
  private static byte[] tstInfo() throws Exception {
    return TimestampToken.parse(tsa.token(), "fixture").tstInfo;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }
}
