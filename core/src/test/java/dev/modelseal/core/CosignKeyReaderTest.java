package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error paths and edge cases of CosignKeyReader, on keys generated in code. */
class CosignKeyReaderTest {
  private static final byte[] PASSWORD = "correct horse".getBytes(StandardCharsets.UTF_8);
  private static KeyPair pair;
  private static String encrypted;
  private static String envelope;

  @TempDir Path dir;

  @BeforeAll
  static void makeKey() throws Exception {
    pair = TestKeys.generate("P-256");
    encrypted = CosignKeyWriter.encryptedPrivateKeyPem(pair.getPrivate(), PASSWORD);
    envelope = TestKeys.envelopeJson(encrypted.getBytes(StandardCharsets.US_ASCII));
  }

  private static KeyFormatException readEnvelope(String json) {
    byte[] pem = TestKeys.rewrap(CosignKeyReader.SIGSTORE_LABEL, json);
    return assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(pem, PASSWORD));
  }

  private static KeyFormatException readPublic(String text) {
    return assertThrows(KeyFormatException.class,
        () -> CosignKeyReader.readPublicKey(text.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void readPrivateKey_rightPassword_returnsTheKey() throws Exception {
    PrivateKey key = CosignKeyReader.readPrivateKey(encrypted.getBytes(StandardCharsets.US_ASCII), PASSWORD);
    assertEquals(pair.getPublic(), CosignKeyReader.publicKeyOf(key));
  }

  @Test
  void readPrivateKey_wrongPassword_throwsDecryptionFailed() {
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(
        encrypted.getBytes(StandardCharsets.US_ASCII), "Correct horse".getBytes(StandardCharsets.UTF_8)));
    assertEquals("decryption failed: wrong password or corrupt key file", e.getMessage());
  }

  @Test
  void readPrivateKey_passwordWithTrailingNewline_throwsDecryptionFailed() {
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(
        encrypted.getBytes(StandardCharsets.US_ASCII), "correct horse\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("decryption failed: wrong password or corrupt key file", e.getMessage());
  }

  @Test
  void readPrivateKey_flippedCiphertextByte_throwsDecryptionFailed() {
    int at = envelope.indexOf("\"ciphertext\":\"") + 20;
    char c = envelope.charAt(at);
    String tampered = envelope.substring(0, at) + (c == 'A' ? 'B' : 'A') + envelope.substring(at + 1);
    assertEquals("decryption failed: wrong password or corrupt key file", readEnvelope(tampered).getMessage());
  }

  @Test
  void readPrivateKey_oldCosignLabel_isAccepted() throws Exception {
    byte[] pem = TestKeys.rewrap(CosignKeyReader.COSIGN_LABEL, envelope);
    assertEquals(pair.getPublic(), CosignKeyReader.publicKeyOf(CosignKeyReader.readPrivateKey(pem, PASSWORD)));
  }

  @Test
  void readPrivateKey_unsupportedScryptCost_throwsUnsupportedParameters() {
    KeyFormatException e = readEnvelope(envelope.replace("\"N\":65536", "\"N\":16384"));
    assertEquals("unsupported scrypt parameters N=16384, r=8, p=1 "
        + "(supported: N of 32768, 65536 or 131072 with r=8, p=1)", e.getMessage());
  }

  @Test
  void readPrivateKey_unknownKdf_throwsUnsupportedKdf() {
    KeyFormatException e = readEnvelope(envelope.replace("\"name\":\"scrypt\"", "\"name\":\"pbkdf2\""));
    assertEquals("unsupported key derivation \"pbkdf2\" (expected scrypt)", e.getMessage());
  }

  @Test
  void readPrivateKey_unknownCipher_throwsUnsupportedCipher() {
    KeyFormatException e = readEnvelope(envelope.replace("nacl/secretbox", "aes-gcm"));
    assertEquals("unsupported cipher \"aes-gcm\" (expected nacl/secretbox)", e.getMessage());
  }

  @Test
  void readPrivateKey_shortNonce_throwsNonceSize() {
    String json = envelope.replaceFirst("\"nonce\":\"[^\"]*\"", "\"nonce\":\"AAAAAAAAAAAAAAAA\"");
    assertEquals("corrupt encrypted key: nonce is 12 bytes, expected 24", readEnvelope(json).getMessage());
  }

  @Test
  void readPrivateKey_envelopeNotJson_throwsCorrupt() {
    assertEquals("corrupt encrypted key: unexpected character 'h' at offset 0",
        readEnvelope("hello").getMessage());
  }

  @Test
  void readPrivateKey_envelopeWithoutKdf_throwsCorrupt() {
    assertEquals("corrupt encrypted key: \"kdf\" is missing or not an object",
        readEnvelope("{\"cipher\":{}}").getMessage());
  }

  @Test
  void readPrivateKey_openSslEncryptedPkcs8_throwsUnsupportedType() {
    byte[] pem = TestKeys.rewrap("ENCRYPTED PRIVATE KEY", "{}");
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(pem, PASSWORD));
    assertEquals("unsupported private key PEM type ENCRYPTED PRIVATE KEY", e.getMessage());
  }

  @Test
  void readPrivateKey_fileLargerThanLimit_throwsTooLarge() {
    Path big = TestKeys.write(dir, "big.key", new byte[CosignKeyReader.MAX_KEY_FILE_BYTES + 1]);
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> CosignKeyReader.readPrivateKey(big, PASSWORD));
    assertEquals(big + " is larger than 65536 bytes: not a key file", e.getMessage());
  }

  @Test
  void readPrivateKey_directory_throwsIOException() {
    IOException e = assertThrows(IOException.class, () -> CosignKeyReader.readPrivateKey(dir, PASSWORD));
    assertEquals(dir + " is a directory, not a key file", e.getMessage());
  }

  @Test
  void readPublicKey_generatedKeyPem_returnsTheKey() throws Exception {
    String pem = CosignKeyWriter.publicKeyPem(pair.getPublic());
    assertEquals(pair.getPublic(), CosignKeyReader.readPublicKey(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void readPublicKey_crlfLineEnds_returnsTheKey() throws Exception {
    String pem = CosignKeyWriter.publicKeyPem(pair.getPublic()).replace("\n", "\r\n");
    assertEquals(pair.getPublic(), CosignKeyReader.readPublicKey(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void readPublicKey_notPem_throwsNotPem() {
    assertEquals("not a PEM file: no -----BEGIN line", readPublic("ssh-ed25519 AAAA").getMessage());
  }

  @Test
  void readPublicKey_missingEndLine_throwsTruncated() {
    String pem = CosignKeyWriter.publicKeyPem(pair.getPublic());
    assertEquals("truncated PEM file: no -----END PUBLIC KEY----- line",
        readPublic(pem.substring(0, pem.indexOf("-----END"))).getMessage());
  }

  @Test
  void readPublicKey_invalidBase64Body_throwsCorruptPem() {
    String pem = CosignKeyWriter.publicKeyPem(pair.getPublic());
    int body = pem.indexOf('\n') + 5;
    assertEquals("corrupt PEM file: invalid base64 in PUBLIC KEY block",
        readPublic(pem.substring(0, body) + "*" + pem.substring(body + 1)).getMessage());
  }

  @Test
  void readPublicKey_pemHeaders_throwsUnsupportedHeaders() {
    String pem = CosignKeyWriter.publicKeyPem(pair.getPublic()).replaceFirst("\n", "\nProc-Type: 4,ENCRYPTED\n\n");
    assertEquals("unsupported PEM headers in PUBLIC KEY block", readPublic(pem).getMessage());
  }

  @Test
  void readPublicKey_privateKeyPem_throwsExpectedPublicKey() {
    assertEquals("expected a PEM PUBLIC KEY, found ENCRYPTED SIGSTORE PRIVATE KEY",
        readPublic(encrypted).getMessage());
  }

  @Test
  void readPublicKey_notSubjectPublicKeyInfo_throwsCorrupt() {
    assertEquals("corrupt public key: not a DER SubjectPublicKeyInfo",
        readPublic(Pem.encode("PUBLIC KEY", new byte[] {1, 2, 3, 4})).getMessage());
  }

  @Test
  void readPublicKey_rsa1024_throwsUnsupportedSize() {
    String pem = CosignKeyWriter.publicKeyPem(TestKeys.generate("RSA-1024").getPublic());
    assertEquals("unsupported RSA key size 1024 bits (supported: 2048, 3072, 4096)", readPublic(pem).getMessage());
  }

  @Test
  void isEncrypted_cosignKey_returnsTrue() {
    assertTrue(CosignKeyReader.isEncrypted(encrypted.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void isEncrypted_unencryptedPkcs8_returnsFalse() {
    assertFalse(CosignKeyReader.isEncrypted(Vectors.bytes(Vectors.openssl("ecdsa-p256.key.pem"))));
  }
}
