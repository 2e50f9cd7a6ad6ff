package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the Sigstore bundle-verification vectors ({@code testdata/vectors/sigstore/<case>/},
 * origin in {@code SOURCES.md} there) through core, in each of the case's modes: {@code path} (the artifact
 * file) and {@code digest} (its SHA-256 only, as the conformance protocol's {@code sha256:<hex>}). The
 * policy is the case's: an exact identity or an identity regexp with an exact issuer
 * ({@link KeylessVerifier}), or a public key ({@link BlobVerifier}, with the case's trusted root, so the
 * managed-key bundle's log entries are checked too). Expected {@code ok}: no exception; {@code fail}: a
 * {@link VerificationException} (or, for a key that cannot be a key, a {@link KeyFormatException} when
 * it is read), never another exception.
 */
class SigstoreVectorsTest {
  static Path casesDir() {
    return Vectors.dir().resolve("sigstore");
  }

  /** One case folder's {@code case.json}. */
  record Case(Path dir, Map<String, Object> json) {
    String id() {
      return (String) json.get("id");
    }

    String text(String name) {
      return (String) json.get(name);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> policy() {
      return (Map<String, Object>) json.get("policy");
    }

    @SuppressWarnings("unchecked")
    List<Object> modes() {
      return (List<Object>) json.get("modes");
    }

    @Override
    public String toString() {
      return id();
    }
  }

  static Case load(String id) {
    Path dir = casesDir().resolve(id);
    try {
      String json = Files.readString(dir.resolve("case.json"), StandardCharsets.UTF_8);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.parse(json);
      return new Case(dir, m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Json.ParseException e) {
      throw new IllegalStateException(id + "/case.json: " + e.getMessage(), e);
    }
  }

  static List<String> caseIds() {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> s = Files.list(casesDir())) {
      s.filter(Files::isDirectory).forEach(p -> ids.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ids.sort(null);
    return ids;
  }

  static Stream<Object[]> caseModes() {
    List<Object[]> out = new ArrayList<>();
    for (String id : caseIds()) {
      Case c = load(id);
      for (Object mode : c.modes()) {
        out.add(new Object[] {c, mode});
      }
    }
    return out.stream();
  }

  @Test
  void cases_all75Present() {
    assertEquals(75, caseIds().size());
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("caseModes")
  void verify_case_givesExpectedResult(Case c, String mode) {
    if ("ok".equals(c.text("expect"))) {
      assertDoesNotThrow(() -> run(c, mode), c.id() + " " + mode);
    } else {
      assertEquals("fail", c.text("expect"));
      // the case's own trusted root must read, so that a broken fixture cannot pass as an expected failure
      assertDoesNotThrow(() -> TrustedRoot.read(c.dir().resolve(c.text("trusted_root"))), c.id());
      GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> run(c, mode),
          c.id() + " " + mode);
      assertTrue(e instanceof VerificationException || e instanceof KeyFormatException, c.id() + ": " + e);
      if (e instanceof KeyFormatException) {
        assertEquals("key", c.policy().get("type"), c.id() + ": only a key policy may fail on its key: " + e);
      }
    }
  }

  /** Runs one case in one mode; throws what core throws. */
  static void run(Case c, String mode) throws Exception {
    byte[] bundleBytes = Files.readAllBytes(c.dir().resolve(c.text("bundle")));
    TrustedRoot root = TrustedRoot.read(c.dir().resolve(c.text("trusted_root")));
    Map<String, Object> policy = c.policy();
    if ("key".equals(policy.get("type"))) {
      java.security.PublicKey key = CosignKeyReader.readPublicKey(c.dir().resolve((String) policy.get("key")));
      BlobVerifier v = BlobVerifier.builder(key).trustedRoot(root).build();
      SignatureMaterial m = SignatureMaterial.parseBundle(bundleBytes);
      if ("path".equals(mode)) {
        v.verify(c.dir().resolve(c.text("artifact")), m);
      } else {
        v.verifyDigests(Map.of("SHA-256", digest(c)), m);
      }
      return;
    }
    IdentityPolicy.Builder p = IdentityPolicy.builder().issuer((String) policy.get("certificate_oidc_issuer"));
    if ("identity-regexp".equals(policy.get("type"))) {
      p.sanRegexp((String) policy.get("certificate_identity_regexp"));
    } else {
      assertEquals("identity", policy.get("type"));
      p.san((String) policy.get("certificate_identity"));
    }
    KeylessVerifier v = KeylessVerifier.builder(root, p.build()).build();
    SignatureMaterial m = SignatureMaterial.parseBundle(bundleBytes);
    if ("path".equals(mode)) {
      v.verify(c.dir().resolve(c.text("artifact")), m);
    } else {
      v.verifyDigests(Map.of("SHA-256", digest(c)), m);
    }
  }

  static byte[] digest(Case c) {
    String d = c.text("digest");
    assertEquals("sha256:", d.substring(0, 7));
    return HexFormat.of().parseHex(d.substring(7));
  }
}
