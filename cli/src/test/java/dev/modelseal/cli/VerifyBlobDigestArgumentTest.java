package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyId;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FILE argument {@code sha256:<hex>} (Sigstore conformance protocol) of {@code verify-blob} with a
 * key: the digest is checked instead of a file, unless a file of that name exists.
 */
class VerifyBlobDigestArgumentTest {
  @TempDir Path dir;
  CliRunner cli;
  String digest;

  @BeforeEach
  void sign() throws Exception {
    cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    cli.write("model.bin", "the model weights");
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "model.sig",
        "--bundle", "model.sigstore.json", "model.bin").status());
    digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cli.read("model.bin")));
  }

  private void assertOk(CliRunner.Result r) {
    assertEquals("Verified OK\n", r.err());
    assertEquals(0, r.status());
  }

  private void assertFails(String expectedErr, CliRunner.Result r) {
    assertEquals(expectedErr, r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  @Test
  void verifyBlob_digestWithBundle_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "model.sigstore.json", digest));
  }

  @Test
  void verifyBlob_upperCaseDigestWithSignature_verifiedOk() {
    assertOk(cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig",
        "sha256:" + digest.substring(7).toUpperCase(java.util.Locale.ROOT)));
  }

  @Test
  void verifyBlob_otherDigest_fails() throws Exception {
    String key = KeyId.hex(CosignKeyReader.readPublicKey(cli.read("cosign.pub")));
    assertFails("Error: verification failed: signature does not verify with key " + key
        + " (tried [ECDSA_P256_SHA256])\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", "sha256:" + "ab".repeat(32)));
  }

  @Test
  void verifyBlob_fileNamedLikeADigest_isReadAsAFile() {
    cli.write(digest, "not the model");
    assertFails("Error: verification failed: signature does not verify with key "
        + keyHex() + " (tried [ECDSA_P256_SHA256])\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--signature", "model.sig", digest));
  }

  private String keyHex() {
    try {
      return KeyId.hex(CosignKeyReader.readPublicKey(cli.read("cosign.pub")));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void verifyBlob_sha384BundleFromSha256Digest_clearError() {
    KeyPair p384 = TestKeys.ec("secp384r1");
    cli.write("p384.pem", TestKeys.privatePem(p384));
    cli.write("p384.pub", TestKeys.publicPem(p384));
    assertEquals(0, cli.run("sign-blob", "--key", "p384.pem", "--bundle", "b384.json", "model.bin").status());
    assertOk(cli.run("verify-blob", "--key", "p384.pub", "--bundle", "b384.json", "model.bin"));
    assertFails("Error: bundle b384.json signs the SHA-384 digest of the file, which cannot be checked from the "
        + "sha256 digest " + digest + ": pass the file itself\n",
        cli.run("verify-blob", "--key", "p384.pub", "--bundle", "b384.json", digest));
  }

  @Test
  void parse_digestForms_readAsDigestOnlyWhenWellFormed() throws Exception {
    CliIo io = CliIo.builder().cwd(dir).build();
    BlobArgument d = BlobArgument.parse(io, digest);
    assertTrue(d.isDigest());
    assertNull(d.file());
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(cli.read("model.bin")), d.sha256());
    assertTrue(BlobArgument.parse(io, "-").isStdin());
    assertFalse(BlobArgument.parse(io, "model.bin").isDigest());
    for (String bad : new String[] {"sha256:" + "a".repeat(63), "sha256:" + "a".repeat(65), "sha512:" + "a".repeat(64),
        "SHA256:" + "a".repeat(64), "sha256:" + "g".repeat(64)}) {
      assertEquals("cannot read " + bad + ": no such file",
          org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> BlobArgument.parse(io, bad))
              .getMessage());
    }
  }
}
