package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.core.ModelSignatureBundle;
import dev.modelseal.core.SignatureMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling keyless signatures from key signatures ({@link KeylessBundles}), and what a keyless one is hashed with. */
class KeylessBundlesTest {
  @TempDir Path tmp;

  private static byte[] resource(String name) throws Exception {
    return Files.readAllBytes(Path.of(KeylessBundlesTest.class.getResource("/sigstore/" + name).toURI()));
  }

  @Test
  void isKeyless_bundleWithAFulcioCertificate_true() throws Exception {
    assertTrue(KeylessBundles.isKeyless(SignatureMaterial.parseBundle(resource("happy-path-v0.3/bundle.sigstore.json"))));
  }

  @Test
  void isKeyless_cosignKeyBundle_false() throws Exception {
    SignedModels m = new SignedModels(tmp);

    assertFalse(KeylessBundles.isKeyless(SignatureMaterial.parseBundle(
        SignedModels.cosignBundle(m.prod, m.model).getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void isKeyless_keylessModelSig_true() throws Exception {
    assertTrue(ModelSignatureBundle.parse(resource("model-signing-v1.0.1-sigstore/model.sig")).isKeyless());
  }

  @Test
  void isKeyless_keySignedModelSig_false() throws Exception {
    SignedModels m = new SignedModels(tmp);

    assertFalse(ModelSignatureBundle.parse(
        SignedModels.modelSignature(m.prod, m.model).getBytes(StandardCharsets.UTF_8)).isKeyless());
  }

  @Test
  void isKeyless_certificateOnlyInAnotherField_false() throws Exception {
    assertFalse(ModelSignatureBundle.parse(
        "{\"verificationMaterial\":{\"publicKey\":{}},\"note\":{\"certificate\":1}}".getBytes(StandardCharsets.UTF_8))
        .isKeyless());
  }

  @Test
  void digestsFor_sha384Bundle_sha256ForTheLogAndSha384ForTheSignature() throws Exception {
    SignatureMaterial sig = SignatureMaterial.parseBundle(
        resource("java-keyless-ecdsa-p384-sha-384/PKIX_ECDSA_P384_SHA_384.sigstore.json"));

    assertEquals(List.of("SHA-256", "SHA-384"), List.copyOf(KeylessBundles.digestsFor(sig)));
  }

  @Test
  void digestsFor_sha256Bundle_sha256Only() throws Exception {
    assertEquals(Set.of("SHA-256"), KeylessBundles.digestsFor(
        SignatureMaterial.parseBundle(resource("happy-path-v0.3/bundle.sigstore.json"))));
  }
}
