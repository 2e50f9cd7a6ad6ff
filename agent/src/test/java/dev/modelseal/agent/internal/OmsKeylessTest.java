package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory with a keyless OpenSSF model signature ({@code model.sig} made by model_signing v1.0.1 with Sigstore;
 * see {@code sigstore/NOTICE.md}), checked by the real gate ({@link OmsPinner}) with the trusted identities.
 */
class OmsKeylessTest {
  static final String SAN = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";

  @TempDir Path tmp;
  private SignedModels m;
  private Path dir;

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    dir = Files.createDirectories(m.dir.resolve("models/oms"));
    for (String name : List.of("model.sig", "signme-1", "signme-2")) { // not ignore-me: left out when signed
      Files.copy(Path.of(getClass().getResource("/sigstore/model-signing-v1.0.1-sigstore/" + name).toURI()),
          dir.resolve(name));
    }
  }

  private String rejected(String reason, String detail) {
    return "model rejected (" + reason + "): " + dir + ": " + detail;
  }

  @Test
  void checkPath_directorySignedByATrustedIdentity_allowedLoggingTheIdentity() throws Exception {
    Path pinned = m.gate(Keyless.rootLine() + Keyless.identity("ibm", SAN, ISSUER)).checkPath("test", dir);

    assertEquals("signme-1", Files.readString(pinned.resolve("signme-1")).strip());
    String line = m.decisionLines().get(0);
    assertTrue(line.contains("\"keyId\":null,\"identity\":\"ibm\",\"decision\":\"allow\""), line);
  }

  @Test
  void checkPath_directorySignedByAnotherIdentity_refusedWithTheIdentityPolicysMessage() throws Exception {
    String config = Keyless.rootLine() + Keyless.identity("other", "someone@us.ibm.com", ISSUER);

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: certificate identity " + SAN + " does not match the expected"
        + " someone@us.ibm.com"), m.refusal(config, dir));
  }

  @Test
  void checkPath_listedFileUnderARuleNamingAnotherIdentity_refusedNamingTheFile() throws Exception {
    String config = Keyless.rootLine() + Keyless.identity("ibm", SAN, ISSUER)
        + Keyless.identity("other", "someone@us.ibm.com", ISSUER)
        + "rule.all.path = " + m.dir.resolve("models") + "\nrule.all.identities = ibm\n"
        + "rule.two.path = " + dir.resolve("signme-2") + "\nrule.two.identities = other\n";

    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: signed by identity ibm, which is not allowed to sign signme-2"
        + " at its location"), m.refusal(config, dir));
  }

  @Test
  void checkPath_keylessModelSignatureWithNoIdentityConfigured_refusedNamingTheIdentitySettings() throws Exception {
    assertEquals(rejected("UNTRUSTED_KEY", "model.sig: " + KeyRule.NO_IDENTITY), m.refusal("", dir));
  }
}
