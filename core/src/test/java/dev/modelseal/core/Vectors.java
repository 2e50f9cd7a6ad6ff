package dev.modelseal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.modelseal.testkit.TestData;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * Resolves the interoperability vectors kept in this repository under {@code testdata/vectors} (each set's
 * {@code SOURCES.md} says where its files came from). Surefire names the {@code testdata} folder in the
 * system property {@code modelseal.testdata.dir}.
 */
final class Vectors {
  /** Password of every openssl {@code *.cosign.key} except the empty-password one. */
  static final String PASSWORD = "vector-password";

  private Vectors() {}

  /** The {@code testdata/vectors} folder; fails when the property is unset or names no such folder. */
  static Path dir() {
    return TestData.vectorsDir();
  }

  /** A file under {@code testdata/vectors/cosign/openssl}. */
  static Path openssl(String name) {
    return dir().resolve("cosign/openssl").resolve(name);
  }

  /** A file under {@code testdata/vectors/cosign/from-repos}. */
  static Path fromRepos(String relative) {
    return dir().resolve("cosign/from-repos").resolve(relative);
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(Path file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  static PublicKey publicKey(Path pem) throws Exception {
    return CosignKeyReader.readPublicKey(pem);
  }

  /** The {@code vectors}, {@code bundles} or {@code passwords} section of openssl/vectors.json. */
  static Object index(String section) {
    try {
      Map<?, ?> root = (Map<?, ?>) Json.parse(text(openssl("vectors.json")));
      return root.get(section);
    } catch (Json.ParseException e) {
      throw new IllegalStateException("vectors.json is not valid JSON: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> entries(String section) {
    return (List<Map<String, Object>>) index(section);
  }
}
