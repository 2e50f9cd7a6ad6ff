package dev.modelseal.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

/** Resolves the OMS vectors under {@code testdata/vectors/oms}, plus their test keys. */
final class OmsVectors {
  static final String P384_HINT = "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";

  private OmsVectors() {}

  static Path oms(String relative) {
    return Vectors.dir().resolve("oms").resolve(relative);
  }

  static Path fixture(String dir) {
    return oms("scripts/tests").resolve(dir);
  }

  static Path keyFile(String name) {
    return oms("scripts/tests/keys/certificate").resolve(name);
  }

  static PublicKey publicKey() throws Exception {
    return CosignKeyReader.readPublicKey(keyFile("signing-key-pub.pem"));
  }

  static PrivateKey privateKey() throws Exception {
    return CosignKeyReader.readPrivateKey(keyFile("signing-key.pem"), new byte[0]);
  }

  static X509Certificate cert(String name) throws Exception {
    byte[] pem = Files.readAllBytes(keyFile(name));
    byte[] der = Pem.decode(pem).der();
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  static ModelVerifier keyVerifier() throws Exception {
    return ModelVerifier.builder().publicKey(publicKey()).ignorePaths(List.of("model.sig")).build();
  }

  static ModelVerifier certVerifier() throws Exception {
    return ModelVerifier.builder().trustAnchors(List.of(cert("ca-cert.pem")))
        .ignorePaths(List.of("model.sig")).build();
  }

  static byte[] sig(Path dir) {
    return Vectors.bytes(dir.resolve("model.sig"));
  }

  /** Copies a vector directory (regular files only, one level deep) into {@code target}, writable. */
  static Path copy(Path source, Path target) {
    try {
      Files.createDirectories(target);
      try (Stream<Path> s = Files.list(source)) {
        for (Path p : s.toList()) {
          Path t = target.resolve(p.getFileName().toString());
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
          t.toFile().setWritable(true);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
