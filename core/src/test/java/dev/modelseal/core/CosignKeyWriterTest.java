package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CosignKeyWriterTest {
  private static final byte[] PASSWORD = "pw".getBytes(StandardCharsets.UTF_8);

  private static PrivateKey roundTrip(PrivateKey key, byte[] password) throws Exception {
    String pem = CosignKeyWriter.encryptedPrivateKeyPem(key, password);
    return CosignKeyReader.readPrivateKey(pem.getBytes(StandardCharsets.US_ASCII), password);
  }

  @Test
  void generateKeyPair_default_isP256() throws Exception {
    KeyPair pair = CosignKeyWriter.generateKeyPair();
    assertEquals(SigningAlgorithm.ECDSA_P256_SHA256, SigningAlgorithm.defaultFor(pair.getPublic()));
  }

  @Test
  void publicKeyPem_generatedP256_is178BytesWith64ColumnLines() {
    String pem = CosignKeyWriter.publicKeyPem(CosignKeyWriter.generateKeyPair().getPublic());
    assertEquals(178, pem.length());
    assertTrue(pem.matches("-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/]{64}\n[A-Za-z0-9+/=]{60}\n"
        + "-----END PUBLIC KEY-----\n"), pem);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-4096", "ed25519"})
  void publicKeyPem_vectorPublicKey_isByteIdenticalToVectorFile(String name) throws Exception {
    String expected = Vectors.text(Vectors.openssl(name + ".pub.pem"));
    assertEquals(expected, CosignKeyWriter.publicKeyPem(Vectors.publicKey(Vectors.openssl(name + ".pub.pem"))));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P-256", "P-384", "P-521", "RSA-2048", "Ed25519"})
  void encryptedPrivateKeyPem_generatedKey_decryptsToTheSameKey(String kind) throws Exception {
    KeyPair pair = TestKeys.generate(kind);
    assertEquals(pair.getPublic(), CosignKeyReader.publicKeyOf(roundTrip(pair.getPrivate(), PASSWORD)));
  }

  @Test
  void encryptedPrivateKeyPem_emptyPassword_decryptsWithEmptyPassword() throws Exception {
    KeyPair pair = CosignKeyWriter.generateKeyPair();
    assertEquals(pair.getPublic(), CosignKeyReader.publicKeyOf(roundTrip(pair.getPrivate(), new byte[0])));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-4096", "ed25519"})
  void encryptedPrivateKeyPem_vectorKey_plaintextIsTheCanonicalPkcs8(String name) throws Exception {
    PrivateKey key = CosignKeyReader.readPrivateKey(Vectors.openssl(name + ".key.pem"), new byte[0]);
    String pem = CosignKeyWriter.encryptedPrivateKeyPem(key, PASSWORD);
    byte[] plaintext = TestKeys.openEnvelope(pem.getBytes(StandardCharsets.US_ASCII), PASSWORD);
    assertArrayEquals(Vectors.bytes(Vectors.openssl(name + ".key.pkcs8.der")), plaintext);
  }

  @Test
  void encryptedPrivateKeyPem_any_writesGoFieldOrderWithCosignParameters() throws Exception {
    String pem = CosignKeyWriter.encryptedPrivateKeyPem(CosignKeyWriter.generateKeyPair().getPrivate(), PASSWORD);
    String json = TestKeys.envelopeJson(pem.getBytes(StandardCharsets.US_ASCII));
    assertTrue(json.matches("\\{\"kdf\":\\{\"name\":\"scrypt\",\"params\":\\{\"N\":65536,\"r\":8,\"p\":1},"
        + "\"salt\":\"[A-Za-z0-9+/]{43}=\"},\"cipher\":\\{\"name\":\"nacl/secretbox\","
        + "\"nonce\":\"[A-Za-z0-9+/]{32}\"},\"ciphertext\":\"[A-Za-z0-9+/=]+\"}"), json);
  }

  @Test
  void encryptedPrivateKeyPem_any_usesSigstoreLabel() throws Exception {
    String pem = CosignKeyWriter.encryptedPrivateKeyPem(CosignKeyWriter.generateKeyPair().getPrivate(), PASSWORD);
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), pem);
    assertTrue(pem.endsWith("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), pem);
  }

  @Test
  void encryptedPrivateKeyPem_sameKeyTwice_usesFreshSaltAndNonce() throws Exception {
    PrivateKey key = CosignKeyWriter.generateKeyPair().getPrivate();
    assertNotEquals(CosignKeyWriter.encryptedPrivateKeyPem(key, PASSWORD),
        CosignKeyWriter.encryptedPrivateKeyPem(key, PASSWORD));
  }

  @Test
  void encryptedPrivateKeyPem_rsa1024_throwsUnsupportedSize() {
    PrivateKey key = TestKeys.generate("RSA-1024").getPrivate();
    KeyFormatException e = assertThrows(KeyFormatException.class,
        () -> CosignKeyWriter.encryptedPrivateKeyPem(key, PASSWORD));
    assertEquals("unsupported RSA key size 1024 bits (supported: 2048, 3072, 4096)", e.getMessage());
  }
}
