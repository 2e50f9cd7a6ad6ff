package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference's hashing goldens (testdata/vectors/oms/SOURCES.md §3), reproduced byte for byte from the
 * rebuilt conftest models: every {@code file*}/TestSerializer golden and every TestPayload statement.
 */
class ModelHashingGoldensTest {
  @TempDir Path tmp;

  /** Resolves a golden's model: the rebuilt tree, or one made in the temp dir (empty dir, real symlink). */
  private Path model(String golden) throws Exception {
    String base = golden.replaceAll("_(small_shards|shard)$", "");
    Path models = OmsVectors.oms("generated/conftest-models");
    switch (base) {
      case "sample_model_file":
        return models.resolve("file_model");
      case "empty_model_file":
        return models.resolve("empty_file_model");
      case "sample_model_folder":
        return models.resolve("sample_model");
      case "model_folder_with_empty_file":
        return models.resolve("empty_file_inside_model");
      case "deep_model_folder":
        return models.resolve("deep_model");
      case "empty_model_folder":
        return Files.createDirectories(tmp.resolve("empty_folder_model"));
      case "symlink_model_folder": {
        Path dir = Files.createDirectories(tmp.resolve("symlink_model"));
        Files.createSymbolicLink(dir.resolve("symlink_file"), models.resolve("external/file").toAbsolutePath());
        return dir;
      }
      default:
        throw new IllegalArgumentException(golden);
    }
  }

  private static ModelHashing hashing(String golden) {
    ModelHashing.Builder b = golden.endsWith("_small_shards") ? ModelHashing.shards(8)
        : golden.endsWith("_shard") ? ModelHashing.shards(ModelHashing.DEFAULT_SHARD_SIZE) : ModelHashing.files();
    return b.allowSymlinks(true).ignoreGitPaths(false).threads(3).build();
  }

  private static String lines(ModelManifest m) {
    StringBuilder s = new StringBuilder();
    for (ModelManifest.Entry e : m.entries()) {
      s.append(e.name()).append(':').append(e.digestHex()).append('\n');
    }
    return s.toString();
  }

  private static String goldenLines(Path file) {
    StringBuilder s = new StringBuilder();
    for (String line : Vectors.text(file).split("\n")) {
      if (!line.isBlank()) {
        s.append(line.strip()).append('\n');
      }
    }
    return s.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sample_model_file", "empty_model_file", "sample_model_folder", "empty_model_folder",
      "model_folder_with_empty_file", "deep_model_folder", "symlink_model_folder"})
  void compute_filesSerializerGolden_matchesByteForByte(String golden) throws Exception {
    Path expected = OmsVectors.oms("tests/_serialization/testdata/file/TestSerializer").resolve(golden);
    ModelManifest m = ModelManifest.compute(model(golden), hashing(golden), ProgressListener.NONE);
    assertEquals(goldenLines(expected), lines(m));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sample_model_file", "empty_model_file", "sample_model_folder", "empty_model_folder",
      "model_folder_with_empty_file", "deep_model_folder", "symlink_model_folder",
      "sample_model_file_small_shards", "empty_model_file_small_shards", "sample_model_folder_small_shards",
      "empty_model_folder_small_shards", "model_folder_with_empty_file_small_shards",
      "deep_model_folder_small_shards", "symlink_model_folder_small_shards"})
  void compute_shardSerializerGolden_matchesByteForByte(String golden) throws Exception {
    Path expected = OmsVectors.oms("tests/_serialization/testdata/file_shard/TestSerializer").resolve(golden);
    String config = golden.endsWith("_small_shards") ? golden : golden + "_shard";
    ModelManifest m = ModelManifest.compute(model(golden), hashing(config), ProgressListener.NONE);
    assertEquals(goldenLines(expected), lines(m));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sample_model_file", "empty_model_file", "sample_model_folder", "empty_model_folder",
      "model_folder_with_empty_file", "deep_model_folder", "symlink_model_folder",
      "sample_model_file_shard", "empty_model_file_shard", "sample_model_folder_shard",
      "empty_model_folder_shard", "model_folder_with_empty_file_shard", "deep_model_folder_shard",
      "symlink_model_folder_shard",
      "sample_model_file_small_shards", "empty_model_file_small_shards", "sample_model_folder_small_shards",
      "empty_model_folder_small_shards", "model_folder_with_empty_file_small_shards",
      "deep_model_folder_small_shards", "symlink_model_folder_small_shards"})
  void build_payloadGolden_matchesStatement(String golden) throws Exception {
    Path expectedFile = OmsVectors.oms("tests/_signing/testdata/signing/TestPayload").resolve(golden);
    Object expected = Json.parse(Vectors.text(expectedFile));
    Path model = model(golden);
    ModelHashing h = hashing(golden);
    ModelManifest m = ModelManifest.compute(model, h, ProgressListener.NONE);
    Object actual = Json.parse(JsonWriter.write(OmsStatement.build(m, model.getFileName().toString(), h)));
    assertEquals(normalise(expected), normalise(actual));
  }

  /** Numbers compared by value (the reference writes shard_size as 1000000000.0). */
  private static Object normalise(Object v) {
    if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, normalise(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(normalise(x)));
      return out;
    }
    return v;
  }
}
