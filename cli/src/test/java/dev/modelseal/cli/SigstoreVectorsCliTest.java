package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of {@code testdata/vectors/sigstore} through the CLI in each of its modes (the
 * artifact file, and its {@code sha256:} digest), with the command line its {@code case.json} gives:
 * DSSE bundles through {@code verify-blob-attestation}, message signatures through {@code verify-blob};
 * {@code --key} or the identity flags from its policy; {@code --trusted-root} with its root. Cases whose
 * root is the production snapshot run once more without {@code --trusted-root}, on the shipped root
 * (keyless cases only: {@code --key} does not use a root unless given one).
 */
class SigstoreVectorsCliTest {
  private static final String PRODUCTION_SNAPSHOT = "trusted_root.production.json";

  /** One run of one case. */
  record Run(String caseId, String mode, boolean shippedRoot, Path dir, List<String> argv, boolean expectOk) {
    String name() {
      return caseId + " [" + mode + (shippedRoot ? ", shipped root" : "") + "]";
    }
  }

  static List<Run> runs() throws IOException {
    List<Run> runs = new ArrayList<>();
    List<Path> cases;
    try (Stream<Path> s = Files.list(Vectors.sigstore())) {
      cases = s.filter(Files::isDirectory).sorted().toList();
    }
    for (Path dir : cases) {
      Map<?, ?> c = caseJson(dir);
      for (Object mode : (List<?>) c.get("modes")) {
        runs.add(run(dir, c, (String) mode, false));
        Map<?, ?> policy = (Map<?, ?>) c.get("policy");
        if (PRODUCTION_SNAPSHOT.equals(c.get("trusted_root")) && !"key".equals(policy.get("type"))) {
          runs.add(run(dir, c, (String) mode, true));
        }
      }
    }
    return runs;
  }

  static Map<?, ?> caseJson(Path dir) throws IOException {
    try {
      return (Map<?, ?>) Json.parse(Files.readString(dir.resolve("case.json")));
    } catch (Json.ParseException e) {
      throw new IOException(dir + "/case.json: " + e.getMessage(), e);
    }
  }

  private static Run run(Path dir, Map<?, ?> c, String mode, boolean shippedRoot) {
    Map<?, ?> summary = c.get("bundle_summary") instanceof Map<?, ?> m ? m : Map.of();
    boolean dsse = "dsseEnvelope".equals(summary.get("content"));
    List<String> argv = new ArrayList<>(List.of(dsse ? "verify-blob-attestation" : "verify-blob",
        "--bundle", (String) c.get("bundle")));
    Map<?, ?> policy = (Map<?, ?>) c.get("policy");
    switch ((String) policy.get("type")) {
      case "key" -> argv.addAll(List.of("--key", (String) policy.get("key")));
      case "identity" -> argv.addAll(List.of("--certificate-identity", (String) policy.get("certificate_identity")));
      case "identity-regexp" -> argv.addAll(List.of("--certificate-identity-regexp",
          (String) policy.get("certificate_identity_regexp")));
      default -> throw new IllegalArgumentException("unknown policy type in " + dir + ": " + policy.get("type"));
    }
    if (!"key".equals(policy.get("type"))) {
      argv.addAll(List.of("--certificate-oidc-issuer", (String) policy.get("certificate_oidc_issuer")));
    }
    if (!shippedRoot && c.get("trusted_root") instanceof String root) {
      argv.addAll(List.of("--trusted-root", root));
    }
    argv.add(mode.equals("path") ? (String) c.get("artifact") : (String) c.get("digest"));
    return new Run((String) c.get("id"), mode, shippedRoot, dir, argv, "ok".equals(c.get("expect")));
  }

  @TestFactory
  Stream<DynamicTest> everyCase_everyMode_expectedExitStatus() throws IOException {
    return runs().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
      CliRunner.Result result = new CliRunner(r.dir()).run(r.argv().toArray(String[]::new));
      String cmd = r.name() + ": " + String.join(" ", r.argv());
      if (r.expectOk()) {
        assertEquals("Verified OK\n", result.err(), cmd);
        assertEquals(0, result.status(), cmd);
      } else {
        assertEquals(1, result.status(), cmd + ": " + result.err());
        assertTrue(result.err().startsWith("Error: ") && result.err().lines().count() == 1,
            cmd + ": " + result.err());
        assertFalse(result.err().contains("internal error"), cmd + ": " + result.err());
      }
      assertEquals("", result.out(), cmd);
    }));
  }

  @Test
  void runs_coverEveryCaseAndMode() throws IOException {
    List<Run> runs = runs();
    assertEquals(75, runs.stream().map(Run::caseId).distinct().count());
    // 75 cases: 69 with path and digest modes, 6 with one mode; the keyless ones on the production snapshot
    // run again on the shipped root.
    assertEquals(144, runs.stream().filter(r -> !r.shippedRoot()).count());
    assertEquals(76, runs.stream().filter(Run::shippedRoot).count());
  }
}
