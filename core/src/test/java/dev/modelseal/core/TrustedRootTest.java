package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.TrustedRoot.LogKey;
import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedRootTest {
  private static final String MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
  private static final byte[] REKOR_V1_ID = Base64.getDecoder().decode("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=");

  @TempDir
  Path dir;

  private static TrustedRoot production() throws VerificationException {
    return SigstoreTestVectors.root("happy-path-v0.1", "trusted_root.production.json");
  }

  private static String productionText() {
    return new String(SigstoreTestVectors.bytes("happy-path-v0.1", "trusted_root.production.json"),
        StandardCharsets.UTF_8);
  }

  private static VerificationException refused(String json) {
    return assertThrows(VerificationException.class, () -> TrustedRoot.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** A minimal root with one tlog whose members are given as JSON text. */
  private static String rootWithTlog(String tlogMembers) {
    return "{\"mediaType\":\"" + MEDIA_TYPE + "\",\"tlogs\":[{" + tlogMembers + "}]}";
  }

  private static String tlog(String keyDetails, String rawBytes, String validFor) {
    return "\"baseUrl\":\"https://log.test\",\"hashAlgorithm\":\"SHA2_256\",\"publicKey\":{\"rawBytes\":\""
        + rawBytes + "\",\"keyDetails\":\"" + keyDetails + "\",\"validFor\":" + validFor
        + "},\"logId\":{\"keyId\":\"AAEC\"}";
  }

  private static String ecKeyBase64() {
    return Base64.getEncoder().encodeToString(TestPki.ec().getPublic().getEncoded());
  }

  @Test
  void parse_productionRoot_readsEveryAuthorityAndLog() throws Exception {
    TrustedRoot root = production();
    assertEquals(2, root.certificateAuthorities().size());
    assertEquals(1, root.timestampAuthorities().size());
    assertEquals(2, root.transparencyLogs().size());
    assertEquals(2, root.ctLogs().size());
    Authority fulcio = root.certificateAuthorities().get(1);
    assertEquals("https://fulcio.sigstore.dev", fulcio.uri());
    assertEquals(2, fulcio.chain().size());
    assertEquals(Instant.parse("2022-04-13T20:06:15Z"), fulcio.start());
    assertNull(fulcio.end());
    assertEquals(Instant.parse("2022-12-31T23:59:59.999Z"), root.certificateAuthorities().get(0).end());
    assertEquals("https://timestamp.sigstore.dev/api/v1/timestamp", root.timestampAuthorities().get(0).uri());
  }

  @Test
  void parse_productionRoot_logKeysOfEachType() throws Exception {
    TrustedRoot root = production();
    LogKey rekor = root.tlog(REKOR_V1_ID).orElseThrow();
    assertEquals("https://rekor.sigstore.dev", rekor.baseUrl());
    assertInstanceOf(ECPublicKey.class, rekor.key());
    assertTrue(rekor.validAt(Instant.parse("2024-01-01T00:00:00Z")));
    assertInstanceOf(EdECPublicKey.class, root.transparencyLogs().get(1).key());
    assertEquals("https://ctfe.sigstore.dev/2022",
        root.ctlog(Base64.getDecoder().decode("3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=")).orElseThrow().baseUrl());
  }

  @Test
  void tlog_unknownLogId_empty() throws Exception {
    assertTrue(production().tlog(new byte[32]).isEmpty());
    assertTrue(production().ctlog(REKOR_V1_ID).isEmpty());
  }

  @Test
  void parse_stagingRoot_pkcs1RsaCtLogUsable() throws Exception {
    TrustedRoot root = SigstoreTestVectors.root("java-rekor2-staging-happy", "trusted_root.staging.json");
    assertEquals(4, root.transparencyLogs().size());
    assertEquals(4, root.ctLogs().size());
    LogKey test = root.ctLogs().get(0);
    assertEquals("https://ctfe.sigstage.dev/test", test.baseUrl());
    assertEquals(4096, ((RSAPublicKey) test.key()).getModulus().bitLength());
    assertEquals(Instant.parse("2025-09-04T00:00:00Z"), root.transparencyLogs().get(1).end());
  }

  @Test
  void parse_customRootWithMillisecondTimes_readsWindows() throws Exception {
    TrustedRoot root = SigstoreTestVectors.root("invalid-ct-key_fail", "trusted_root.json");
    assertEquals(Instant.parse("2021-01-12T11:53:27Z"), root.transparencyLogs().get(0).start());
    assertEquals(3, root.ctLogs().size());
    assertEquals(3, root.timestampAuthorities().get(0).chain().size());
    assertNull(root.timestampAuthorities().get(0).uri());
  }

  @Test
  void parse_tlogWithoutValidityStart_neverValid() throws Exception {
    TrustedRoot root = SigstoreTestVectors.root("trust-root-tlog-missing-validity-start_fail", "trusted_root.json");
    LogKey v2 = root.transparencyLogs().get(1);
    assertInstanceOf(EdECPublicKey.class, v2.key());
    assertNull(v2.start());
    assertFalse(v2.validAt(Instant.parse("2025-06-01T00:00:00Z")));
  }

  @Test
  void validAt_tlogValidityEnd_inclusive() throws Exception {
    TrustedRoot root = SigstoreTestVectors.root("trust-root-tlog-validity-end-inclusive", "trusted_root.json");
    LogKey rekor = root.tlog(REKOR_V1_ID).orElseThrow();
    Instant end = Instant.parse("2023-07-12T15:56:36Z");
    assertEquals(end, rekor.end());
    assertTrue(rekor.validAt(end));
    assertFalse(rekor.validAt(end.plusMillis(1)));
    assertNull(root.transparencyLogs().get(1).end()); // "end": null
  }

  @Test
  void validAt_beforeStart_false() throws Exception {
    LogKey rekor = production().tlog(REKOR_V1_ID).orElseThrow();
    assertTrue(rekor.validAt(rekor.start()));
    assertFalse(rekor.validAt(rekor.start().minusMillis(1)));
  }

  @Test
  void read_productionRootFile_parses(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("trusted_root.json");
    Files.write(file, SigstoreTestVectors.bytes("happy-path-v0.1", "trusted_root.production.json"));
    assertEquals(2, TrustedRoot.read(file).certificateAuthorities().size());
  }

  @Test
  void read_fileOverOneMiB_tooLarge() throws Exception {
    Path file = dir.resolve("big.json");
    Files.write(file, new byte[TrustedRoot.MAX_BYTES + 1]);
    VerificationException e = assertThrows(VerificationException.class, () -> TrustedRoot.read(file));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("trusted root " + file + " is larger than 1048576 bytes", e.getMessage());
  }

  @Test
  void parse_otherMediaType_malformed() {
    VerificationException e = refused(productionText().replace(MEDIA_TYPE,
        "application/vnd.dev.sigstore.trustedroot.v0.2+json"));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("trusted root has media type application/vnd.dev.sigstore.trustedroot.v0.2+json, expected "
        + MEDIA_TYPE, e.getMessage());
  }

  @Test
  void parse_notJson_malformed() {
    VerificationException e = refused("{\"mediaType\":");
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertTrue(e.getMessage().startsWith("trusted root is not JSON: "), e.getMessage());
  }

  @Test
  void parse_noArrays_emptyRoot() throws Exception {
    TrustedRoot root = TrustedRoot.parse(("{\"mediaType\":\"" + MEDIA_TYPE + "\"}").getBytes(StandardCharsets.UTF_8));
    assertTrue(root.certificateAuthorities().isEmpty());
    assertTrue(root.transparencyLogs().isEmpty());
  }

  @Test
  void parse_unknownKeyDetails_keepsLogUnusable() throws Exception {
    TrustedRoot root = TrustedRoot.parse(rootWithTlog(tlog("PKIX_FUTURE_KEY", ecKeyBase64(),
        "{\"start\":\"2020-01-01T00:00:00Z\"}")).getBytes(StandardCharsets.UTF_8));
    LogKey log = root.transparencyLogs().get(0);
    assertNull(log.key());
    assertFalse(log.validAt(Instant.parse("2024-01-01T00:00:00Z")));
  }

  @Test
  void parse_keyOfAnotherTypeThanDetails_keepsLogUnusable() throws Exception {
    TrustedRoot root = TrustedRoot.parse(rootWithTlog(tlog("PKIX_ED25519", ecKeyBase64(),
        "{\"start\":\"2020-01-01T00:00:00Z\"}")).getBytes(StandardCharsets.UTF_8));
    assertNull(root.transparencyLogs().get(0).key());
  }

  @Test
  void parse_unparsableKey_keepsLogUnusable() throws Exception {
    TrustedRoot root = TrustedRoot.parse(rootWithTlog(tlog("PKIX_ECDSA_P256_SHA_256", "AAAA",
        "{\"start\":\"2020-01-01T00:00:00Z\"}")).getBytes(StandardCharsets.UTF_8));
    assertNull(root.transparencyLogs().get(0).key());
  }

  @Test
  void parse_matchingKeyDetails_usable() throws Exception {
    TrustedRoot root = TrustedRoot.parse(rootWithTlog(tlog("PKIX_ECDSA_P256_SHA_256", ecKeyBase64(),
        "{\"start\":\"2020-01-01T00:00:00Z\"}")).getBytes(StandardCharsets.UTF_8));
    assertTrue(root.transparencyLogs().get(0).validAt(Instant.parse("2024-01-01T00:00:00Z")));
  }

  @Test
  void parse_otherMerkleHash_keepsLogUnusable() throws Exception {
    TrustedRoot root = TrustedRoot.parse(rootWithTlog(tlog("PKIX_ECDSA_P256_SHA_256", ecKeyBase64(),
        "{\"start\":\"2020-01-01T00:00:00Z\"}").replace("SHA2_256", "SHA2_384")).getBytes(StandardCharsets.UTF_8));
    assertNull(root.transparencyLogs().get(0).key());
  }

  @Test
  void parse_badTime_malformed() {
    VerificationException e = refused(rootWithTlog(tlog("PKIX_ECDSA_P256_SHA_256", ecKeyBase64(),
        "{\"start\":\"2020-01-01\"}")));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("trusted root tlogs[0].publicKey.validFor.start is not an RFC 3339 time: 2020-01-01",
        e.getMessage());
  }

  @Test
  void parse_missingLogId_malformed() {
    VerificationException e = refused(rootWithTlog(tlog("PKIX_ECDSA_P256_SHA_256", ecKeyBase64(), "{}")
        .replace(",\"logId\":{\"keyId\":\"AAEC\"}", "")));
    assertEquals("trusted root tlogs[0].logId is missing or not a JSON object", e.getMessage());
  }

  @Test
  void parse_corruptCaCertificate_malformed() {
    String json = "{\"mediaType\":\"" + MEDIA_TYPE + "\",\"certificateAuthorities\":[{\"certChain\":"
        + "{\"certificates\":[{\"rawBytes\":\"AAAA\"}]},\"validFor\":{\"start\":\"2020-01-01T00:00:00Z\"}}]}";
    VerificationException e = refused(json);
    assertEquals("trusted root certificateAuthorities[0].certChain.certificates[0] is not DER X.509",
        e.getMessage());
  }

  @Test
  void parse_emptyCaChain_malformed() {
    String json = "{\"mediaType\":\"" + MEDIA_TYPE + "\",\"timestampAuthorities\":[{\"certChain\":"
        + "{\"certificates\":[]}}]}";
    VerificationException e = refused(json);
    assertEquals("trusted root timestampAuthorities[0].certChain must hold 1 to 10 certificates, found 0",
        e.getMessage());
  }

  @Test
  void parse_tooManyLogs_malformed() {
    String one = "{" + tlog("PKIX_ED25519", "AAAA", "{}") + "}";
    String json = "{\"mediaType\":\"" + MEDIA_TYPE + "\",\"ctlogs\":["
        + String.join(",", java.util.Collections.nCopies(TrustedRootEntries.MAX_ENTRIES + 1, one)) + "]}";
    VerificationException e = refused(json);
    assertEquals("trusted root ctlogs has 65 entries, more than 64", e.getMessage());
  }

  @Test
  void parse_authorityWithoutWindow_neverValid() throws Exception {
    TestPki pki = new TestPki();
    String json = "{\"mediaType\":\"" + MEDIA_TYPE + "\",\"certificateAuthorities\":[{\"certChain\":"
        + "{\"certificates\":[{\"rawBytes\":\"" + Base64.getEncoder().encodeToString(pki.root.getEncoded())
        + "\"}]}}]}";
    Authority ca = TrustedRoot.parse(json.getBytes(StandardCharsets.UTF_8)).certificateAuthorities().get(0);
    assertEquals(pki.root, ca.chain().get(0));
    assertFalse(ca.validAt(TestPki.T0));
  }
}
