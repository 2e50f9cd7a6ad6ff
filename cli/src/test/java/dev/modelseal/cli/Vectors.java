package dev.modelseal.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves the interoperability vectors kept in this repository under {@code testdata/vectors} (each set's
 * {@code SOURCES.md} says where its files came from). Surefire names the {@code testdata} folder in the
 * system property {@code modelseal.testdata.dir}.
 */
final class Vectors {
  private Vectors() {}

  /** The {@code testdata/vectors} folder; fails when the property is unset or names no such folder. */
  static Path dir() {
    String testdata = System.getProperty("modelseal.testdata.dir");
    if (testdata == null || testdata.isBlank()) {
      throw new IllegalStateException(
          "system property modelseal.testdata.dir is not set (run the tests with Maven, which sets it)");
    }
    Path dir = Path.of(testdata, "vectors");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no test vectors at " + dir + " (from modelseal.testdata.dir)");
    }
    return dir;
  }

  /** The openssl-made keys, signatures and bundles: {@code cosign/openssl}. */
  static Path openssl() {
    return dir().resolve("cosign/openssl");
  }

  /** The released model_signing fixtures and their test keys: {@code oms/scripts/tests}. */
  static Path omsFixtures() {
    return dir().resolve("oms/scripts/tests");
  }
}
