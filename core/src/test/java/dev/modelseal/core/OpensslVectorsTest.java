package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every entry of openssl/vectors.json with its expected result, plus every openssl cosign key. */
class OpensslVectorsTest {

  /** One row per vectors.json entry: signature file, public key, blob, and whether it is a legacy SHA-256 one. */
  static Stream<Arguments> signatures() {
    return Vectors.entries("vectors").stream().flatMap(v -> Stream.of("sig_der", "sig_b64").map(field ->
        Arguments.of((String) v.get(field), (String) v.get("pub_pem"), (String) v.get("blob"),
            isLegacySha256((String) v.get("sig_der")))));
  }

  static Stream<Arguments> legacySignatures() {
    return signatures().filter(a -> (Boolean) a.get()[3]);
  }

  static Stream<String> bundles() {
    return Vectors.entries("bundles").stream().map(b -> (String) b.get("file"));
  }

  static Stream<String> cosignKeys() throws Exception {
    try (Stream<Path> files = Files.list(Vectors.openssl(""))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cosign.key")).sorted().toList().stream();
    }
  }

  private static boolean isLegacySha256(String sig) {
    return sig.startsWith("ecdsa-p384.sha256.") || sig.startsWith("ecdsa-p521.sha256.");
  }

  private static SignatureMaterial detached(String file) throws Exception {
    return SignatureMaterial.parseDetached(Vectors.bytes(Vectors.openssl(file)));
  }

  private static BlobVerifier verifier(String pub, boolean legacy) throws Exception {
    return BlobVerifier.builder(Vectors.publicKey(Vectors.openssl(pub))).acceptLegacySha256(legacy).build();
  }

  private static String bundleKey(String bundle) {
    String prefix = bundle.substring(0, bundle.indexOf(".blob.txt"));
    return (prefix.startsWith("ed25519") ? "ed25519" : prefix) + ".pub.pem";
  }

  /** The candidate list BlobVerifier names in SIGNATURE_INVALID messages. */
  private static String tried(String pub, boolean legacy, SignatureMaterial m) {
    return switch (pub) {
      case "ecdsa-p256.pub.pem" -> "[ECDSA_P256_SHA256]";
      case "ecdsa-p384.pub.pem" -> legacy ? "[ECDSA_P384_SHA384, ECDSA_P384_SHA256]" : "[ECDSA_P384_SHA384]";
      case "ecdsa-p521.pub.pem" -> legacy ? "[ECDSA_P521_SHA512, ECDSA_P521_SHA256]" : "[ECDSA_P521_SHA512]";
      case "ed25519.pub.pem" -> m.format() != SignatureMaterial.Format.SIGSTORE_BUNDLE ? "[ED25519, ED25519_PH]"
          : "SHA2_512".equals(m.digestName()) ? "[ED25519_PH]" : "[ED25519]";
      default -> "[RSA_PKCS1_SHA256]";
    };
  }

  private static String invalid(String pub, String tried) throws Exception {
    return "signature does not verify with key " + KeyId.hex(Vectors.publicKey(Vectors.openssl(pub)))
        + " (tried " + tried + ")";
  }

  @Test
  void index_listsAllVectorsAndBundles() {
    assertEquals(18, Vectors.entries("vectors").size());
    assertEquals(14, Vectors.entries("bundles").size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signatures")
  void verify_vectorSignatureOverItsBlob_succeeds(String sig, String pub, String blob, boolean legacy) {
    assertDoesNotThrow(() -> verifier(pub, legacy).verify(Vectors.openssl(blob), detached(sig)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signatures")
  void verify_vectorSignatureOverTamperedBlob_throwsSignatureInvalid(String sig, String pub, String blob,
      boolean legacy) throws Exception {
    SignatureMaterial m = detached(sig);
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(pub, legacy).verify(Vectors.openssl("blob-tampered.txt"), m));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals(invalid(pub, tried(pub, legacy, m)), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("legacySignatures")
  void verify_legacySha256SignatureWithoutOptIn_throwsSignatureInvalid(String sig, String pub, String blob,
      boolean legacy) throws Exception {
    SignatureMaterial m = detached(sig);
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(pub, false).verify(Vectors.openssl(blob), m));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals(invalid(pub, tried(pub, false, m)), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundles")
  void verify_vectorBundleOverBlob_succeeds(String bundle) throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(Vectors.bytes(Vectors.openssl(bundle)));
    assertDoesNotThrow(() -> verifier(bundleKey(bundle), false).verify(Vectors.openssl("blob.txt"), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundles")
  void verify_vectorBundleOverTamperedBlob_throwsSignatureInvalid(String bundle) throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(Vectors.bytes(Vectors.openssl(bundle)));
    String pub = bundleKey(bundle);
    VerificationException e = assertThrows(VerificationException.class,
        () -> verifier(pub, false).verify(Vectors.openssl("blob-tampered.txt"), m));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals(invalid(pub, tried(pub, false, m)), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundles")
  void parseBundle_vectorBundle_hintOrEmbeddedKeyNamesTheVectorKey(String bundle) throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(Vectors.bytes(Vectors.openssl(bundle)));
    PublicKey key = Vectors.publicKey(Vectors.openssl(bundleKey(bundle)));
    if (m.format() == SignatureMaterial.Format.SIGSTORE_BUNDLE) {
      assertEquals(KeyId.hint(key), java.util.Base64.getEncoder().encodeToString(m.keyHint()));
    } else {
      assertEquals(KeyId.hex(key), KeyId.hex(m.embeddedKey()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cosignKeys")
  void readPrivateKey_vectorCosignKeyWithItsPassword_derivesTheVectorPublicKey(String file) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> passwords = (Map<String, Object>) Vectors.index("passwords");
    String password = (String) passwords.getOrDefault(file, passwords.get("*.cosign.key"));
    PrivateKey key = CosignKeyReader.readPrivateKey(Vectors.openssl(file), password.getBytes());
    String pub = file.substring(0, file.indexOf('.')) + ".pub.pem";
    assertEquals(Vectors.text(Vectors.openssl(pub)),
        CosignKeyWriter.publicKeyPem(CosignKeyReader.publicKeyOf(key)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cosignKeys")
  void readPrivateKey_vectorCosignKeyWrongPassword_throwsDecryptionFailed(String file) {
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> CosignKeyReader.readPrivateKey(Vectors.openssl(file), "wrong-password".getBytes()));
    assertEquals("decryption failed: wrong password or corrupt key file", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-4096", "ed25519"})
  void readPrivateKey_unencryptedVectorPem_derivesTheVectorPublicKey(String name) throws Exception {
    PrivateKey plain = CosignKeyReader.readPrivateKey(Vectors.openssl(name + ".key.pem"), new byte[0]);
    assertEquals(Vectors.text(Vectors.openssl(name + ".pub.pem")),
        CosignKeyWriter.publicKeyPem(CosignKeyReader.publicKeyOf(plain)));
  }
}
