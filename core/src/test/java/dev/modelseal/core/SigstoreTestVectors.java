package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sigstore conformance / sigstore-java vectors copied under {@code src/test/resources/sigstore/<case>/}
 * (NOTICE.md there says where each came from): the trusted roots, and the certificates and log times of
 * bundles, read with core's own JSON reader.
 */
final class SigstoreTestVectors {
  private SigstoreTestVectors() {}

  static byte[] bytes(String caseName, String file) {
    String name = "/sigstore/" + caseName + "/" + file;
    try (InputStream in = SigstoreTestVectors.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TrustedRoot root(String caseName, String file) throws VerificationException {
    return TrustedRoot.parse(bytes(caseName, file));
  }

  static Map<String, Object> bundle(String caseName, String file) throws Exception {
    return BundleFields.object(Json.parse(new String(bytes(caseName, file), StandardCharsets.UTF_8)), "bundle");
  }

  /** The bundle's certificates, leaf first: v0.1/v0.2 x509CertificateChain or v0.3 certificate. */
  static List<X509Certificate> certificates(String caseName, String file) throws Exception {
    Map<String, Object> vm = BundleFields.object(bundle(caseName, file).get("verificationMaterial"), "vm");
    if (vm.containsKey("certificate")) {
      return List.of(CertificateChains.parse(
          BundleFields.base64(BundleFields.object(vm.get("certificate"), "certificate"), "rawBytes", "cert")));
    }
    return CertificateChains.fromBundle(vm);
  }

  static X509Certificate leaf(String caseName, String file) throws Exception {
    return certificates(caseName, file).get(0);
  }

  /** The integratedTime of each tlog entry (taken as verified: these tests are about certificates). */
  static List<Instant> integratedTimes(String caseName, String file) throws Exception {
    Map<String, Object> vm = BundleFields.object(bundle(caseName, file).get("verificationMaterial"), "vm");
    List<Instant> out = new ArrayList<>();
    for (Object e : BundleFields.list(vm, "tlogEntries", "vm")) {
      Object t = BundleFields.object(e, "entry").get("integratedTime");
      if (t instanceof String s) {
        out.add(Instant.ofEpochSecond(Long.parseLong(s)));
      } else if (t instanceof BigDecimal d) {
        out.add(Instant.ofEpochSecond(d.longValueExact()));
      }
    }
    return out;
  }
}
