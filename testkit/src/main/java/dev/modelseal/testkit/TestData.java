package dev.modelseal.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test data kept in this repository under {@code testdata/}: the interoperability vectors in
 * {@code testdata/vectors}, each set with a {@code SOURCES.md} saying where its files came from.
 * Surefire names the {@code testdata} folder in the system property {@code modelseal.testdata.dir}.
 */
public final class TestData {
  private TestData() {}

  /**
   * The {@code testdata/vectors} folder.
   *
   * @throws IllegalStateException when the property is unset or names no such folder
   */
  public static Path vectorsDir() {
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
}
