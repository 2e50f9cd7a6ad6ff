package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-blob-attestation --key}: DSSE bundles made here with {@code sign-blob} over the DSSE
 * pre-authentication encoding of an in-toto statement, as {@code cosign attest-blob --key} makes them.
 */
class VerifyBlobAttestationKeyTest {
  static final String PREDICATE = "https://example.com/predicate/v1";
  static final String IN_TOTO = "application/vnd.in-toto+json";

  @TempDir Path dir;
  CliRunner cli;
  String modelSha256;

  @BeforeEach
  void attest() throws Exception {
    cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    cli.write("model.bin", "the model weights");
    cli.write("other.bin", "other weights");
    modelSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cli.read("model.bin")));
    cli.write("att.json", attestation(IN_TOTO, statement(modelSha256)));
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--bundle", "plain.json", "model.bin").status());
  }

  static String statement(String sha256) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":["
        + "{\"name\":\"x\",\"digest\":{\"sha256\":\"0000\"}},"
        + "{\"name\":\"model.bin\",\"digest\":{\"sha256\":\"" + sha256 + "\"}}],\"predicateType\":\"" + PREDICATE
        + "\",\"predicate\":{}}";
  }

  /** Signs the statement's PAE with cosign.key and returns a v0.3 bundle with its DSSE envelope. */
  String attestation(String payloadType, String statement) {
    byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
    cli.write("pae.bin", pae(payloadType, payload));
    assertEquals(0, cli.run("sign-blob", "--key", "cosign.key", "--bundle", "pae.json", "pae.bin").status());
    String signed = cli.readString("pae.json");
    String sig = signed.replaceAll("(?s).*\"signature\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    String hint = signed.replaceAll("(?s).*\"hint\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    return envelopeBundle(hint, Base64.getEncoder().encodeToString(payload), payloadType, "[{\"sig\":\"" + sig
        + "\",\"keyid\":\"\"}]");
  }

  /** DSSE v1 pre-authentication encoding: what the envelope's signature signs. */
  static byte[] pae(String type, byte[] payload) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(t);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  static String envelopeBundle(String hint, String payloadB64, String payloadType, String signatures) {
    return "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":"
        + "{\"publicKey\":{\"hint\":\"" + hint + "\"},\"tlogEntries\":[]},\"dsseEnvelope\":{\"payload\":\""
        + payloadB64 + "\",\"payloadType\":\"" + payloadType + "\",\"signatures\":" + signatures + "}}";
  }

  private CliRunner.Result verify(String... tail) {
    String[] args = new String[4 + tail.length];
    System.arraycopy(new String[] {"verify-blob-attestation", "--key", "cosign.pub", "--bundle"}, 0, args, 0, 4);
    System.arraycopy(tail, 0, args, 4, tail.length);
    return cli.run(args);
  }

  private void assertOk(CliRunner.Result r) {
    assertEquals("Verified OK\n", r.err());
    assertEquals(0, r.status());
    assertEquals("", r.out());
  }

  private void assertFails(String expectedErr, CliRunner.Result r) {
    assertEquals(expectedErr, r.err());
    assertEquals(1, r.status());
    assertEquals("", r.out());
  }

  @Test
  void verifyBlobAttestation_subjectFile_verifiedOk() {
    assertOk(verify("att.json", "model.bin"));
  }

  @Test
  void verifyBlobAttestation_subjectDigest_verifiedOk() {
    assertOk(verify("att.json", "sha256:" + modelSha256.toUpperCase(java.util.Locale.ROOT)));
  }

  @Test
  void verifyBlobAttestation_stdin_verifiedOk() {
    cli.stdin = cli.read("model.bin");
    assertOk(verify("att.json", "-"));
  }

  @Test
  void verifyBlobAttestation_matchingType_verifiedOk() {
    assertOk(verify("att.json", "--type", PREDICATE, "model.bin"));
  }

  @Test
  void verifyBlobAttestation_otherType_fails() {
    assertFails("Error: verification failed: invalid predicate type, expected https://slsa.dev/provenance/v0.2 got "
        + PREDICATE + "\n", verify("att.json", "--type", "slsaprovenance", "model.bin"));
  }

  @Test
  void verifyBlobAttestation_fileNotASubject_fails() throws Exception {
    String other = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cli.read("other.bin")));
    assertFails("Error: verification failed: the artifact (sha256:" + other + ") is not a subject of the in-toto "
        + "statement\n", verify("att.json", "other.bin"));
  }

  @Test
  void verifyBlobAttestation_digestNotASubject_fails() {
    String zeros = "0".repeat(63) + "1";
    assertFails("Error: verification failed: the artifact (sha256:" + zeros + ") is not a subject of the in-toto "
        + "statement\n", verify("att.json", "sha256:" + zeros));
  }

  @Test
  void verifyBlobAttestation_otherKey_fails() throws Exception {
    assertEquals(0, CliRunner.withPassword(dir, "pw").run("generate-key-pair", "--output-key-prefix", "k2").status());
    String other = KeyId.hex(CosignKeyReader.readPublicKey(cli.read("k2.pub")));
    assertFails("Error: verification failed: DSSE signature does not verify with key " + other + "\n",
        cli.run("verify-blob-attestation", "--key", "k2.pub", "--bundle", "att.json", "model.bin"));
  }

  @Test
  void verifyBlobAttestation_payloadSwapped_fails() throws Exception {
    String signed = cli.readString("att.json");
    String swapped = signed.replaceAll("\"payload\":\"[^\"]+\"", "\"payload\":\"" + Base64.getEncoder()
        .encodeToString(statement(modelSha256).replace("predicate/v1", "predicate/v2")
            .getBytes(StandardCharsets.UTF_8)) + "\"");
    cli.write("swapped.json", swapped);
    String key = KeyId.hex(CosignKeyReader.readPublicKey(cli.read("cosign.pub")));
    assertFails("Error: verification failed: DSSE signature does not verify with key " + key + "\n",
        verify("swapped.json", "model.bin"));
  }

  @Test
  void verifyBlobAttestation_notInToto_fails() {
    cli.write("text.json", attestation("text/plain", statement(modelSha256)));
    assertFails("Error: verification failed: DSSE payload type text/plain is not an in-toto statement "
        + "(application/vnd.in-toto+json)\n",
        verify("text.json", "model.bin"));
  }

  @Test
  void verifyBlobAttestation_messageSignatureBundle_sentToVerifyBlob() {
    assertFails("Error: bundle plain.json holds a signature, not an attestation (a DSSE envelope): verify it with "
        + "verify-blob\n", verify("plain.json", "model.bin"));
  }

  @Test
  void verifyBlob_attestation_sentToVerifyBlobAttestation() {
    assertFails("Error: bundle att.json holds an attestation (a DSSE envelope), not a signature of the file: verify "
        + "it with verify-blob-attestation\n",
        cli.run("verify-blob", "--key", "cosign.pub", "--bundle", "att.json", "model.bin"));
  }
}
