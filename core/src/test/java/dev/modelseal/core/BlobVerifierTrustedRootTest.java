package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BlobVerifier} given a trusted root: a managed-key bundle's log entry must verify too (the
 * conformance case {@code managed-key-and-trusted-root}, in {@code src/test/resources/sigstore/}).
 */
class BlobVerifierTrustedRootTest {
  private static final Path CASE = SigstoreVectorsTest.casesDir().resolve("managed-key-and-trusted-root");

  private static BlobVerifier verifier(boolean withRoot) throws Exception {
    PublicKey key = CosignKeyReader.readPublicKey(CASE.resolve("key.pub"));
    BlobVerifier.Builder b = BlobVerifier.builder(key);
    if (withRoot) {
      b.trustedRoot(TrustedRoot.read(CASE.resolve("trusted_root.json")));
    }
    return b.build();
  }

  private static String bundle() throws Exception {
    return Files.readString(CASE.resolve("bundle.sigstore.json"), StandardCharsets.UTF_8);
  }

  private static SignatureMaterial parse(String json) throws VerificationException {
    return SignatureMaterial.parseBundle(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The bundle with its verificationMaterial's {@code tlogEntries} changed by {@code edit}. */
  @SuppressWarnings("unchecked")
  private static SignatureMaterial edited(java.util.function.Consumer<List<Object>> edit) throws Exception {
    Map<String, Object> doc = (Map<String, Object>) Json.parse(bundle());
    List<Object> entries = (List<Object>) ((Map<String, Object>) doc.get("verificationMaterial")).get("tlogEntries");
    edit.accept(entries);
    return parse(JsonWriter.write(doc));
  }

  @Test
  void verify_managedKeyBundleWithTrustedRoot_succeeds() throws Exception {
    SignatureMaterial m = parse(bundle());
    BlobVerifier v = verifier(true);
    assertDoesNotThrow(() -> v.verify(CASE.resolve("a.txt"), m));
  }

  @Test
  @SuppressWarnings("unchecked")
  void verify_editedLogIndexWithTrustedRoot_throws() throws Exception {
    SignatureMaterial m = edited(l -> ((Map<String, Object>) l.get(0)).put("logIndex", "51753645"));
    BlobVerifier v = verifier(true);
    assertThrows(VerificationException.class, () -> v.verify(CASE.resolve("a.txt"), m));
  }

  @Test
  @SuppressWarnings("unchecked")
  void verify_editedLogIndexWithoutTrustedRoot_succeeds() throws Exception {
    SignatureMaterial m = edited(l -> ((Map<String, Object>) l.get(0)).put("logIndex", "51753645"));
    BlobVerifier v = verifier(false);
    assertDoesNotThrow(() -> v.verify(CASE.resolve("a.txt"), m));
  }

  @Test
  void verify_noLogEntryWithTrustedRoot_throwsUntrustedKey() throws Exception {
    SignatureMaterial m = edited(List::clear);
    BlobVerifier v = verifier(true);
    VerificationException e = assertThrows(VerificationException.class, () -> v.verify(CASE.resolve("a.txt"), m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("the bundle has no transparency-log entry to check against the trusted root", e.getMessage());
  }

  @Test
  void verify_detachedSignatureWithTrustedRoot_throwsUntrustedKey() throws Exception {
    SignatureMaterial bundled = parse(bundle());
    SignatureMaterial m = SignatureMaterial.parseDetached(
        Base64.getEncoder().encode(bundled.signature()));
    BlobVerifier v = verifier(true);
    VerificationException e = assertThrows(VerificationException.class, () -> v.verify(CASE.resolve("a.txt"), m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("a trusted root was given, but a detached signature carries no transparency-log entry ModelSeal "
        + "can check", e.getMessage());
  }
}
