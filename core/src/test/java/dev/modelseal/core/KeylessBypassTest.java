package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A security review of keyless verification (issue 19): an attacker controls the bundle and the artifact,
 * not the trusted root nor the identity policy, and tries to have a bundle accepted that must not be.
 * Each test is one route, built from a real vector bundle edited as JSON or from the test PKI, log and
 * TSA fixtures; most must be refused with an exact reason and message, a few (noted) must be accepted
 * because the edit is harmless. The fuzz tests check that corrupt input only ever yields a
 * {@link VerificationException}, never another exception.
 */
class KeylessBypassTest {

  // ---------------------------------------------------------------- helpers

  /** Asserts {@code e} throws a VerificationException with this reason and exactly this message. */
  static void refused(Reason reason, String message, Executable e) {
    VerificationException ex = assertThrows(VerificationException.class, e);
    assertEquals(reason + ": " + message, ex.reason() + ": " + ex.getMessage());
  }

  /** As {@link #refused} with the message compared up to {@code prefix} (the rest holds random ids). */
  static void refusedStartingWith(Reason reason, String prefix, Executable e) {
    VerificationException ex = assertThrows(VerificationException.class, e);
    assertEquals(reason, ex.reason(), ex.getMessage());
    assertTrue(ex.getMessage().startsWith(prefix), "message: " + ex.getMessage());
  }

  /** Runs {@code e}; anything but success or a VerificationException fails the test. */
  static void onlyVerificationExceptions(String what, Executable e) {
    try {
      e.execute();
    } catch (VerificationException expected) {
      // refused: fine
    } catch (Throwable t) {
      fail(what + ": " + t, t);
    }
  }

  /** A vector's bundle as mutable JSON (maps and lists). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> bundle(String id) throws Exception {
    SigstoreVectorsTest.Case c = SigstoreVectorsTest.load(id);
    return (Map<String, Object>) Json.parse(Files.readString(c.dir().resolve(c.text("bundle")),
        StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static Map<String, Object> vm(Map<String, Object> bundle) {
    return obj(bundle.get("verificationMaterial"));
  }

  static Map<String, Object> entry(Map<String, Object> bundle, int i) {
    return obj(list(vm(bundle).get("tlogEntries")).get(i));
  }

  /** A deep copy through JSON. */
  static Object copy(Object json) throws Exception {
    return Json.parse(JsonWriter.write(json));
  }

  static SignatureMaterial material(Map<String, Object> bundle) throws VerificationException {
    return SignatureMaterial.parseBundle(JsonWriter.write(bundle).getBytes(StandardCharsets.UTF_8));
  }

  static KeylessVerifier verifier(String id) throws Exception {
    SigstoreVectorsTest.Case c = SigstoreVectorsTest.load(id);
    TrustedRoot root = TrustedRoot.read(c.dir().resolve(c.text("trusted_root")));
    Map<String, Object> policy = c.policy();
    IdentityPolicy.Builder p = IdentityPolicy.builder().issuer((String) policy.get("certificate_oidc_issuer"));
    if ("identity-regexp".equals(policy.get("type"))) {
      p.sanRegexp((String) policy.get("certificate_identity_regexp"));
    } else {
      p.san((String) policy.get("certificate_identity"));
    }
    return KeylessVerifier.builder(root, p.build()).build();
  }

  /** Verifies an edited bundle of case {@code id} over the case's artifact (its digest when it has none). */
  static void verify(String id, Map<String, Object> bundle) throws Exception {
    SigstoreVectorsTest.Case c = SigstoreVectorsTest.load(id);
    KeylessVerifier v = verifier(id);
    SignatureMaterial m = material(bundle);
    if (c.json().get("artifact") instanceof String artifact) {
      v.verify(c.dir().resolve(artifact), m);
    } else {
      v.verifyDigests(Map.of("SHA-256", SigstoreVectorsTest.digest(c)), m);
    }
  }

  static byte[] b64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  // ---------------------------------------------------------------- the unedited vectors pass

  @Test
  void verify_uneditedVectorsUsedBelow_accepted() {
    for (String id : List.of("happy-path-v0.1", "happy-path-v0.3", "java-bundle-v0.3", "rekor2-happy-path",
        "happy-path-intoto-in-dsse-v3", "model-signing-v1.1.0-sigstore", "rekor2-checkpoint-cosigned")) {
      assertDoesNotThrow(() -> verify(id, bundle(id)), id);
    }
  }

  // ---------------------------------------------------------------- transparency-log entries

  @Test
  void tlogEntries_secondEntryForAnotherArtifact_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    list(vm(b).get("tlogEntries")).add(copy(entry(bundle("java-bundle-v0.3"), 0)));
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 1: logged signature differs from the bundle's signature",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void tlogEntries_validEntryThenEntryForAnotherArtifactFirst_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    list(vm(b).get("tlogEntries")).add(0, copy(entry(bundle("java-bundle-v0.3"), 0)));
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 0: logged signature differs from the bundle's signature",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void tlogEntries_duplicateOfTheValidEntry_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    list(vm(b).get("tlogEntries")).add(copy(entry(b, 0)));
    refused(Reason.MALFORMED_SIGNATURE, "transparency log entry 1 duplicates transparency log entry 0",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void tlogEntries_validEntryPlusCopyWithEditedIndex_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    Map<String, Object> second = obj(copy(entry(b, 0)));
    second.put("logIndex", "1");
    list(vm(b).get("tlogEntries")).add(second);
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 1: signed entry timestamp does not verify with the log's key",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void set_takenFromAnotherEntryOfTheSameLog_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    Map<String, Object> other = entry(bundle("java-bundle-v0.3"), 0);
    Map<String, Object> e = entry(b, 0);
    e.put("inclusionPromise", other.get("inclusionPromise"));
    e.put("integratedTime", other.get("integratedTime"));
    e.put("logIndex", other.get("logIndex"));
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 0: signed entry timestamp does not verify with the log's key",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void set_validForItsBodyWithTheBodyOfAnotherEntry_refused() throws Exception {
    // The attacker keeps the other entry's valid SET and proof and only swaps in a body recording this bundle.
    Map<String, Object> b = bundle("happy-path-v0.3");
    Map<String, Object> e = obj(copy(entry(bundle("java-bundle-v0.3"), 0)));
    e.put("canonicalizedBody", entry(b, 0).get("canonicalizedBody"));
    list(vm(b).get("tlogEntries")).set(0, e);
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 0: signed entry timestamp does not verify with the log's key",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void inclusionProof_ofAnotherEntryWithoutSet_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    Map<String, Object> e = entry(b, 0);
    e.put("inclusionProof", entry(bundle("java-bundle-v0.3"), 0).get("inclusionProof"));
    e.remove("inclusionPromise");
    refused(Reason.SIGNATURE_INVALID, "transparency log entry 0: inclusion proof does not lead to its root hash",
        () -> verify("happy-path-v0.3", b));
  }

  /** Two logs of one trusted root; the entry is logged by A, its checkpoint signed by B. */
  @Test
  void checkpoint_signedByAnotherLogOfTheTrustedRoot_refused() throws Exception {
    for (boolean v2 : new boolean[] {false, true}) {
      LogEntryFixture a = v2 ? LogEntryFixture.rekorV2() : LogEntryFixture.rekorV1();
      LogEntryFixture other = v2 ? LogEntryFixture.rekorV2() : LogEntryFixture.rekorV1();
      other.signature = a.signature;
      other.material = a.material;
      other.artifactDigest = a.artifactDigest;
      Map<String, Object> entry = a.entry();
      obj(entry.get("inclusionProof")).put("checkpoint", obj(other.entry().get("inclusionProof")).get("checkpoint"));
      TrustedRoot root = new TrustedRoot(List.of(), List.of(), List.of(a.logKey(), other.logKey()), List.of());
      List<Instant> ts = v2 ? List.of(Instant.parse("2025-01-01T00:00:00Z")) : List.of();
      refused(Reason.SIGNATURE_INVALID, "transparency log entry 0: checkpoint has no signature by the "
          + "transparency log's key",
          () -> TransparencyLogEntries.verify(List.of(entry), a.content(), root, 3, ts));
    }
  }

  @Test
  void checkpoint_entryRelabelledAsTheOtherLog_refused() throws Exception {
    // The entry names log B (whose checkpoint it carries) but its SET is log A's.
    LogEntryFixture a = LogEntryFixture.rekorV1();
    LogEntryFixture other = LogEntryFixture.rekorV1();
    other.signature = a.signature;
    other.material = a.material;
    other.artifactDigest = a.artifactDigest;
    Map<String, Object> entry = a.entry();
    entry.put("logId", other.entry().get("logId"));
    obj(entry.get("inclusionProof")).put("checkpoint", obj(other.entry().get("inclusionProof")).get("checkpoint"));
    TrustedRoot root = new TrustedRoot(List.of(), List.of(), List.of(a.logKey(), other.logKey()), List.of());
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 0: signed entry timestamp does not verify with the log's key",
        () -> TransparencyLogEntries.verify(List.of(entry), a.content(), root, 3, List.of()));
  }

  @Test
  void logKey_validOnlyBeforeTheIntegratedTime_refused() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.keyEnd = Instant.ofEpochSecond(f.integratedTime - 1);
    refused(Reason.UNTRUSTED_KEY, "transparency log entry 0: key of transparency log "
        + HexFormat.of().formatHex(f.logId) + " is not valid at the entry's integrated time "
        + Instant.ofEpochSecond(f.integratedTime), () -> f.verify(3, List.of()));
  }

  @Test
  void logKey_validOnlyAfterTheIntegratedTime_refused() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.keyStart = Instant.ofEpochSecond(f.integratedTime + 1);
    refused(Reason.UNTRUSTED_KEY, "transparency log entry 0: key of transparency log "
        + HexFormat.of().formatHex(f.logId) + " is not valid at the entry's integrated time "
        + Instant.ofEpochSecond(f.integratedTime), () -> f.verify(3, List.of()));
  }

  @Test
  void logKey_rekorV2KeyEndedBeforeOneOfTheTimestamps_refused() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    f.keyEnd = Instant.parse("2025-01-01T00:00:00Z");
    refused(Reason.UNTRUSTED_KEY, "transparency log entry 0: key of transparency log "
        + HexFormat.of().formatHex(f.logId) + " is not valid at each RFC 3161 timestamp time",
        () -> f.verify(3, List.of(Instant.parse("2024-06-01T00:00:00Z"), Instant.parse("2025-06-01T00:00:00Z"))));
  }

  /**
   * FIXED: a Rekor v1 entry without a SET (v0.2+, inclusion proof and checkpoint only) in a bundle with an
   * RFC 3161 timestamp. Its integratedTime is unsigned; the log key's trusted-root window was checked at
   * that time, so a retired (validFor ended) log key passed with integratedTime edited into its window.
   * The key must be valid at the verified timestamp times.
   */
  @Test
  void logKey_retiredKeyNoSetIntegratedTimeEditedIntoItsWindow_refused() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withSet = false;
    f.keyEnd = Instant.ofEpochSecond(f.integratedTime + 10); // retired 10 s after the (edited) time
    Instant timestamp = Instant.ofEpochSecond(f.integratedTime + 86_400);
    refused(Reason.UNTRUSTED_KEY, "transparency log entry 0: key of transparency log "
        + HexFormat.of().formatHex(f.logId) + " is not valid at each RFC 3161 timestamp time",
        () -> f.verify(3, List.of(timestamp)));
  }

  @Test
  void logKey_noSetKeyValidAtTheTimestamp_accepted() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withSet = false;
    f.keyStart = Instant.ofEpochSecond(f.integratedTime + 3600); // the unsigned time is outside: ignored
    assertEquals(List.of(), f.verify(3, List.of(Instant.ofEpochSecond(f.integratedTime + 86_400))));
  }

  @Test
  void logKey_withSetKeyRetiredBeforeTheTimestamp_acceptedAtTheSignedTime() throws Exception {
    // With a SET the integrated time is signed: the key's window is checked there, as before.
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.keyEnd = Instant.ofEpochSecond(f.integratedTime + 10);
    assertEquals(List.of(Instant.ofEpochSecond(f.integratedTime)),
        f.verify(3, List.of(Instant.ofEpochSecond(f.integratedTime + 86_400))));
  }

  @Test
  void logKey_inclusionProofOnlyIntegratedTimeEditedIntoTheKeyWindow_givesNoSigningTime() throws Exception {
    // Without a SET the integrated time is not signed: the entry must not contribute a signing time.
    LogEntryFixture f = LogEntryFixture.rekorV1();
    f.withSet = false;
    assertEquals(List.of(), f.verify(3, List.of()));
  }

  // ---------------------------------------------------------------- signing time from unverified fields

  @Test
  void integratedTime_editedWithSetPresent_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    Map<String, Object> e = entry(b, 0);
    e.put("integratedTime", Long.toString(Long.parseLong(String.valueOf(e.get("integratedTime"))) + 1));
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 0: signed entry timestamp does not verify with the log's key",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void integratedTime_setRemovedOnV03WithoutTimestamp_refusedNoSigningTime() throws Exception {
    Map<String, Object> b = bundle("java-bundle-v0.3");
    entry(b, 0).remove("inclusionPromise");
    refused(Reason.UNTRUSTED_KEY, "no verified signing time: the bundle has neither a transparency-log "
        + "integrated time nor an RFC 3161 timestamp", () -> verify("java-bundle-v0.3", b));
  }

  @Test
  void integratedTime_setRemovedAndTimeMovedAfterCertificateExpiry_usesOnlyTheTimestamp() throws Exception {
    // v0.3, Rekor v1 entry, one RFC 3161 timestamp: with the SET gone the integrated time is unsigned and
    // is ignored as a signing time (the timestamp's time is used); moving it a day later changes nothing.
    Map<String, Object> b = bundle("model-signing-v1.1.0-sigstore");
    Map<String, Object> e = entry(b, 0);
    e.remove("inclusionPromise");
    e.put("integratedTime", Long.toString(Long.parseLong(String.valueOf(e.get("integratedTime"))) + 86_400));
    assertDoesNotThrow(() -> verify("model-signing-v1.1.0-sigstore", b));
  }

  @Test
  void integratedTime_setRemovedOnV01_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.1");
    entry(b, 0).remove("inclusionPromise");
    refused(Reason.MALFORMED_SIGNATURE, "transparency log entry 0 has no signed entry timestamp (inclusion "
        + "promise), which a v0.1 bundle needs", () -> verify("happy-path-v0.1", b));
  }

  @Test
  void integratedTime_addedToRekorV2Entry_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    entry(b, 0).put("integratedTime", "1700000000");
    refused(Reason.MALFORMED_SIGNATURE, "transparency log entry 0 is a Rekor v2 entry with an integrated time, "
        + "which Rekor v2 never records", () -> verify("rekor2-happy-path", b));
  }

  @Test
  void timestamp_overAnotherBundlesSignature_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    vm(b).put("timestampVerificationData",
        vm(bundle("rekor2-timestamp-with-embedded-cert")).get("timestampVerificationData"));
    refused(Reason.DIGEST_MISMATCH,
        "timestamp 0: message imprint is not the SHA-256 digest of the bundle signature",
        () -> verify("rekor2-happy-path", b));
  }

  @Test
  void timestamp_validPlusOneOverAnotherSignature_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    List<Object> mine = list(obj(vm(b).get("timestampVerificationData")).get("rfc3161Timestamps"));
    mine.add(list(obj(vm(bundle("rekor2-timestamp-with-embedded-cert")).get("timestampVerificationData"))
        .get("rfc3161Timestamps")).get(0));
    refused(Reason.DIGEST_MISMATCH,
        "timestamp 1: message imprint is not the SHA-256 digest of the bundle signature",
        () -> verify("rekor2-happy-path", b));
  }

  @Test
  void timestamp_removedFromRekorV2_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    vm(b).remove("timestampVerificationData");
    refused(Reason.MALFORMED_SIGNATURE, "transparency log entry 0 has no integrated time (Rekor v2) and the "
        + "bundle has no verified RFC 3161 timestamp to prove the signing time", () -> verify("rekor2-happy-path", b));
  }

  @Test
  void timestamp_fromAnUntrustedTsaOverTheRightSignature_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    byte[] sig = b64(obj(b.get("messageSignature")).get("signature"));
    TsaFixture tsa = new TsaFixture();
    byte[] token = tsa.token(sig, TsaFixture.GEN_TIME, tsa.leaf, tsa.leafKey.getPrivate(), List.of(tsa.leaf));
    obj(vm(b).get("timestampVerificationData")).put("rfc3161Timestamps",
        List.of(new LinkedHashMap<>(Map.of("signedTimestamp", b64(token)))));
    refused(Reason.UNTRUSTED_KEY, "timestamp 0: the TSA certificate is not from a trusted timestamp authority",
        () -> verify("rekor2-happy-path", b));
  }

  // ---------------------------------------------------------------- certificates and identity

  @Test
  void issuer_deprecatedExtensionMatchesNewOneDiffers_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().issuerV1(TestPki.ISSUER).issuerV2("https://evil.example").build();
    IdentityPolicy p = IdentityPolicy.builder().san(TestPki.SAN).issuer(TestPki.ISSUER).build();
    refused(Reason.UNTRUSTED_KEY, "certificate OIDC issuer https://evil.example does not match the expected "
        + TestPki.ISSUER, () -> p.check(leaf));
  }

  @Test
  void issuer_onlyTheDeprecatedExtension_accepted() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().issuerV1(TestPki.ISSUER).issuerV2(null).build();
    IdentityPolicy p = IdentityPolicy.builder().san(TestPki.SAN).issuer(TestPki.ISSUER).build();
    assertDoesNotThrow(() -> p.check(leaf));
  }

  @Test
  void issuer_newExtensionNotUtf8String_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().issuerV1(TestPki.ISSUER).issuerV2Raw(true).build();
    IdentityPolicy p = IdentityPolicy.builder().san(TestPki.SAN).issuer(TestPki.ISSUER).build();
    refused(Reason.MALFORMED_SIGNATURE, "signing certificate has a corrupt OIDC issuer extension", () -> p.check(leaf));
  }

  @Test
  void san_matchingNameOnlyAsDnsOrInSubject_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().sans(new GeneralName(GeneralName.dNSName, "example.com"),
        new GeneralName(GeneralName.uniformResourceIdentifier, TestPki.SAN + "/evil")).build();
    IdentityPolicy p = IdentityPolicy.builder().san(TestPki.SAN).issuer(TestPki.ISSUER).build();
    refused(Reason.UNTRUSTED_KEY, "certificate identity " + TestPki.SAN + "/evil does not match the expected "
        + TestPki.SAN, () -> p.check(leaf));
  }

  @Test
  void chain_intermediateSuppliedInBundleNotInTrustedRoot_refused() throws Exception {
    TestPki trusted = new TestPki();
    TestPki attacker = new TestPki(); // same subject names, other keys
    X509Certificate leaf = attacker.leaf().build();
    refused(Reason.UNTRUSTED_KEY, "signing certificate (issuer CN=test intermediate) does not chain to any "
        + "certificate authority of the trusted root",
        () -> FulcioCertificates.verify(List.of(leaf, attacker.intermediate), trusted.trustedRoot(),
            List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void chain_foreignIntermediateAppendedToARealChain_ignoredAccepted() throws Exception {
    // Certificates after the leaf are never used to build the chain: an unrelated intermediate is harmless.
    Map<String, Object> b = bundle("happy-path-v0.1");
    TrustedRoot staging = SigstoreTestVectors.root("java-rekor2-staging-happy", "trusted_root.staging.json");
    X509Certificate foreign = staging.certificateAuthorities().get(staging.certificateAuthorities().size() - 1)
        .chain().get(0);
    list(obj(vm(b).get("x509CertificateChain")).get("certificates"))
        .add(new LinkedHashMap<>(Map.of("rawBytes", b64(foreign.getEncoded()))));
    assertDoesNotThrow(() -> verify("happy-path-v0.1", b));
  }

  @Test
  void chain_trustedRootsOwnRootCertificateAppendedToTheBundle_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.1");
    TrustedRoot prod = SigstoreTestVectors.root("happy-path-v0.1", "trusted_root.production.json");
    List<X509Certificate> caChain = prod.certificateAuthorities().get(prod.certificateAuthorities().size() - 1).chain();
    list(obj(vm(b).get("x509CertificateChain")).get("certificates"))
        .add(new LinkedHashMap<>(Map.of("rawBytes", b64(caChain.get(caChain.size() - 1).getEncoded()))));
    refused(Reason.UNTRUSTED_KEY, "bundle certificate chain includes a root certificate (certificate 1 is "
        + "self-signed); trust comes from the trusted root only", () -> verify("happy-path-v0.1", b));
  }

  @Test
  void chain_attackerRootSuppliedInBundle_refused() throws Exception {
    TestPki trusted = new TestPki();
    TestPki attacker = new TestPki();
    X509Certificate leaf = attacker.leaf().build();
    refused(Reason.UNTRUSTED_KEY, "bundle certificate chain contains a root certificate (CN=test root): the root "
        + "must come from the trusted root only",
        () -> FulcioCertificates.verify(List.of(leaf, attacker.intermediate, attacker.root), trusted.trustedRoot(),
            List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void chain_caCertificateOfTheTrustedRootUsedAsLeaf_refused() throws Exception {
    TestPki pki = new TestPki();
    refused(Reason.UNTRUSTED_KEY, "signing certificate is a CA certificate, not a Fulcio leaf",
        () -> FulcioCertificates.verify(List.of(pki.intermediate), pki.trustedRoot(),
            List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void chain_realFulcioIntermediateOfTheTrustedRootAsLeaf_refused() throws Exception {
    TrustedRoot root = SigstoreTestVectors.root("happy-path-v0.1", "trusted_root.production.json");
    List<X509Certificate> certs = List.of(root.certificateAuthorities().get(
        root.certificateAuthorities().size() - 1).chain().get(0));
    refused(Reason.UNTRUSTED_KEY, "signing certificate is a CA certificate, not a Fulcio leaf",
        () -> FulcioCertificates.verify(certs, root,
            SigstoreTestVectors.integratedTimes("happy-path-v0.1", "bundle.sigstore.json")));
  }

  @Test
  void chain_leafThatIsACaWithCodeSigning_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().ca(true).build();
    refused(Reason.UNTRUSTED_KEY, "signing certificate is a CA certificate, not a Fulcio leaf",
        () -> FulcioCertificates.verify(List.of(leaf), pki.trustedRoot(), List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void sct_onlyBogusSct_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().sct(TestPki.SctMode.BAD_SIGNATURE).build();
    refused(Reason.UNTRUSTED_KEY, "no embedded SCT of the signing certificate verifies with a CT log of the "
        + "trusted root; SCT 0: signature does not verify with CT log " + b64(pki.ctLogId()),
        () -> FulcioCertificates.verify(List.of(leaf), pki.trustedRoot(), List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void sct_fromALogNotInTheTrustedRoot_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().sct(TestPki.SctMode.UNKNOWN_LOG).build();
    refused(Reason.UNTRUSTED_KEY, "no embedded SCT of the signing certificate verifies with a CT log of the "
        + "trusted root; SCT 0: CT log " + b64(TestPki.sha256(new byte[] {1})) + " is not in the trusted root",
        () -> FulcioCertificates.verify(List.of(leaf), pki.trustedRoot(), List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void sct_none_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().sct(TestPki.SctMode.NONE).build();
    refused(Reason.UNTRUSTED_KEY, "signing certificate has no embedded SCT",
        () -> FulcioCertificates.verify(List.of(leaf), pki.trustedRoot(), List.of(TestPki.T0.plusSeconds(60))));
  }

  @Test
  void caWindow_firstEntryEndedBeforeSigningSecondSameCertValid_accepted() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().build();
    Instant signed = TestPki.T0.plusSeconds(60);
    TrustedRoot root = new TrustedRoot(List.of(
        new Authority(TestPki.CA_URI, List.of(pki.intermediate, pki.root), TestPki.T0.minus(Duration.ofDays(365)),
            TestPki.T0.minusSeconds(1)),
        new Authority(TestPki.CA_URI + "/2", List.of(pki.intermediate, pki.root), TestPki.T0, null)),
        List.of(), List.of(), pki.trustedRoot().ctLogs());
    assertEquals(leaf, FulcioCertificates.verify(List.of(leaf), root, List.of(signed)));
  }

  @Test
  void caWindow_onlyEntryEndedBeforeSigning_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().build();
    Instant signed = TestPki.T0.plusSeconds(60);
    TrustedRoot root = pki.trustedRoot(TestPki.T0.minus(Duration.ofDays(365)), TestPki.T0.plusSeconds(59));
    refused(Reason.UNTRUSTED_KEY, "certificate authority " + TestPki.CA_URI + " is not valid at signing time "
        + signed + " (trusted root window " + TestPki.T0.minus(Duration.ofDays(365)) + " to "
        + TestPki.T0.plusSeconds(59) + ")",
        () -> FulcioCertificates.verify(List.of(leaf), root, List.of(signed)));
  }

  @Test
  void caWindow_oneOfTwoSigningTimesOutside_refused() throws Exception {
    TestPki pki = new TestPki();
    X509Certificate leaf = pki.leaf().build();
    TrustedRoot root = pki.trustedRoot(TestPki.T0.minus(Duration.ofDays(365)), TestPki.T0.plusSeconds(120));
    Instant late = TestPki.T0.plusSeconds(300);
    refused(Reason.UNTRUSTED_KEY, "certificate authority " + TestPki.CA_URI + " is not valid at signing time "
        + late + " (trusted root window " + TestPki.T0.minus(Duration.ofDays(365)) + " to "
        + TestPki.T0.plusSeconds(120) + ")",
        () -> FulcioCertificates.verify(List.of(leaf), root, List.of(TestPki.T0.plusSeconds(60), late)));
  }

  // ---------------------------------------------------------------- DSSE

  @Test
  void dsse_secondSignatureAdded_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-intoto-in-dsse-v3");
    List<Object> sigs = list(obj(b.get("dsseEnvelope")).get("signatures"));
    sigs.add(copy(sigs.get(0)));
    refused(Reason.UNSUPPORTED, "DSSE envelope has 2 signatures; a keyless bundle has exactly one",
        () -> verify("happy-path-intoto-in-dsse-v3", b));
  }

  @Test
  void dsse_attackerSignatureFirstRealOneSecond_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-intoto-in-dsse-v3");
    List<Object> sigs = list(obj(b.get("dsseEnvelope")).get("signatures"));
    Map<String, Object> bogus = obj(copy(sigs.get(0)));
    bogus.put("sig", b64(new byte[] {48, 6, 2, 1, 1, 2, 1, 1}));
    sigs.add(0, bogus);
    refused(Reason.UNSUPPORTED, "DSSE envelope has 2 signatures; a keyless bundle has exactly one",
        () -> verify("happy-path-intoto-in-dsse-v3", b));
  }

  @Test
  void dsse_payloadTypeEdited_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-intoto-in-dsse-v3");
    obj(b.get("dsseEnvelope")).put("payloadType", "text/plain");
    refused(Reason.SIGNATURE_INVALID, "DSSE signature does not verify with the signing certificate's key",
        () -> verify("happy-path-intoto-in-dsse-v3", b));
  }

  @Test
  void dsse_payloadEditedToAddTheAttackersSubject_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-intoto-in-dsse-v3");
    Map<String, Object> env = obj(b.get("dsseEnvelope"));
    Map<String, Object> statement = obj(Json.parse(new String(b64(env.get("payload")), StandardCharsets.UTF_8)));
    list(statement.get("subject")).add(new LinkedHashMap<>(Map.of("name", "evil", "digest",
        new LinkedHashMap<>(Map.of("sha256", "00".repeat(32))))));
    env.put("payload", b64(JsonWriter.write(statement).getBytes(StandardCharsets.UTF_8)));
    refused(Reason.DIGEST_MISMATCH, "transparency log entry 0: logged payload hash differs from the DSSE "
        + "envelope's payload", () -> verify("happy-path-intoto-in-dsse-v3", b));
  }

  /** Orchestration only (log, timestamps and chain replaced): a correctly signed envelope the attacker made. */
  @Test
  void dsse_twoSubjectsOneIsTheArtifact_accepted() throws Exception {
    KeylessFixtures f = new KeylessFixtures("secp256r1");
    byte[] sha = KeylessFixtures.digest("SHA-256", KeylessFixtures.ARTIFACT);
    byte[] payload = ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\",\"digest\":"
        + "{\"sha256\":\"" + "11".repeat(32) + "\"}},{\"name\":\"a\",\"digest\":{\"sha256\":\""
        + HexFormat.of().formatHex(sha) + "\"}}],\"predicateType\":\"p\",\"predicate\":{}}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] sig = f.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, payload));
    KeylessVerifier v = fakeVerifier();
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(f.certificateMaterial(), Dsse.IN_TOTO,
        payload, sig));
    assertDoesNotThrow(() -> v.verifyDigests(Map.of("SHA-256", sha), m));
  }

  @Test
  void dsse_payloadTypeNotInToto_refused() throws Exception {
    KeylessFixtures f = new KeylessFixtures("secp256r1");
    byte[] sha = KeylessFixtures.digest("SHA-256", KeylessFixtures.ARTIFACT);
    byte[] payload = KeylessFixtures.statement(sha);
    byte[] sig = f.sign("SHA256withECDSA", Dsse.pae("application/json", payload));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(f.certificateMaterial(),
        "application/json", payload, sig));
    refused(Reason.UNSUPPORTED, "DSSE payload type application/json is not an in-toto statement ("
        + Dsse.IN_TOTO + ")", () -> fakeVerifier().verifyDigests(Map.of("SHA-256", sha), m));
  }

  @Test
  void dsse_subjectDigestAsSha512Only_refusedWhenOnlySha256Known() throws Exception {
    KeylessFixtures f = new KeylessFixtures("secp256r1");
    byte[] sha = KeylessFixtures.digest("SHA-256", KeylessFixtures.ARTIFACT);
    byte[] payload = ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":"
        + "{\"sha512\":\"" + HexFormat.of().formatHex(sha) + "\",\"SHA256\":\"zz\"}}],\"predicateType\":\"p\"}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] sig = f.sign("SHA256withECDSA", Dsse.pae(Dsse.IN_TOTO, payload));
    SignatureMaterial m = KeylessFixtures.parse(KeylessFixtures.dsseBundle(f.certificateMaterial(), Dsse.IN_TOTO,
        payload, sig));
    refused(Reason.DIGEST_MISMATCH, "the artifact (sha256:" + HexFormat.of().formatHex(sha)
        + ") is not a subject of the in-toto statement",
        () -> fakeVerifier().verifyDigests(Map.of("SHA-256", sha), m));
  }

  static KeylessVerifier fakeVerifier() {
    IdentityPolicy p = IdentityPolicy.builder().san(KeylessFixtures.SAN).issuer(KeylessFixtures.ISSUER).build();
    return KeylessVerifier.builder(new TrustedRoot(List.of(), List.of(), List.of(), List.of()), p)
        .steps(new KeylessVerifierTest.FakeSteps()).build();
  }

  @Test
  void dsse_sha256DigestArgumentNotASubject_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-intoto-in-dsse-v3");
    byte[] other = new byte[32];
    refused(Reason.DIGEST_MISMATCH, "the artifact (sha256:" + "00".repeat(32)
        + ") is not a subject of the in-toto statement",
        () -> verifier("happy-path-intoto-in-dsse-v3").verifyDigests(Map.of("SHA-256", other), material(b)));
  }

  @Test
  void dsse_sha256DigestArgumentIsTheSubject_accepted() throws Exception {
    SigstoreVectorsTest.Case c = SigstoreVectorsTest.load("happy-path-intoto-in-dsse-v3");
    Map<String, Object> b = bundle("happy-path-intoto-in-dsse-v3");
    assertDoesNotThrow(() -> verifier("happy-path-intoto-in-dsse-v3")
        .verifyDigests(Map.of("SHA-256", SigstoreVectorsTest.digest(c)), material(b)));
  }

  @Test
  void dsse_messageSignatureBundleRelabelledAsDsse_refused() throws Exception {
    // The message bundle's signature moved into an envelope: the hashedrekord entry cannot record DSSE.
    Map<String, Object> b = bundle("happy-path-v0.3");
    String sig = (String) obj(b.remove("messageSignature")).get("signature");
    b.put("dsseEnvelope", new LinkedHashMap<>(Map.of("payloadType", Dsse.IN_TOTO, "payload", b64(new byte[] {1}),
        "signatures", List.of(new LinkedHashMap<>(Map.of("sig", sig))))));
    refused(Reason.SIGNATURE_INVALID,
        "transparency log entry 0: a hashedrekord 0.0.1 entry cannot record a DSSE envelope",
        () -> verify("happy-path-v0.3", b));
  }

  // ---------------------------------------------------------------- message digest

  @Test
  void messageDigest_sha512HintWithP256Certificate_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    Map<String, Object> md = obj(obj(b.get("messageSignature")).get("messageDigest"));
    md.put("algorithm", "SHA2_512");
    md.put("digest", b64(KeylessFixtures.digest("SHA-512", Files.readAllBytes(
        SigstoreVectorsTest.load("happy-path-v0.3").dir().resolve("a.txt")))));
    refused(Reason.SIGNATURE_INVALID, "bundle messageDigest SHA2_512 cannot be what the signing certificate's key "
        + "signs (SHA2_256)", () -> verify("happy-path-v0.3", b));
  }

  @Test
  void messageDigest_hintOfAnotherArtifact_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    obj(obj(b.get("messageSignature")).get("messageDigest")).put("digest", b64(new byte[32]));
    refused(Reason.DIGEST_MISMATCH, "artifact digest does not match the bundle's messageDigest (SHA2_256)",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void messageDigest_sha256ArgumentOfAnotherArtifact_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    refused(Reason.DIGEST_MISMATCH, "transparency log entry 0: logged digest differs from the artifact's digest",
        () -> verifier("happy-path-v0.3").verifyDigests(Map.of("SHA-256", new byte[32]), material(b)));
  }

  @Test
  void messageDigest_sha256ArgumentForRekorV2_refusedWhenWrong() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    refused(Reason.DIGEST_MISMATCH, "transparency log entry 0: logged digest differs from the artifact's digest",
        () -> verifier("rekor2-happy-path").verifyDigests(Map.of("SHA-256", new byte[32]), material(b)));
  }

  // ---------------------------------------------------------------- keys versus certificates

  @Test
  void managedKeyBundle_givenToKeylessVerifier_refused() throws Exception {
    Map<String, Object> b = bundle("managed-key-happy-path");
    refused(Reason.UNTRUSTED_KEY, "the bundle was signed with a key, not a certificate; verify with --key",
        () -> verifier("happy-path-v0.3").verify(
            SigstoreVectorsTest.load("managed-key-happy-path").dir().resolve("a.txt"), material(b)));
  }

  @Test
  void keylessBundle_givenToBlobVerifierWithTheLeafsKey_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    X509Certificate leaf = SigstoreTestVectors.leaf("happy-path-v0.3", "bundle.sigstore.json");
    SigstoreVectorsTest.Case c = SigstoreVectorsTest.load("happy-path-v0.3");
    for (TrustedRoot root : new TrustedRoot[] {null, TrustedRoot.read(c.dir().resolve(c.text("trusted_root")))}) {
      BlobVerifier v = BlobVerifier.builder(leaf.getPublicKey()).trustedRoot(root).build();
      refused(Reason.UNTRUSTED_KEY, "the bundle carries a signing certificate (a keyless signature), not a "
          + "signature by a key; verify it with an identity and a trusted root, not a key",
          () -> v.verify(c.dir().resolve("a.txt"), material(b)));
    }
  }

  @Test
  void keylessBundle_certificateReplacedByPublicKeyOfTheLeaf_refusedByKeylessVerifier() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    X509Certificate leaf = SigstoreTestVectors.leaf("happy-path-v0.3", "bundle.sigstore.json");
    vm(b).remove("certificate");
    vm(b).put("publicKey", new LinkedHashMap<>(Map.of("hint", b64(leaf.getPublicKey().getEncoded()))));
    refused(Reason.UNTRUSTED_KEY, "the bundle was signed with a key, not a certificate; verify with --key",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void keylessBundle_bothCertificateAndPublicKey_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    vm(b).put("publicKey", new LinkedHashMap<>(Map.of("hint", "AAAA")));
    refused(Reason.MALFORMED_SIGNATURE, "bundle verificationMaterial holds more than one of publicKey, certificate"
        + " and x509CertificateChain", () -> verify("happy-path-v0.3", b));
  }

  // ---------------------------------------------------------------- sizes and depth

  @Test
  void bundle_nestedDeeperThanTheJsonLimit_refused() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    String json = "{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE + "\",\"x\":" + deep + "}";
    VerificationException e = assertThrows(VerificationException.class,
        () -> SignatureMaterial.parseBundle(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertTrue(e.getMessage().contains("JSON nested deeper than " + Json.MAX_DEPTH + " levels"), e.getMessage());
  }

  @Test
  void bundle_overTheSizeLimit_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    b.put("padding", "x".repeat(SignatureMaterial.MAX_BUNDLE_BYTES));
    VerificationException e = assertThrows(VerificationException.class, () -> material(b));
    assertEquals(Reason.TOO_LARGE, e.reason(), e.getMessage());
  }

  @Test
  void bundle_33TlogEntries_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    List<Object> entries = list(vm(b).get("tlogEntries"));
    for (int i = 0; i < 32; i++) {
      entries.add(copy(entries.get(0)));
    }
    refused(Reason.MALFORMED_SIGNATURE, "tlogEntries holds 33 entries, more than 32", () -> verify("happy-path-v0.3", b));
  }

  @Test
  void bundle_33Timestamps_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    List<Object> ts = list(obj(vm(b).get("timestampVerificationData")).get("rfc3161Timestamps"));
    for (int i = 0; i < 32; i++) {
      ts.add(copy(ts.get(0)));
    }
    refused(Reason.MALFORMED_SIGNATURE, "rfc3161Timestamps holds 33 entries, more than 32",
        () -> verify("rekor2-happy-path", b));
  }

  @Test
  void bundle_duplicatedTimestamp_refused() throws Exception {
    Map<String, Object> b = bundle("rekor2-happy-path");
    List<Object> ts = list(obj(vm(b).get("timestampVerificationData")).get("rfc3161Timestamps"));
    ts.add(copy(ts.get(0)));
    refused(Reason.MALFORMED_SIGNATURE, "timestamp 1 duplicates timestamp 0", () -> verify("rekor2-happy-path", b));
  }

  @Test
  void bundle_inclusionProofWith65Hashes_refused() throws Exception {
    Map<String, Object> b = bundle("happy-path-v0.3");
    List<Object> hashes = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      hashes.add(b64(new byte[32]));
    }
    obj(entry(b, 0).get("inclusionProof")).put("hashes", hashes);
    refused(Reason.TOO_LARGE, "transparency log entry 0 inclusionProof has 65 hashes, more than 64",
        () -> verify("happy-path-v0.3", b));
  }

  @Test
  void bundle_checkpointWithManySignatureLines_refused() throws Exception {
    LogEntryFixture f = LogEntryFixture.rekorV2();
    for (int i = 0; i < 100; i++) {
      f.otherSignatureLines.add("\u2014 witness" + i + " " + b64(new byte[68]));
    }
    refused(Reason.MALFORMED_SIGNATURE, "transparency log entry 0: checkpoint is malformed: it has no signature "
        + "line or more than 100", () -> f.verify(3, List.of(Instant.parse("2025-01-01T00:00:00Z"))));
  }

  // ---------------------------------------------------------------- fuzz: only VerificationException

  @Test
  void fuzz_bitFlippedAndTruncatedLeafCertificates_onlyVerificationExceptions() throws Exception {
    X509Certificate real = SigstoreTestVectors.leaf("happy-path-v0.3", "bundle.sigstore.json");
    TrustedRoot root = SigstoreTestVectors.root("happy-path-v0.3", "trusted_root.production.json");
    List<Instant> times = SigstoreTestVectors.integratedTimes("happy-path-v0.3", "bundle.sigstore.json");
    IdentityPolicy policy = IdentityPolicy.builder().sanRegexp(".*").issuerRegexp(".*").build();
    TestPki pki = new TestPki();
    byte[] made = pki.leaf().build().getEncoded();
    for (byte[] der : List.of(real.getEncoded(), made)) {
      TrustedRoot r = der == made ? pki.trustedRoot() : root;
      List<Instant> t = der == made ? List.of(TestPki.T0.plusSeconds(60)) : times;
      for (byte[] mutated : mutations(der, 1)) {
        onlyVerificationExceptions("certificate", () -> {
          X509Certificate c = CertificateChains.parse(mutated);
          onlyVerificationExceptions("identity", () -> policy.check(c));
          onlyVerificationExceptions("sct", () -> SignedCertificateTimestamps.verify(c, c, r));
          FulcioCertificates.verify(List.of(c), r, t);
        });
      }
    }
  }

  @Test
  void fuzz_bitFlippedAndTruncatedTimestamps_onlyVerificationExceptions() throws Exception {
    TsaFixture tsa = new TsaFixture();
    byte[] made = tsa.token();
    Map<String, Object> b = bundle("rekor2-happy-path");
    byte[] real = SigstoreBundle.protoBytes((String) obj(list(obj(vm(b).get("timestampVerificationData"))
        .get("rfc3161Timestamps")).get(0)).get("signedTimestamp"), "ts");
    byte[] realSig = b64(obj(b.get("messageSignature")).get("signature"));
    SigstoreVectorsTest.Case c = SigstoreVectorsTest.load("rekor2-happy-path");
    TrustedRoot realRoot = TrustedRoot.read(c.dir().resolve(c.text("trusted_root")));
    for (byte[] mutated : mutations(made, 2)) {
      onlyVerificationExceptions("timestamp", () -> Rfc3161Timestamps.verify(List.of(mutated), TsaFixture.SIGNATURE,
          tsa.trustedRoot()));
    }
    for (byte[] mutated : mutations(real, 3)) {
      onlyVerificationExceptions("timestamp", () -> Rfc3161Timestamps.verify(List.of(mutated), realSig, realRoot));
    }
  }

  @Test
  void fuzz_editedCheckpointsAndProofs_onlyVerificationExceptions() throws Exception {
    for (LogEntryFixture f : List.of(LogEntryFixture.rekorV1(), LogEntryFixture.rekorV2(),
        LogEntryFixture.rekorV2Ecdsa())) {
      Map<String, Object> entry = f.entry();
      String checkpoint = (String) obj(obj(entry.get("inclusionProof")).get("checkpoint")).get("envelope");
      TrustedRoot root = f.root();
      List<Instant> ts = f.rekorV2 ? List.of(Instant.parse("2025-01-01T00:00:00Z")) : List.of();
      Random rnd = new Random(19);
      String[] replacements = {"", "\n", " ", "\u2014", "0", "A", "=", "\n\n", "-1", "99999999999999999999", "\u0000"};
      for (int i = 0; i <= checkpoint.length(); i++) {
        for (String rep : List.of(replacements[rnd.nextInt(replacements.length)], "")) {
          String edited = checkpoint.substring(0, i) + rep + (i < checkpoint.length() ? checkpoint.substring(i + 1) : "");
          Map<String, Object> e = obj(copy(entry));
          obj(obj(e.get("inclusionProof")).get("checkpoint")).put("envelope", edited);
          onlyVerificationExceptions("checkpoint " + i,
              () -> TransparencyLogEntries.verify(List.of(e), f.content(), root, 3, ts));
        }
        String truncated = checkpoint.substring(0, i);
        Map<String, Object> e = obj(copy(entry));
        obj(obj(e.get("inclusionProof")).get("checkpoint")).put("envelope", truncated);
        onlyVerificationExceptions("checkpoint prefix " + i,
            () -> TransparencyLogEntries.verify(List.of(e), f.content(), root, 3, ts));
      }
      for (String field : List.of("logIndex", "treeSize")) {
        for (Object v : List.of("-1", "0", "18446744073709551615", "9223372036854775807", "1e3", 1.5, true)) {
          Map<String, Object> e = obj(copy(entry));
          obj(e.get("inclusionProof")).put(field, v);
          onlyVerificationExceptions(field + "=" + v,
              () -> TransparencyLogEntries.verify(List.of(e), f.content(), root, 3, ts));
        }
      }
    }
  }

  @Test
  void fuzz_editedLogEntryBodies_onlyVerificationExceptions() throws Exception {
    // Straight to the body matcher (through verify() a changed body already fails its SET or proof), with
    // the content the unedited body records, so that edits deep in the body are reached.
    for (String id : List.of("happy-path-v0.3", "rekor2-happy-path", "happy-path-intoto-in-dsse-v3",
        "intoto-with-custom-trust-root", "rekor2-dsse-happy-path")) {
      Map<String, Object> bundle = bundle(id);
      SigstoreBundle b = material(bundle).bundle();
      LoggedContent content = b.isDsse()
          ? new LoggedContent(b.signature(), null, null, b.envelope(), b.leaf().getEncoded(), true)
          : new LoggedContent(b.signature(), "SHA2_256", SigstoreVectorsTest.digest(SigstoreVectorsTest.load(id)),
              null, b.leaf().getEncoded(), true);
      Map<String, Object> e = entry(bundle, 0);
      byte[] body = b64(e.get("canonicalizedBody"));
      String kind = (String) obj(e.get("kindVersion")).get("kind");
      String version = (String) obj(e.get("kindVersion")).get("version");
      assertDoesNotThrow(() -> LogEntryBody.verify("entry", body, kind, version, content), id);
      for (byte[] mutated : mutations(body, 1)) {
        onlyVerificationExceptions(id + " body", () -> LogEntryBody.verify("entry", mutated, kind, version, content));
      }
    }
  }

  @Test
  void fuzz_bitFlippedBundleJson_onlyVerificationExceptions() throws Exception {
    for (String id : List.of("happy-path-v0.1", "rekor2-happy-path", "happy-path-intoto-in-dsse-v3")) {
      SigstoreVectorsTest.Case c = SigstoreVectorsTest.load(id);
      byte[] json = Files.readAllBytes(c.dir().resolve(c.text("bundle")));
      KeylessVerifier v = verifier(id);
      for (byte[] mutated : mutations(json, 17)) {
        onlyVerificationExceptions(id, () -> v.verify(c.dir().resolve(c.text("artifact")),
            SignatureMaterial.parseBundle(mutated)));
      }
    }
  }

  @Test
  void fuzz_sctLists_onlyVerificationExceptions() throws Exception {
    X509Certificate real = SigstoreTestVectors.leaf("happy-path-v0.3", "bundle.sigstore.json");
    byte[] ext = real.getExtensionValue(SignedCertificateTimestamps.SCT_LIST_OID);
    for (byte[] mutated : mutations(ext, 1)) {
      onlyVerificationExceptions("sct", () -> SignedCertificateTimestamps.parseList(mutated));
    }
  }

  /** Every {@code stride}-th byte with one bit flipped (the bit varies), and every {@code stride}-th prefix. */
  static List<byte[]> mutations(byte[] in, int stride) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < in.length; i += stride) {
      byte[] flipped = in.clone();
      flipped[i] ^= (byte) (1 << (i % 8));
      out.add(flipped);
      out.add(java.util.Arrays.copyOf(in, i));
    }
    return out;
  }
}
