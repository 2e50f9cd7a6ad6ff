package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.VerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rejections and limits of BlobVerifier, on fixtures generated in code (plus a few vectors). */
class BlobVerifierTest {
  private static final byte[] BLOB = "the blob that was signed\n".getBytes(StandardCharsets.UTF_8);
  static final String KEYLESS_WITH_KEY = "the bundle carries a signing certificate (a keyless signature), not a "
      + "signature by a key; verify it with an identity and a trusted root, not a key";
  private static final byte[] OTHER = "some other blob\n".getBytes(StandardCharsets.UTF_8);
  private static KeyPair p256;
  private static byte[] derSig;

  @TempDir Path dir;

  @BeforeAll
  static void sign() throws Exception {
    p256 = CosignKeyWriter.generateKeyPair();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(p256.getPrivate());
    s.update(BLOB);
    derSig = s.sign();
  }

  private static VerificationException rejected(PublicKey key, byte[] data, SignatureMaterial m) throws Exception {
    BlobVerifier v = BlobVerifier.builder(key).build();
    return assertThrows(VerificationException.class,
        () -> v.verify(new ByteArrayInputStream(data), data.length, m, ProgressListener.NONE));
  }

  private static String invalid(PublicKey key, String tried) {
    return "signature does not verify with key " + KeyId.hex(key) + " (tried " + tried + ")";
  }

  private static String p256Bundle(String digestB64) {
    return "{\"mediaType\":\"" + SignatureMaterial.BUNDLE_MEDIA_TYPE + "\",\"verificationMaterial\":{},"
        + "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"" + digestB64 + "\"},"
        + "\"signature\":\"" + Base64.getEncoder().encodeToString(derSig) + "\"}}";
  }

  @Test
  void verify_rawDerSignatureFile_succeeds() throws Exception {
    Path blob = TestKeys.write(dir, "blob", BLOB);
    SignatureMaterial m = SignatureMaterial.parseDetached(derSig);
    assertDoesNotThrow(() -> BlobVerifier.builder(p256.getPublic()).build().verify(blob, m));
  }

  @Test
  void verify_base64WithTrailingNewline_succeeds() throws Exception {
    Path blob = TestKeys.write(dir, "blob", BLOB);
    byte[] text = (Base64.getEncoder().encodeToString(derSig) + "\n").getBytes(StandardCharsets.US_ASCII);
    SignatureMaterial m = SignatureMaterial.parseDetached(text);
    assertDoesNotThrow(() -> BlobVerifier.builder(p256.getPublic()).build().verify(blob, m));
  }

  @Test
  void verify_p1363Signature_throwsMalformed() throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(p256.getPrivate());
    s.update(BLOB);
    VerificationException e = rejected(p256.getPublic(), BLOB, SignatureMaterial.parseDetached(s.sign()));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign rejects)", e.getMessage());
  }

  @Test
  void verify_truncatedSignature_throwsMalformed() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseDetached(Arrays.copyOf(derSig, derSig.length - 1));
    VerificationException e = rejected(p256.getPublic(), BLOB, m);
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign rejects)", e.getMessage());
  }

  @Test
  void verify_signatureOfAnotherFile_throwsSignatureInvalid() throws Exception {
    VerificationException e = rejected(p256.getPublic(), OTHER, SignatureMaterial.parseDetached(derSig));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals(invalid(p256.getPublic(), "[ECDSA_P256_SHA256]"), e.getMessage());
  }

  @Test
  void verify_anotherTrustedKey_throwsSignatureInvalid() throws Exception {
    PublicKey other = CosignKeyWriter.generateKeyPair().getPublic();
    VerificationException e = rejected(other, BLOB, SignatureMaterial.parseDetached(derSig));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals(invalid(other, "[ECDSA_P256_SHA256]"), e.getMessage());
  }

  /** A legacy cosign bundle with this test's signature but carrying {@code other} as its key. */
  private SignatureMaterial legacyBundleCarrying(PublicKey other) throws Exception {
    Base64.Encoder b64 = Base64.getEncoder();
    String json = "{\"base64Signature\":\"" + b64.encodeToString(derSig) + "\",\"cert\":\""
        + b64.encodeToString(CosignKeyWriter.publicKeyPem(other).getBytes(StandardCharsets.US_ASCII)) + "\"}";
    return SignatureMaterial.parseBundle(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void verify_legacyBundleCarryingAnotherKey_throwsUntrustedKey() throws Exception {
    PublicKey other = CosignKeyWriter.generateKeyPair().getPublic();
    VerificationException e = rejected(p256.getPublic(), BLOB, legacyBundleCarrying(other));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("signature carries key " + KeyId.hex(other) + ", not the trusted key "
        + KeyId.hex(p256.getPublic()), e.getMessage());
  }

  @Test
  void verifyDigests_sha256OfSignedBlob_succeeds() throws Exception {
    Map<String, byte[]> digests = Map.of("SHA-256", MessageDigest.getInstance("SHA-256").digest(BLOB));
    BlobVerifier v = BlobVerifier.builder(p256.getPublic()).build();
    assertDoesNotThrow(() -> v.verifyDigests(digests, SignatureMaterial.parseDetached(derSig)));
  }

  @Test
  void verifyDigests_truncatedSignature_throwsMalformed() throws Exception {
    Map<String, byte[]> digests = Map.of("SHA-256", MessageDigest.getInstance("SHA-256").digest(BLOB));
    SignatureMaterial m = SignatureMaterial.parseDetached(Arrays.copyOf(derSig, derSig.length - 1));
    BlobVerifier v = BlobVerifier.builder(p256.getPublic()).build();
    VerificationException e = assertThrows(VerificationException.class, () -> v.verifyDigests(digests, m));
    assertEquals(Reason.MALFORMED_SIGNATURE, e.reason());
    assertEquals("ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign rejects)", e.getMessage());
  }

  @Test
  void verifyDigests_legacyBundleCarryingAnotherKey_throwsUntrustedKey() throws Exception {
    PublicKey other = CosignKeyWriter.generateKeyPair().getPublic();
    SignatureMaterial m = legacyBundleCarrying(other);
    Map<String, byte[]> digests = Map.of("SHA-256", MessageDigest.getInstance("SHA-256").digest(BLOB));
    BlobVerifier v = BlobVerifier.builder(p256.getPublic()).build();
    VerificationException e = assertThrows(VerificationException.class, () -> v.verifyDigests(digests, m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals("signature carries key " + KeyId.hex(other) + ", not the trusted key "
        + KeyId.hex(p256.getPublic()), e.getMessage());
  }

  @Test
  void verify_keylessBundleWithAKey_throwsUntrustedKey() throws Exception {
    SignatureMaterial m = SignatureMaterial.parseBundle(Vectors.bytes(
        Vectors.fromRepos("sigstore-java-keyless/PKIX_ECDSA_P256_SHA_256.sigstore.json")));
    PublicKey trusted = Vectors.publicKey(Vectors.openssl("ecdsa-p256.pub.pem"));
    BlobVerifier v = BlobVerifier.builder(trusted).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(Vectors.fromRepos("sigstore-java-keyless/artifact.txt"), m));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason());
    assertEquals(KEYLESS_WITH_KEY, e.getMessage());
  }

  @Test
  void verify_bundleDigestDiffersWhileSignatureValid_throwsDigestMismatch() throws Exception {
    byte[] wrong = java.security.MessageDigest.getInstance("SHA-256").digest(OTHER);
    SignatureMaterial m = SignatureMaterial.parseBundle(
        p256Bundle(Base64.getEncoder().encodeToString(wrong)).getBytes(StandardCharsets.UTF_8));
    VerificationException e = rejected(p256.getPublic(), BLOB, m);
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
    assertEquals("artifact digest does not match the bundle's messageDigest (SHA2_256)", e.getMessage());
  }

  @Test
  void verify_p384LegacySha256BundleWithoutOptIn_throwsSignatureInvalid() throws Exception {
    PublicKey key = Vectors.publicKey(Vectors.openssl("ecdsa-p384.pub.pem"));
    SignatureMaterial m = SignatureMaterial.parseBundle(legacySha256P384Bundle());
    VerificationException e = assertThrows(VerificationException.class,
        () -> BlobVerifier.builder(key).build().verify(Vectors.openssl("blob.txt"), m));
    assertEquals(Reason.SIGNATURE_INVALID, e.reason());
    assertEquals("bundle digest SHA2_256 does not match the key's SHA2_384 "
        + "(for signatures by cosign 2.5 and earlier, accept legacy SHA-256)", e.getMessage());
  }

  @Test
  void verify_p384LegacySha256BundleWithOptIn_succeeds() throws Exception {
    PublicKey key = Vectors.publicKey(Vectors.openssl("ecdsa-p384.pub.pem"));
    SignatureMaterial m = SignatureMaterial.parseBundle(legacySha256P384Bundle());
    BlobVerifier v = BlobVerifier.builder(key).acceptLegacySha256(true).build();
    assertDoesNotThrow(() -> v.verify(Vectors.openssl("blob.txt"), m));
  }

  private static byte[] legacySha256P384Bundle() {
    String json = Vectors.text(Vectors.openssl("ecdsa-p256.blob.txt.sigstore.json")).replaceFirst(
        "\"signature\":\"[^\"]*\"", "\"signature\":\"" + Vectors.text(Vectors.openssl("ecdsa-p384.sha256.blob.txt.sig.b64")) + "\"");
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void verify_pureEd25519BundleOverLimit_throwsTooLarge() throws Exception {
    KeyPair ed = TestKeys.generate("Ed25519");
    byte[] data = new byte[17];
    SignatureMaterial m = SignatureMaterial.parseBundle(BlobSigner.create(ed.getPrivate())
        .sign(new ByteArrayInputStream(data), data.length, ProgressListener.NONE).toSigstoreBundleJson().getBytes(StandardCharsets.UTF_8));
    BlobVerifier v = BlobVerifier.builder(ed.getPublic()).maxPureEd25519Bytes(16).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(new ByteArrayInputStream(data), data.length, m, ProgressListener.NONE));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("pure Ed25519 signs the whole message, which is 17 bytes, over the 16-byte limit; "
        + "sign large files with an ECDSA key", e.getMessage());
  }

  @Test
  void verify_pureEd25519DetachedOverLimit_throwsTooLarge() throws Exception {
    KeyPair ed = TestKeys.generate("Ed25519");
    byte[] data = new byte[17];
    SignatureMaterial signed = BlobSigner.create(ed.getPrivate())
        .sign(new ByteArrayInputStream(data), data.length, ProgressListener.NONE);
    SignatureMaterial m = SignatureMaterial.parseDetached(signed.base64().getBytes(StandardCharsets.US_ASCII));
    BlobVerifier v = BlobVerifier.builder(ed.getPublic()).maxPureEd25519Bytes(16).build();
    VerificationException e = assertThrows(VerificationException.class,
        () -> v.verify(new ByteArrayInputStream(data), data.length, m, ProgressListener.NONE));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("pure Ed25519 signs the whole message, which is 17 bytes, over the 16-byte limit; "
        + "sign large files with an ECDSA key", e.getMessage());
  }

  @Test
  void verify_ed25519phDetachedOverPureLimit_succeeds() throws Exception {
    PublicKey key = Vectors.publicKey(Vectors.openssl("ed25519.pub.pem"));
    SignatureMaterial m = SignatureMaterial.parseDetached(Vectors.bytes(Vectors.openssl("ed25519.ph.blob.bin.sig")));
    BlobVerifier v = BlobVerifier.builder(key).maxPureEd25519Bytes(16).build();
    assertDoesNotThrow(() -> v.verify(Vectors.openssl("blob.bin"), m));
  }

  @Test
  void verify_fiveMebibyteFile_streamsAndSucceeds() throws Exception {
    byte[] data = new byte[5 << 20];
    new Random(42).nextBytes(data);
    Path blob = TestKeys.write(dir, "big.bin", data);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(p256.getPrivate());
    s.update(data);
    SignatureMaterial m = SignatureMaterial.parseDetached(s.sign());
    assertDoesNotThrow(() -> BlobVerifier.builder(p256.getPublic()).build().verify(blob, m));
  }

  @Test
  void verify_largeFile_reportsMonotonicProgressEndingWithTotal() throws Exception {
    byte[] data = new byte[20 << 20];
    new Random(7).nextBytes(data);
    Path blob = TestKeys.write(dir, "big.bin", data);
    SignatureMaterial m = BlobSigner.create(p256.getPrivate()).sign(blob, ProgressListener.NONE);
    List<long[]> calls = new ArrayList<>();
    BlobVerifier.builder(p256.getPublic()).build().verify(blob, m, (done, total) -> calls.add(new long[] {done, total}));
    assertTrue(calls.size() > 1, "expected intermediate progress reports");
    for (int i = 1; i < calls.size(); i++) {
      assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0]);
    }
    assertArrayEquals(new long[] {data.length, data.length}, calls.get(calls.size() - 1));
  }

  @Test
  void verify_inputStream_doesNotCloseIt() throws Exception {
    boolean[] closed = {false};
    InputStream in = new ByteArrayInputStream(BLOB) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    BlobVerifier.builder(p256.getPublic()).build().verify(in, -1, SignatureMaterial.parseDetached(derSig), ProgressListener.NONE);
    assertEquals(false, closed[0]);
  }

  @Test
  void verify_directory_throwsIOException() {
    IOException e = assertThrows(IOException.class, () -> BlobVerifier.builder(p256.getPublic()).build()
        .verify(dir, SignatureMaterial.parseDetached(derSig)));
    assertEquals(dir + " is a directory, not a file", e.getMessage());
  }

  @Test
  void build_maxPureEd25519BytesZero_throwsIllegalArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlobVerifier.builder(p256.getPublic()).maxPureEd25519Bytes(0).build());
    assertEquals("maxPureEd25519Bytes must be between 1 and 1 GiB", e.getMessage());
  }

  @Test
  void build_acceptLegacySha256ForEd25519_throwsIllegalArgument() {
    PublicKey ed = TestKeys.generate("Ed25519").getPublic();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlobVerifier.builder(ed).acceptLegacySha256(true).build());
    assertEquals("acceptLegacySha256 applies to ECDSA keys only", e.getMessage());
  }

  @Test
  void build_rsa1024Key_throwsUnsupportedSize() {
    PublicKey key = TestKeys.generate("RSA-1024").getPublic();
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> BlobVerifier.builder(key).build());
    assertEquals("unsupported RSA key size 1024 bits (supported: 2048, 3072, 4096)", e.getMessage());
  }

  @Test
  void build_p224Key_throwsUnsupportedCurve() {
    PublicKey key = TestKeys.generate("P-224").getPublic();
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> BlobVerifier.builder(key).build());
    assertEquals("unsupported elliptic curve of 224 bits (supported: P-256, P-384, P-521)", e.getMessage());
  }

  @Test
  void builder_nullKey_throwsNullPointer() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> BlobVerifier.builder(null));
    assertEquals("key", e.getMessage());
  }

  @Test
  void verify_emptyFileSignedByEcdsa_succeeds() throws Exception {
    Path blob = Files.write(dir.resolve("empty"), new byte[0]);
    SignatureMaterial m = BlobSigner.create(p256.getPrivate()).sign(blob, ProgressListener.NONE);
    assertDoesNotThrow(() -> BlobVerifier.builder(p256.getPublic()).build().verify(blob, m));
  }
}
