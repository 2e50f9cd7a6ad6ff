package dev.modelseal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * Resolves the shared interoperability vectors in place, from the directory named by the system
 * property {@code modelseal.shared.dir} (set by surefire). Vectors are never copied into the repo.
 */
final class Vectors {
  /** Password of every openssl {@code *.cosign.key} except the empty-password one. */
  static final String PASSWORD = "vector-password";

  private Vectors() {}

  static Path sharedDir() {
    String dir = System.getProperty("modelseal.shared.dir");
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException("system property modelseal.shared.dir is not set (run the tests with Maven)");
    }
    return Path.of(dir);
  }

  /** A file under {@code vectors/cosign/openssl}. */
  static Path openssl(String name) {
    return sharedDir().resolve("vectors/cosign/openssl").resolve(name);
  }

  /** A file under {@code vectors/cosign/from-repos}. */
  static Path fromRepos(String relative) {
    return sharedDir().resolve("vectors/cosign/from-repos").resolve(relative);
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
