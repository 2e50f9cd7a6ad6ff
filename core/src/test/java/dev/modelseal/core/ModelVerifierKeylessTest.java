package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OMS {@code model.sig} keyless bundles made by model_signing v0.3.1 to v1.1.0 with Sigstore
 * ({@code testdata/vectors/oms/scripts/tests/}, origin in {@code SOURCES.md} there), checked offline with
 * the shipped trusted root and the identity of the upstream test scripts.
 */
class ModelVerifierKeylessTest {
  static final String SAN = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";

  @TempDir
  Path tmp;

  static Path model(String version) {
    return OmsVectors.fixture(version);
  }

  static ModelVerifier verifier(String san, String issuer) {
    return ModelVerifier.builder()
        .keyless(TrustedRoot.shipped(), IdentityPolicy.builder().san(san).issuer(issuer).build())
        .ignorePaths(List.of("model.sig", "ignore-me")).build();
  }

  static byte[] sig(Path dir) throws IOException {
    return Files.readAllBytes(dir.resolve("model.sig"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.3.1-sigstore", "v1.0.0-sigstore", "v1.0.1-sigstore"})
  void verify_keylessModelByTheIdentity_succeeds(String version) {
    Path dir = model(version);
    assertDoesNotThrow(() -> verifier(SAN, ISSUER).verify(dir, sig(dir), ProgressListener.NONE));
  }

  @Test
  void readSigned_v110KeylessBundle_namesTheSigner() throws Exception {
    byte[] sig = Files.readAllBytes(SigstoreVectorsTest.casesDir().resolve("model-signing-v1.1.0-sigstore/model.sig"));
    SignedModel m = verifier(SAN, ISSUER).readSigned(sig);
    assertEquals(64, m.signerKeyId().length());
  }

  @Test
  void verify_anotherIssuer_throwsUntrustedKey() {
    Path dir = model("v1.0.1-sigstore");
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(SAN, "https://accounts.google.com").verify(dir, sig(dir), ProgressListener.NONE));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
  }

  @Test
  void verify_anotherIdentity_throwsUntrustedKey() {
    Path dir = model("v1.0.1-sigstore");
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier("someone@example.com", ISSUER).verify(dir, sig(dir), ProgressListener.NONE));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
  }

  @Test
  void verify_tamperedModelFile_throwsManifestMismatch() throws Exception {
    Path copy = copyOf(model("v1.0.1-sigstore"));
    Files.writeString(copy.resolve("signme-1"), "tampered", StandardCharsets.UTF_8);
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(SAN, ISSUER).verify(copy, sig(copy), ProgressListener.NONE));
    assertEquals(Reason.MANIFEST_MISMATCH, e.reason());
    assertEquals("model does not match its signature: modified files: signme-1", e.getMessage());
  }

  @Test
  void verify_editedLogProof_signatureInvalidNamingTheProof() throws Exception {
    Path copy = copyOf(model("v1.0.1-sigstore"));
    String json = Files.readString(copy.resolve("model.sig"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"rootHash\"\\s*:\\s*\"").matcher(json);
    assertTrue(m.find(), "the vector has an inclusion proof");
    int at = m.end();
    char c = json.charAt(at);
    Files.writeString(copy.resolve("model.sig"), json.substring(0, at) + (c == 'A' ? 'B' : 'A')
        + json.substring(at + 1));
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(SAN, ISSUER).verify(copy, sig(copy), ProgressListener.NONE));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason(), e::getMessage);
    assertTrue(e.getMessage().endsWith("transparency log entry 0: inclusion proof does not lead to its root hash"),
        e::getMessage);
  }

  @Test
  void readSigned_keySignedModelWithKeyless_throwsUntrustedKey() throws Exception {
    VerificationException e = assertThrows(VerificationException.class, () -> verifier(SAN, ISSUER)
        .readSigned(OmsVectors.sig(OmsVectors.fixture("v1.0.1-elliptic-key"))));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("the model was signed with a key, not keyless; verify it with the public key", e.getMessage());
  }

  @Test
  void build_keylessAndPublicKey_throwsIllegalState() throws Exception {
    ModelVerifier.Builder b = ModelVerifier.builder().publicKey(OmsVectors.publicKey())
        .keyless(TrustedRoot.shipped(), IdentityPolicy.builder().san(SAN).issuer(ISSUER).build());
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertEquals("set exactly one of publicKey (key method), trustAnchors (certificate method) or keyless "
        + "(Sigstore keyless method)", e.getMessage());
  }

  private Path copyOf(Path dir) throws IOException {
    Path copy = tmp.resolve(dir.getFileName().toString());
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, copy.resolve(f.getFileName().toString()));
      }
    }
    copy.toFile().setWritable(true);
    for (Path f : List.of(copy.resolve("signme-1"), copy.resolve("model.sig"))) {
      f.toFile().setWritable(true);
    }
    return copy;
  }
}
