package dev.modelseal.cli;

import dev.modelseal.testkit.TestData;
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
    return TestData.vectorsDir();
  }

  /** The openssl-made keys, signatures and bundles: {@code cosign/openssl}. */
  static Path openssl() {
    return dir().resolve("cosign/openssl");
  }

  /** The Sigstore bundle-verification cases, one folder each with a {@code case.json}: {@code sigstore}. */
  static Path sigstore() {
    return dir().resolve("sigstore");
  }

  /** The released model_signing fixtures and their test keys: {@code oms/scripts/tests}. */
  static Path omsFixtures() {
    return dir().resolve("oms/scripts/tests");
  }
}
