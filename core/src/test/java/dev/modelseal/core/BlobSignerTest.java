package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobSignerTest {
  private static final byte[] BLOB = "model weights, more or less\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private static SignatureMaterial sign(KeyPair pair, byte[] data) throws Exception {
    return BlobSigner.create(pair.getPrivate()).sign(new ByteArrayInputStream(data), data.length, ProgressListener.NONE);
  }

  private static PrivateKey vectorKey(String name) throws Exception {
    return CosignKeyReader.readPrivateKey(Vectors.openssl(name + ".key.pem"), new byte[0]);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"P-256, ECDSA_P256_SHA256", "P-384, ECDSA_P384_SHA384", "P-521, ECDSA_P521_SHA512",
      "RSA-2048, RSA_PKCS1_SHA256", "Ed25519, ED25519"})
  void algorithm_keyType_followsCosign26(String kind, SigningAlgorithm expected) throws Exception {
    assertEquals(expected, BlobSigner.create(TestKeys.generate(kind).getPrivate()).algorithm());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P-256", "P-384", "P-521", "RSA-2048", "Ed25519"})
  void sign_detachedBase64_verifiesWithThePublicKey(String kind) throws Exception {
    KeyPair pair = TestKeys.generate(kind);
    Path blob = TestKeys.write(dir, "blob", BLOB);
    SignatureMaterial signed = BlobSigner.create(pair.getPrivate()).sign(blob, ProgressListener.NONE);
    SignatureMaterial parsed = SignatureMaterial.parseDetached(signed.base64().getBytes(StandardCharsets.US_ASCII));
    assertDoesNotThrow(() -> BlobVerifier.builder(pair.getPublic()).build().verify(blob, parsed));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P-256", "P-384", "P-521", "RSA-2048", "Ed25519"})
  void sign_sigstoreBundle_verifiesWithThePublicKey(String kind) throws Exception {
    KeyPair pair = TestKeys.generate(kind);
    Path blob = TestKeys.write(dir, "blob", BLOB);
    SignatureMaterial bundle = SignatureMaterial.parseBundle(
        sign(pair, BLOB).toSigstoreBundleJson().getBytes(StandardCharsets.UTF_8));
    assertDoesNotThrow(() -> BlobVerifier.builder(pair.getPublic()).build().verify(blob, bundle));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"P-256, SHA2_256, SHA-256", "P-384, SHA2_384, SHA-384", "P-521, SHA2_512, SHA-512",
      "RSA-2048, SHA2_256, SHA-256"})
  void toSigstoreBundleJson_signed_recordsHintDigestAndSignature(String kind, String name, String jca)
      throws Exception {
    KeyPair pair = TestKeys.generate(kind);
    SignatureMaterial signed = sign(pair, BLOB);
    Map<?, ?> doc = (Map<?, ?>) Json.parse(signed.toSigstoreBundleJson());
    Map<?, ?> ms = (Map<?, ?>) doc.get("messageSignature");
    Base64.Encoder b64 = Base64.getEncoder();
    assertEquals(List.of(SignatureMaterial.BUNDLE_MEDIA_TYPE, Map.of("publicKey", Map.of("hint", KeyId.hint(pair.getPublic()))),
            Map.of("algorithm", name, "digest", b64.encodeToString(MessageDigest.getInstance(jca).digest(BLOB))),
            signed.base64()),
        List.of(doc.get("mediaType"), doc.get("verificationMaterial"), ms.get("messageDigest"), ms.get("signature")));
  }

  @Test
  void toSigstoreBundleJson_ed25519Vector_isByteIdenticalToVectorBundle() throws Exception {
    SignatureMaterial signed = BlobSigner.create(vectorKey("ed25519")).sign(Vectors.openssl("blob.txt"), ProgressListener.NONE);
    assertEquals(Vectors.text(Vectors.openssl("ed25519-pure.blob.txt.sigstore.json")), signed.toSigstoreBundleJson());
  }

  @Test
  void toSigstoreBundleJson_rsa2048Vector_isByteIdenticalToVectorBundle() throws Exception {
    SignatureMaterial signed = BlobSigner.create(vectorKey("rsa-2048")).sign(Vectors.openssl("blob.txt"), ProgressListener.NONE);
    assertEquals(Vectors.text(Vectors.openssl("rsa-2048.blob.txt.sigstore.json")), signed.toSigstoreBundleJson());
  }

  @Test
  void base64_ed25519Vector_equalsOpensslSignatureFile() throws Exception {
    SignatureMaterial signed = BlobSigner.create(vectorKey("ed25519")).sign(Vectors.openssl("blob.bin"), ProgressListener.NONE);
    assertEquals(Vectors.text(Vectors.openssl("ed25519.pure.blob.bin.sig.b64")), signed.base64());
  }

  @Test
  void signature_rsa4096Vector_equalsOpensslSignatureFile() throws Exception {
    SignatureMaterial signed = BlobSigner.create(vectorKey("rsa-4096")).sign(Vectors.openssl("blob.bin"), ProgressListener.NONE);
    assertArrayEquals(Vectors.bytes(Vectors.openssl("rsa-4096.sha256.blob.bin.sig")), signed.signature());
  }

  @Test
  void sign_ed25519KnownSizeOverLimit_throwsTooLarge() throws Exception {
    BlobSigner signer = BlobSigner.create(TestKeys.generate("Ed25519").getPrivate());
    long size = BlobVerifier.DEFAULT_MAX_PURE_ED25519_BYTES + 1;
    VerificationException e = assertThrows(VerificationException.class,
        () -> signer.sign(new ByteArrayInputStream(new byte[0]), size, ProgressListener.NONE));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("pure Ed25519 signs the whole message, which is 33554433 bytes, over the 33554432-byte limit; "
        + "sign large files with an ECDSA key", e.getMessage());
  }

  @Test
  void sign_ed25519UnknownSizeStreamOverLimit_throwsTooLarge() throws Exception {
    BlobSigner signer = BlobSigner.create(TestKeys.generate("Ed25519").getPrivate());
    byte[] data = new byte[(int) BlobVerifier.DEFAULT_MAX_PURE_ED25519_BYTES + 1];
    VerificationException e = assertThrows(VerificationException.class,
        () -> signer.sign(new ByteArrayInputStream(data), -1, ProgressListener.NONE));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("pure Ed25519 signs the whole message, which is 33554433 bytes, over the 33554432-byte limit; "
        + "sign large files with an ECDSA key", e.getMessage());
  }

  @Test
  void sign_directory_throwsIOException() throws Exception {
    BlobSigner signer = BlobSigner.create(CosignKeyWriter.generateKeyPair().getPrivate());
    IOException e = assertThrows(IOException.class, () -> signer.sign(dir, ProgressListener.NONE));
    assertEquals(dir + " is a directory, not a file", e.getMessage());
  }

  @Test
  void sign_file_reportsFinalProgress() throws Exception {
    Path blob = TestKeys.write(dir, "blob", BLOB);
    List<long[]> calls = new ArrayList<>();
    BlobSigner.create(CosignKeyWriter.generateKeyPair().getPrivate()).sign(blob, (d, t) -> calls.add(new long[] {d, t}));
    assertArrayEquals(new long[] {BLOB.length, BLOB.length}, calls.get(calls.size() - 1));
  }

  @Test
  void create_rsa1024_throwsUnsupportedSize() {
    PrivateKey key = TestKeys.generate("RSA-1024").getPrivate();
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> BlobSigner.create(key));
    assertEquals("unsupported RSA key size 1024 bits (supported: 2048, 3072, 4096)", e.getMessage());
  }

  @Test
  void publicKey_signer_isThePairsPublicKey() throws Exception {
    KeyPair pair = TestKeys.generate("P-384");
    assertEquals(pair.getPublic(), BlobSigner.create(pair.getPrivate()).publicKey());
  }
}
