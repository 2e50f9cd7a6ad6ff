package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.TrustedRoot.Authority;
import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's rekor2-timestamp-* cases (copied under {@code sigstore/<case>/}, see
 * NOTICE.md there): only the RFC 3161 part of each bundle, against the case's trusted root.
 */
class Rfc3161TimestampsVectorsTest {

  @Test
  void verify_embeddedCertFromTrustedTsa_returnsGenTime() throws Exception {
    Case c = Case.load("rekor2-timestamp-with-embedded-cert");
    assertEquals(List.of(Instant.parse("2025-08-06T18:51:36Z")),
        Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root));
  }

  @Test
  void verify_chainExpiredNowButValidAtGenTime_returnsGenTime() throws Exception {
    Case c = Case.load("rekor2-timestamp-with-expired-cert-chain");
    List<Instant> times = Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root);
    assertEquals(1, times.size());
    assertTrue(times.get(0).isAfter(Instant.parse("2025-08-07T15:29:08Z"))
        && times.get(0).isBefore(Instant.parse("2025-08-07T15:37:08Z")), times.toString());
  }

  @Test
  void verify_timestampOfAnotherSignature_failsDigestMismatch() throws Exception {
    Case c = Case.load("rekor2-timestamp-payload-mismatch_fail");
    VerificationException e = assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root));
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
    assertEquals("timestamp 0: message imprint is not the SHA-256 digest of the bundle signature",
        e.getMessage());
  }

  @Test
  void verify_untrustedTsaWithoutEmbeddedCert_failsUntrusted() throws Exception {
    Case c = Case.load("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail");
    VerificationException e = assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("timestamp 0: the token embeds no certificate and its signer is not the leaf of a trusted "
        + "timestamp authority", e.getMessage());
  }

  @Test
  void verify_genTimeAfterAuthorityWindow_failsUntrusted() throws Exception {
    Case c = Case.load("rekor2-timestamp-outside-trust-root-tsa-validity_fail");
    VerificationException e = assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("timestamp 0: genTime 2025-06-12T12:02:20Z is outside the trusted root's validity window "
        + "of timestamp authority https://timestamp.sigstage.dev/api/v1/timestamp "
        + "(2025-04-09T00:00:00Z to 2025-06-01T00:00:00Z)", e.getMessage());
  }

  @Test
  void verify_genTimeAfterTsaCertExpiry_failsUntrusted() throws Exception {
    Case c = Case.load("rekor2-timestamp-outside-tsa-cert-validity_fail");
    VerificationException e = assertThrows(VerificationException.class,
        () -> Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("timestamp 0: certificate CN=Test TSA Timestamping,O=local of timestamp authority "
        + "https://localhost:3000/api/v1/timestamp is not valid at genTime 2025-08-07T15:38:32Z "
        + "(valid 2025-08-07T15:29:08Z to 2025-08-07T15:37:08Z)", e.getMessage());
  }

  /**
   * The case fails because its genTime lies after the Fulcio signing certificate expired; that check
   * belongs to the certificate verification, which must use the times this returns. The timestamp
   * itself is good.
   */
  @Test
  void verify_timestampAfterSigningCertExpiry_returnsGenTimeOutsideLeafValidity() throws Exception {
    Case c = Case.load("rekor2-timestamp-with-incorrect-time_fail");
    List<Instant> times = Rfc3161Timestamps.verify(c.timestamps, c.signature, c.root);
    assertEquals(List.of(Instant.parse("2025-07-15T10:33:31Z")), times);
    assertTrue(times.get(0).isAfter(c.leaf.getNotAfter().toInstant()));
  }

  /** The parts of a case's bundle and trusted root the timestamp check reads. */
  private static final class Case {
    List<byte[]> timestamps = new ArrayList<>();
    byte[] signature;
    X509Certificate leaf;
    TrustedRoot root;

    @SuppressWarnings("unchecked")
    static Case load(String name) throws Exception {
      Case c = new Case();
      Map<String, Object> bundle = (Map<String, Object>) Json.parse(text(name + "/bundle.sigstore.json"));
      Map<String, Object> vm = (Map<String, Object>) bundle.get("verificationMaterial");
      Map<String, Object> tvd = (Map<String, Object>) vm.get("timestampVerificationData");
      for (Object t : (List<Object>) tvd.get("rfc3161Timestamps")) {
        // protobuf JSON base64 (as Go decodes it) tolerates line breaks; one case has them
        c.timestamps.add(Base64.getMimeDecoder().decode((String) ((Map<String, Object>) t).get("signedTimestamp")));
      }
      Map<String, Object> ms = (Map<String, Object>) bundle.get("messageSignature");
      c.signature = Base64.getDecoder().decode((String) ms.get("signature"));
      c.leaf = cert((String) ((Map<String, Object>) vm.get("certificate")).get("rawBytes"));
      Map<String, Object> tr = (Map<String, Object>) Json.parse(text(name + "/trusted_root.json"));
      List<Authority> tsas = new ArrayList<>();
      for (Object o : (List<Object>) tr.get("timestampAuthorities")) {
        Map<String, Object> a = (Map<String, Object>) o;
        List<X509Certificate> chain = new ArrayList<>();
        for (Object cert : (List<Object>) ((Map<String, Object>) a.get("certChain")).get("certificates")) {
          chain.add(cert((String) ((Map<String, Object>) cert).get("rawBytes")));
        }
        Map<String, Object> valid = (Map<String, Object>) a.get("validFor");
        tsas.add(new Authority((String) a.get("uri"), chain, Instant.parse((String) valid.get("start")),
            valid.get("end") == null ? null : Instant.parse((String) valid.get("end"))));
      }
      c.root = new TrustedRoot(List.of(), tsas, List.of(), List.of());
      return c;
    }

    private static X509Certificate cert(String base64) throws Exception {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static String text(String resource) throws IOException {
      try (InputStream in = Rfc3161TimestampsVectorsTest.class.getResourceAsStream("/sigstore/" + resource)) {
        if (in == null) {
          throw new IOException("missing test resource sigstore/" + resource);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
