package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

class IdentityPolicyTest {
  private static final String BEACON = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"
      + "/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String GITHUB = "https://token.actions.githubusercontent.com";
  private static final TestPki PKI = new TestPki();

  private static X509Certificate beaconLeaf() throws Exception {
    return SigstoreTestVectors.leaf("happy-path-v0.3", "bundle.sigstore.json");
  }

  private static X509Certificate emailLeaf() throws Exception {
    return SigstoreTestVectors.leaf("derived-email-identity-suffix_fail", "bundle.v3.sigstore");
  }

  private static IdentityPolicy exact(String san, String issuer) {
    return IdentityPolicy.builder().san(san).issuer(issuer).build();
  }

  private static VerificationException refused(IdentityPolicy policy, X509Certificate leaf) {
    VerificationException e = assertThrows(VerificationException.class, () -> policy.check(leaf));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    return e;
  }

  @Test
  void check_exactUriSanAndIssuer_passes() throws Exception {
    exact(BEACON, GITHUB).check(beaconLeaf());
  }

  @Test
  void check_exactEmailSan_passes() throws Exception {
    exact("appu@google.com", "https://accounts.google.com").check(emailLeaf());
  }

  @Test
  void check_emailSanSuffix_refused() throws Exception {
    VerificationException e = refused(exact("ppu@google.com", "https://accounts.google.com"), emailLeaf());
    assertEquals("certificate identity appu@google.com does not match the expected ppu@google.com", e.getMessage());
  }

  @Test
  void check_uriSanPrefix_refused() throws Exception {
    String prefix = BEACON.substring(0, BEACON.indexOf("@"));
    VerificationException e = refused(exact(prefix, GITHUB), beaconLeaf());
    assertEquals("certificate identity " + BEACON + " does not match the expected " + prefix, e.getMessage());
  }

  @Test
  void check_anchoredRegexpMatchingSan_passes() throws Exception {
    IdentityPolicy.builder().sanRegexp("^https://github\\.com/sigstore-conformance/extremely-dangerous-public-oidc"
        + "-beacon/\\.github/workflows/.+@refs/heads/main$").issuer(GITHUB).build().check(beaconLeaf());
  }

  @Test
  void check_unanchoredRegexpMatchingPartOfSan_passes() throws Exception {
    IdentityPolicy.builder().sanRegexp("sigstore-conformance").issuer(GITHUB).build().check(beaconLeaf());
  }

  @Test
  void check_regexpNotMatchingSan_refused() throws Exception {
    IdentityPolicy policy = IdentityPolicy.builder().sanRegexp("^https://github\\.com/acme/").issuer(GITHUB).build();
    VerificationException e = refused(policy, beaconLeaf());
    assertEquals("certificate identity " + BEACON + " does not match the expected matching ^https://github\\.com/acme/",
        e.getMessage());
  }

  @Test
  void check_otherIssuer_refused() throws Exception {
    VerificationException e = refused(exact(BEACON, "https://accounts.google.com"), beaconLeaf());
    assertEquals("certificate OIDC issuer " + GITHUB + " does not match the expected https://accounts.google.com",
        e.getMessage());
  }

  @Test
  void check_issuerPrefix_refused() throws Exception {
    VerificationException e = refused(exact(BEACON, "https://token.actions"), beaconLeaf());
    assertEquals("certificate OIDC issuer " + GITHUB + " does not match the expected https://token.actions",
        e.getMessage());
  }

  @Test
  void check_issuerRegexp_passes() throws Exception {
    IdentityPolicy.builder().san(BEACON).issuerRegexp("^https://token\\.actions\\.").build().check(beaconLeaf());
  }

  @Test
  void check_issuerRegexpNotMatching_refused() throws Exception {
    IdentityPolicy policy = IdentityPolicy.builder().san(BEACON).issuerRegexp("google").build();
    VerificationException e = refused(policy, beaconLeaf());
    assertEquals("certificate OIDC issuer " + GITHUB + " does not match the expected matching google", e.getMessage());
  }

  @Test
  void check_generatedDeprecatedIssuerOnly_usesFallback() throws Exception {
    X509Certificate leaf = PKI.leaf().issuerV2(null).issuerV1("https://issuer.test").build();
    exact(TestPki.SAN, "https://issuer.test").check(leaf);
  }

  @Test
  void check_bothIssuerExtensions_newOneWins() throws Exception {
    X509Certificate leaf = PKI.leaf().issuerV2("https://new.test").issuerV1("https://old.test").build();
    exact(TestPki.SAN, "https://new.test").check(leaf);
    VerificationException e = refused(exact(TestPki.SAN, "https://old.test"), leaf);
    assertEquals("certificate OIDC issuer https://new.test does not match the expected https://old.test",
        e.getMessage());
  }

  @Test
  void check_noIssuerExtension_refused() {
    X509Certificate leaf = PKI.leaf().issuerV2(null).build();
    VerificationException e = refused(exact(TestPki.SAN, TestPki.ISSUER), leaf);
    assertEquals("certificate has no OIDC issuer extension; expected " + TestPki.ISSUER, e.getMessage());
  }

  @Test
  void check_secondSanMatches_passes() throws Exception {
    X509Certificate leaf = PKI.leaf().sans(new GeneralName(GeneralName.rfc822Name, "a@b.test"),
        new GeneralName(GeneralName.uniformResourceIdentifier, "https://c.test")).build();
    exact("https://c.test", TestPki.ISSUER).check(leaf);
  }

  @Test
  void check_dnsSanOnly_refused() {
    X509Certificate leaf = PKI.leaf().sans(new GeneralName(GeneralName.dNSName, "c.test")).build();
    VerificationException e = refused(exact("c.test", TestPki.ISSUER), leaf);
    assertEquals("certificate has no URI or e-mail subject alternative name; expected c.test", e.getMessage());
  }

  @Test
  void check_issuerExtensionNotUtf8String_malformed() {
    X509Certificate leaf = PKI.leaf().issuerV2Raw(true).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> exact(TestPki.SAN, TestPki.ISSUER).check(leaf));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("signing certificate has a corrupt OIDC issuer extension", e.getMessage());
  }

  @Test
  void build_withoutSan_illegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> IdentityPolicy.builder().issuer(GITHUB).build());
    assertEquals("identity policy needs a certificate identity (san or sanRegexp)", e.getMessage());
  }

  @Test
  void build_withoutIssuer_illegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> IdentityPolicy.builder().san(BEACON).build());
    assertEquals("identity policy needs an OIDC issuer (issuer or issuerRegexp)", e.getMessage());
  }

  @Test
  void sanRegexp_afterSan_illegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> IdentityPolicy.builder().san(BEACON).sanRegexp(".*"));
    assertEquals("identity policy takes exactly one of san and sanRegexp, once", e.getMessage());
  }

  @Test
  void issuer_afterIssuerRegexp_illegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> IdentityPolicy.builder().issuerRegexp(".*").issuer(GITHUB));
    assertEquals("identity policy takes exactly one of issuer and issuerRegexp, once", e.getMessage());
  }

  @Test
  void sanRegexp_invalid_illegalArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IdentityPolicy.builder().sanRegexp("(unclosed"));
    assertEquals("invalid identity regular expression (unclosed: Unclosed group", e.getMessage());
  }

  @Test
  void issuerRegexp_invalid_illegalArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IdentityPolicy.builder().issuerRegexp("[a-"));
    assertEquals("invalid OIDC issuer regular expression [a-: Illegal character range", e.getMessage());
  }

  @Test
  void toString_exact_describesPolicy() {
    assertEquals("identity a@b.test, OIDC issuer https://issuer.test",
        exact("a@b.test", "https://issuer.test").toString());
  }

  @Test
  void toString_regexps_describesPolicy() {
    IdentityPolicy p = IdentityPolicy.builder().sanRegexp("^a$").issuerRegexp("^b$").build();
    assertEquals("identity matching ^a$, OIDC issuer matching ^b$", p.toString());
    assertEquals("^a$", p.sanRegexp());
    assertNull(p.san());
    assertEquals("^b$", p.issuerRegexp());
    assertNull(p.issuer());
  }

  @Test
  void of_exactValues_winOverRegexps() {
    assertEquals("identity a@b.test, OIDC issuer https://issuer.test",
        IdentityPolicy.of("a@b.test", "(unclosed", "https://issuer.test", "[a-").toString());
  }

  @Test
  void of_nullExactValues_useRegexps() {
    assertEquals("identity matching ^a$, OIDC issuer matching ^b$",
        IdentityPolicy.of(null, "^a$", null, "^b$").toString());
  }

  @Test
  void of_neitherSanNorRegexp_nullPointer() {
    assertThrows(NullPointerException.class, () -> IdentityPolicy.of(null, null, "https://issuer.test", null));
  }
}
