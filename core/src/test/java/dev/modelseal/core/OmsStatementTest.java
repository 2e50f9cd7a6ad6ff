package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OmsStatement#claimedHashing}: the serialization read ahead of verification, without a manifest. */
class OmsStatementTest {
  private static byte[] payload(ModelHashing h) {
    ModelManifest m = new ModelManifest(List.of(new ModelManifest.Entry("a.bin", h.resourceAlgorithm(),
        new byte["blake2b".equals(h.hashAlgorithm()) ? 64 : 32])));
    return JsonWriter.write(OmsStatement.build(m, "model", h)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void claimedHashing_shardsBlake2b_returnsTheSignedSerialization() throws Exception {
    ModelHashing signed = ModelHashing.shards(4096).hashAlgorithm("blake2b").ignorePaths(List.of("x")).build();

    ModelHashing claimed = OmsStatement.claimedHashing(payload(signed));

    assertEquals(List.of("shards", "blake2b", 4096L, List.of(".git", ".gitattributes", ".github", ".gitignore", "x")),
        List.of(claimed.method(), claimed.hashAlgorithm(), claimed.shardSize(), claimed.ignorePaths()));
  }

  @Test
  void claimedHashing_matchesParseOfTheSamePayload() throws Exception {
    byte[] payload = payload(ModelHashing.files().allowSymlinks(true).build());

    assertEquals(OmsStatement.parse(payload).hashing().toString(), OmsStatement.claimedHashing(payload).toString());
  }

  @Test
  void claimedHashing_legacyPredicate_returnsFilesSha256WithoutGitDefaults() throws Exception {
    String legacy = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\""
        + OmsStatement.PREDICATE_LEGACY + "\",\"subject\":[]}";

    ModelHashing claimed = OmsStatement.claimedHashing(legacy.getBytes(StandardCharsets.UTF_8));

    assertEquals(List.of("files", "sha256", false),
        List.of(claimed.method(), claimed.hashAlgorithm(), claimed.ignoreGitPaths()));
  }

  @Test
  void claimedHashing_notJson_throwsMalformed() {
    VerificationException e = assertThrows(VerificationException.class,
        () -> OmsStatement.claimedHashing("{".getBytes(StandardCharsets.UTF_8)));

    assertEquals(VerificationException.Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("statement is not valid JSON: unexpected end of JSON at offset 1", e.getMessage());
  }
}
