package dev.modelseal.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Sigstore vector case copied under {@code src/test/resources/sigstore/<case>/}, read the way a
 * verifier would feed {@link TransparencyLogEntries}: the bundle's tlog entries, its minor version, the
 * {@link LoggedContent} built from the bundle and the artifact, and a {@link TrustedRoot} holding only
 * the trusted root file's transparency logs (decoded here, independent of {@code TrustedRoot.parse}).
 */
final class SigstoreBundleFixture {
  final Map<String, Object> bundle;
  final List<Object> tlogEntries;
  final int minor;
  final LoggedContent content;
  final TrustedRoot root;
  /** The leaf certificate's notBefore when the bundle carries RFC 3161 timestamps, else empty. */
  final List<Instant> timestampTimes;

  private SigstoreBundleFixture(Path dir) throws Exception {
    Path bundleFile = find(dir, n -> n.contains("sigstore"));
    Path rootFile = find(dir, n -> n.startsWith("trusted_root"));
    bundle = object(Json.parse(Files.readString(bundleFile)));
    Map<String, Object> vm = object(bundle.get("verificationMaterial"));
    tlogEntries = list(vm.get("tlogEntries"));
    String mediaType = (String) bundle.get("mediaType");
    minor = mediaType.contains("0.1") ? 1 : mediaType.contains("0.2") ? 2 : 3;
    byte[] material;
    boolean certificate = true;
    if (vm.get("certificate") != null) {
      material = b64(object(vm.get("certificate")).get("rawBytes"));
    } else if (vm.get("x509CertificateChain") != null) {
      material = b64(object(list(object(vm.get("x509CertificateChain")).get("certificates")).get(0)).get("rawBytes"));
    } else {
      material = Pem.decode(Files.readAllBytes(dir.resolve("key.pub"))).der();
      certificate = false;
    }
    if (bundle.get("messageSignature") != null) {
      Map<String, Object> ms = object(bundle.get("messageSignature"));
      String alg = ms.get("messageDigest") == null ? "SHA2_256"
          : (String) object(ms.get("messageDigest")).get("algorithm");
      String jca = "SHA-" + alg.substring(alg.length() - 3);
      byte[] artifact = Files.readAllBytes(find(dir, n -> n.equals("a.txt") || n.startsWith("artifact")));
      content = new LoggedContent(b64(ms.get("signature")), alg, MessageDigest.getInstance(jca).digest(artifact),
          null, material, certificate);
    } else {
      Map<String, Object> env = object(bundle.get("dsseEnvelope"));
      List<LoggedContent.Signature> sigs = new ArrayList<>();
      for (Object s : list(env.get("signatures"))) {
        Map<String, Object> sm = object(s);
        sigs.add(new LoggedContent.Signature(String.valueOf(sm.getOrDefault("keyid", "")), b64(sm.get("sig"))));
      }
      content = new LoggedContent(sigs.get(0).sig(), null, null,
          new LoggedContent.Envelope((String) env.get("payloadType"), b64(env.get("payload")), sigs), material,
          certificate);
    }
    Object tvd = vm.get("timestampVerificationData");
    boolean stamped = tvd != null && object(tvd).get("rfc3161Timestamps") != null
        && !list(object(tvd).get("rfc3161Timestamps")).isEmpty();
    timestampTimes = stamped ? List.of(leaf(material).getNotBefore().toInstant()) : List.of();
    root = new TrustedRoot(List.of(), List.of(), logs(object(Json.parse(Files.readString(rootFile)))), List.of());
  }

  /** Loads the case folder {@code sigstore/<name>} from the test resources. */
  static SigstoreBundleFixture load(String name) {
    try {
      return new SigstoreBundleFixture(dir(name));
    } catch (Exception e) {
      throw new IllegalStateException("cannot load sigstore case " + name, e);
    }
  }

  List<Instant> verify() throws VerificationException {
    return TransparencyLogEntries.verify(tlogEntries, content, root, minor, timestampTimes);
  }

  static Path dir(String name) {
    URL url = SigstoreBundleFixture.class.getResource("/sigstore/" + name);
    if (url == null) {
      throw new IllegalStateException("no test resource sigstore/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The transparency logs of a trusted root JSON as {@link TrustedRoot.LogKey}s. */
  static List<TrustedRoot.LogKey> logs(Map<String, Object> trustedRoot) throws Exception {
    List<TrustedRoot.LogKey> out = new ArrayList<>();
    for (Object o : list(trustedRoot.get("tlogs"))) {
      Map<String, Object> t = object(o);
      Map<String, Object> pk = object(t.get("publicKey"));
      Map<String, Object> validFor = object(pk.get("validFor"));
      Instant start = validFor.get("start") instanceof String s ? Instant.parse(s) : null;
      Instant end = validFor.get("end") instanceof String s ? Instant.parse(s) : null;
      out.add(new TrustedRoot.LogKey((String) t.get("baseUrl"), b64(object(t.get("logId")).get("keyId")),
          SupportedKeys.publicKeyFromSpki(b64(pk.get("rawBytes"))), start, end));
    }
    return out;
  }

  private static X509Certificate leaf(byte[] der) throws Exception {
    try (InputStream in = new java.io.ByteArrayInputStream(der)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static Path find(Path dir, java.util.function.Predicate<String> name) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> name.test(p.getFileName().toString())).findFirst()
          .orElseThrow(() -> new IllegalStateException("no matching file in " + dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static byte[] b64(Object o) {
    return Base64.getDecoder().decode(((String) o).getBytes(StandardCharsets.US_ASCII));
  }
}
