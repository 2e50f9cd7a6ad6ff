package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys, signatures and bundles copied from cosign, sigstore-rs and sigstore-conformance (from-repos/). */
class FromReposVectorsTest {

  private static String derivedPublicPem(Path keyFile, String password) throws Exception {
    PrivateKey key = CosignKeyReader.readPrivateKey(keyFile, password.getBytes());
    return CosignKeyWriter.publicKeyPem(CosignKeyReader.publicKeyOf(key));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "cosign-keys_test/pemsigstorekey.pem, hello, derived/pemsigstorekey.expected-pub.pem",
    "cosign-keys_test/pemcosignkey.pem, hello, derived/pemcosignkey.expected-pub.pem",
    "sigstore-rs/ecdsa_encrypted_private.key, 123, derived/sigstore-rs-ecdsa_encrypted.expected-pub.pem",
    "sigstore-rs/rsa_encrypted_private.key, 123, derived/sigstore-rs-rsa_encrypted.expected-pub.pem",
    "sigstore-rs/cosign_generated_encrypted_empty_private.key, '', "
        + "derived/sigstore-rs-cosign_generated_empty.expected-pub.pem",
  })
  void readPrivateKey_encryptedRepoKey_derivesExpectedPublicKey(String key, String password, String pub)
      throws Exception {
    assertEquals(Vectors.text(Vectors.fromRepos(pub)), derivedPublicPem(Vectors.fromRepos(key), password));
  }

  @Test
  void readPrivateKey_sigstoreRsEd25519Pkcs8v2_derivesTheEmbeddedPublicKey() throws Exception {
    Path file = Vectors.fromRepos("sigstore-rs/ed25519_encrypted_private.key");
    byte[] plaintext = TestKeys.openEnvelope(Vectors.bytes(file), "123".getBytes());
    byte[] embedded = PrivateKeyInfo.getInstance(plaintext).getPublicKeyData().getOctets();
    PublicKey derived = CosignKeyReader.publicKeyOf(CosignKeyReader.readPrivateKey(file, "123".getBytes()));
    assertEquals(83, plaintext.length);
    byte[] spki = derived.getEncoded();
    assertArrayEquals(embedded, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  @Test
  void readPrivateKey_pemCosignEcKeyWithSec1Plaintext_throwsNotPkcs8() {
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(
        Vectors.fromRepos("cosign-keys_test/pemcosigneckey.pem"), "hello".getBytes()));
    assertEquals("encrypted key does not hold a PKCS#8 private key: "
        + "corrupt private key: not a DER PKCS#8 PrivateKeyInfo", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "validecp256.pem, ECDSA_P256_SHA256",
    "validecp384.pem, ECDSA_P384_SHA384",
    "validecp521.pem, ECDSA_P521_SHA512",
    "validecpkcs8.pem, ECDSA_P256_SHA256",
    "validrsa.pem, RSA_PKCS1_SHA256",
    "validrsapkcs8.pem, RSA_PKCS1_SHA256",
    "ed25519key.pem, ED25519",
  })
  void readPrivateKey_unencryptedCosignTestKey_loadsWithItsScheme(String file, SigningAlgorithm expected)
      throws Exception {
    PrivateKey key = CosignKeyReader.readPrivateKey(Vectors.fromRepos("cosign-keys_test/" + file), new byte[0]);
    assertEquals(expected, SigningAlgorithm.defaultFor(key));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "invalidecp224.pem | unsupported elliptic curve P-224 (supported: P-256, P-384, P-521)",
    "invalidrsasmallkey.pem | unsupported RSA key size 1024 bits (supported: 2048, 3072, 4096)",
  })
  void readPrivateKey_invalidCosignTestKey_throwsUnsupported(String file, String message) {
    KeyFormatException e = assertThrows(KeyFormatException.class, () ->
        CosignKeyReader.readPrivateKey(Vectors.fromRepos("cosign-keys_test/" + file), new byte[0]));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "password \"{0}\"")
  @ValueSource(strings = {"", "hello", "password", "cosign", "123"})
  void readPrivateKey_cosignWorkflowKeyAnyPassword_throwsDecryptionFailed(String password) {
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(
        Vectors.fromRepos("cosign-workflow/cosign-test.key"), password.getBytes()));
    assertEquals("decryption failed: wrong password or corrupt key file", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "pemsigstorekey.blob.txt.sig", "pemsigstorekey.blob.txt.sig.b64",
    "sigstore-rs-cosign_generated_empty.blob.txt.sig", "sigstore-rs-cosign_generated_empty.blob.txt.sig.b64",
  })
  void verify_derivedSignatureByCosignMadeKey_succeeds(String sig) throws Exception {
    String pub = "derived/" + sig.substring(0, sig.indexOf(".blob.txt")) + ".expected-pub.pem";
    BlobVerifier v = BlobVerifier.builder(Vectors.publicKey(Vectors.fromRepos(pub))).build();
    SignatureMaterial m = SignatureMaterial.parseDetached(Vectors.bytes(Vectors.fromRepos("derived/" + sig)));
    assertDoesNotThrow(() -> v.verify(Vectors.fromRepos("derived/blob.txt"), m));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"managed-key-happy-path", "managed-key-and-trusted-root"})
  void verify_conformanceBundleWithItsKey_succeeds(String dir) throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        Vectors.bytes(Vectors.fromRepos("conformance/" + dir + "/bundle.sigstore.json")));
    BlobVerifier v = BlobVerifier.builder(Vectors.publicKey(Vectors.fromRepos("conformance/" + dir + "/key.pub")))
        .build();
    assertDoesNotThrow(() -> v.verify(Vectors.fromRepos("conformance/a.txt"), m));
  }

  @Test
  void parseBundle_conformanceHappyPath_reportsTransparencyLogEntry() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        Vectors.bytes(Vectors.fromRepos("conformance/managed-key-happy-path/bundle.sigstore.json")));
    assertTrue(m.hasTransparencyLogEntry());
  }

  @Test
  void readPublicKey_conformanceWrongKey_throwsPointNotOnCurve() {
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPublicKey(
        Vectors.fromRepos("conformance/managed-key-wrong-key_fail/key.pub")));
    assertEquals("corrupt EC public key: the point is not on the curve", e.getMessage());
  }

  @Test
  void parseBundle_conformanceNoKeyBundle_carriesNoUsableKey() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        Vectors.bytes(Vectors.fromRepos("conformance/managed-key-no-key_fail/bundle.sigstore.json")));
    assertNull(m.embeddedKey());
  }

  @Test
  void verify_derivedLegacyBundleOfHappyPath_succeeds() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        Vectors.bytes(Vectors.fromRepos("derived/managed-key-happy-path.legacy-bundle.json")));
    BlobVerifier v = BlobVerifier.builder(
        Vectors.publicKey(Vectors.fromRepos("conformance/managed-key-happy-path/key.pub"))).build();
    assertDoesNotThrow(() -> v.verify(Vectors.fromRepos("conformance/a.txt"), m));
  }

  @Test
  void parseBundle_derivedLegacyBundle_isLegacyWithTransparencyLogEntry() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(
        Vectors.bytes(Vectors.fromRepos("derived/managed-key-happy-path.legacy-bundle.json")));
    assertEquals(SignatureMaterial.Format.LEGACY_BUNDLE, m.format());
    assertTrue(m.hasTransparencyLogEntry());
  }
}
