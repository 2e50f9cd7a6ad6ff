package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with OpenSSL, per key type: what {@code modelseal sign-blob} makes verifies with
 * {@code openssl dgst -verify} / {@code openssl pkeyutl -verify}, and what OpenSSL signs verifies with
 * {@code modelseal verify-blob}. Keys are made by {@code openssl genpkey} and imported with
 * {@code modelseal import-key-pair}.
 */
class OpensslInteropTest {
  @BeforeAll
  static void needsOpenssl() {
    boolean found = false;
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      found |= !d.isEmpty() && Files.isExecutable(Path.of(d, "openssl"));
    }
    Assumptions.assumeTrue(found, "openssl is not on PATH");
  }

  private record Proc(int status, String output) {}

  private static Proc openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "openssl timed out: " + cmd);
    return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static void ok(Proc p) {
    assertEquals(0, p.status(), p.output());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "ecdsa-p256, EC, ec_paramgen_curve:P-256, -sha256",
      "ecdsa-p384, EC, ec_paramgen_curve:P-384, -sha384",
      "ecdsa-p521, EC, ec_paramgen_curve:P-521, -sha512",
      "rsa-2048,   RSA, rsa_keygen_bits:2048,   -sha256",
      "rsa-4096,   RSA, rsa_keygen_bits:4096,   -sha256",
      "ed25519,    ED25519, '',                 ''"})
  void interop_keyType_bothDirectionsVerify(String name, String algorithm, String keyOpt, String digest,
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    boolean ed = digest == null || digest.isEmpty();
    CliRunner cli = CliRunner.withPassword(dir, "interop");
    byte[] blob = new byte[1 << 20];
    new Random(42).nextBytes(blob);
    cli.write("blob", blob);
    blob[12345] ^= 1;
    cli.write("tampered", blob);

    List<String> gen = new ArrayList<>(List.of("genpkey", "-algorithm", algorithm, "-out", "key.pem"));
    if (keyOpt != null && !keyOpt.isEmpty()) {
      gen.addAll(List.of("-pkeyopt", keyOpt));
      if (algorithm.equals("EC")) {
        gen.addAll(List.of("-pkeyopt", "ec_param_enc:named_curve"));
      }
    }
    ok(openssl(dir, gen.toArray(String[]::new)));
    ok(openssl(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"));

    // import into cosign's format; the .pub is byte-identical to openssl's
    CliRunner.Result imp = cli.run("import-key-pair", "--key", "key.pem", "-o", "imp");
    assertEquals(0, imp.status(), imp.err());
    assertArrayEquals(cli.read("pub.pem"), cli.read("imp.pub"), name);

    // (1) modelseal signs, openssl verifies
    CliRunner.Result s = cli.run("sign-blob", "--key", "imp.key", "--output-signature", "ms.sig.b64", "blob");
    assertEquals(0, s.status(), s.err());
    cli.write("ms.sig", Base64.getDecoder().decode(cli.read("ms.sig.b64")));
    Proc verified = ed
        ? openssl(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "blob", "-sigfile", "ms.sig")
        : openssl(dir, "dgst", digest, "-verify", "pub.pem", "-signature", "ms.sig", "blob");
    ok(verified);
    assertTrue(verified.output().contains("Verified") || verified.output().contains("Signature Verified Successfully"),
        verified.output());
    Proc rejected = ed
        ? openssl(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "tampered", "-sigfile",
            "ms.sig")
        : openssl(dir, "dgst", digest, "-verify", "pub.pem", "-signature", "ms.sig", "tampered");
    assertNotEquals(0, rejected.status(), rejected.output());
    assertTrue(rejected.output().toLowerCase(java.util.Locale.ROOT).contains("verification failure"),
        rejected.output());

    // (2) openssl signs, modelseal verifies (raw DER file and base64 text)
    ok(ed ? openssl(dir, "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "blob", "-out", "os.sig")
        : openssl(dir, "dgst", digest, "-sign", "key.pem", "-out", "os.sig", "blob"));
    CliRunner.Result v = cli.run("verify-blob", "--key", "pub.pem", "--signature", "os.sig", "blob");
    assertEquals("Verified OK\n", v.err(), name);
    assertEquals(0, v.status());
    cli.write("os.sig.b64", Base64.getEncoder().encodeToString(cli.read("os.sig")));
    assertEquals(0, cli.run("verify-blob", "--key", "imp.pub", "--signature", "os.sig.b64", "--insecure-ignore-tlog",
        "blob").status());
    CliRunner.Result bad = cli.run("verify-blob", "--key", "pub.pem", "--signature", "os.sig", "tampered");
    assertEquals(1, bad.status());
    assertTrue(bad.err().startsWith("Error: verification failed: signature does not verify with key "), bad.err());
  }

  @org.junit.jupiter.api.Test
  void p224Key_signImportVerify_failUnsupportedCurve(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.write("blob", "data");
    ok(openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-224", "-pkeyopt",
        "ec_param_enc:named_curve", "-out", "p224.pem"));
    ok(openssl(dir, "ec", "-in", "p224.pem", "-out", "p224.sec1.pem"));
    ok(openssl(dir, "pkey", "-in", "p224.pem", "-pubout", "-out", "p224.pub"));
    String unsupported = ": unsupported elliptic curve P-224 (supported: P-256, P-384, P-521)\n";
    assertEquals("Error: cannot use key p224.pem" + unsupported,
        cli.run("sign-blob", "--key", "p224.pem", "--output-signature", "s", "blob").err());
    assertEquals("Error: cannot use key p224.sec1.pem" + unsupported,
        cli.run("import-key-pair", "--key", "p224.sec1.pem").err());
    CliRunner.Result v = cli.run("verify-blob", "--key", "p224.pub", "--signature", "AAAA", "blob");
    assertEquals("Error: cannot use key p224.pub" + unsupported, v.err());
    assertEquals(1, v.status());
    assertEquals(List.of("blob", "p224.pem", "p224.pub", "p224.sec1.pem"), cli.listing());
  }
}
