package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.it.apps.SealedRead;
import dev.modelseal.testkit.ForkedJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyless Sigstore signatures in a JVM started with the packaged agent, trusting identities from its config file: an
 * application reading models under a sealed root with plain Java I/O ({@code Files.readAllBytes}) gets a model whose
 * keyless bundle ({@code model.bin.sigstore.json}, the conformance vector {@code happy-path-v0.3}) matches a trusted
 * identity, and a file of an OpenSSF-signed directory whose keyless {@code model.sig} (model_signing v1.0.1) does; it
 * is refused (exact message, logged {@code deny}, no bytes) the same model for another identity, another issuer, no
 * identity at all, a tampered model, and a bundle whose inclusion proof was edited. Files: {@code keyless/NOTICE.md}.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class KeylessIT {
  static final String SAN = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/"
      + "workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final String OMS_SAN = "stefanb@us.ibm.com";
  static final String OMS_ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  /** The first hash of the bundle's inclusion proof, and the same with its first character changed. */
  static final String PROOF_HASH = "1J7hRIEGvYdAyzEs+GhAE9L+38oHye3BhalgoQRZoo4=";
  static final String EDITED_PROOF_HASH = "2J7hRIEGvYdAyzEs+GhAE9L+38oHye3BhalgoQRZoo4=";
  static final String READ = "sun.nio.fs.UnixFileSystemProvider.newByteChannel";

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  private Path root;
  private Path good;
  private Path tampered;
  private Path editedProof;
  private Path omsFile;
  private Path omsTampered;
  private Path trustedRoot;
  private Path log;

  @BeforeEach
  void models() throws Exception {
    root = Files.createDirectories(tmp.resolve("models"));
    good = blobModel("good", bundle());
    tampered = blobModel("tampered", bundle());
    Fixtures.write(tampered, "Hello, World?\n");
    String bundle = bundle();
    if (!bundle.contains(PROOF_HASH)) {
      throw new IllegalStateException("inclusion proof hash not found in the vector's bundle");
    }
    editedProof = blobModel("proof", bundle.replace(PROOF_HASH, EDITED_PROOF_HASH));
    Path oms = Files.createDirectories(root.resolve("oms"));
    for (String name : List.of("model.sig", "signme-1", "signme-2", "ignore-me")) {
      Files.copy(resource("model-signing-v1.0.1-sigstore/" + name), oms.resolve(name));
    }
    omsFile = oms.resolve("signme-1");
    Path omsCopy = Files.createDirectories(root.resolve("oms-tampered"));
    for (String name : List.of("model.sig", "signme-1", "signme-2", "ignore-me")) {
      Files.copy(resource("model-signing-v1.0.1-sigstore/" + name), omsCopy.resolve(name));
    }
    omsTampered = Fixtures.write(omsCopy.resolve("signme-2"), "changed\n");
    trustedRoot = Files.copy(resource("trusted_root.production.json"), tmp.resolve("trusted_root.json"));
    log = tmp.resolve("decisions.jsonl");
  }

  private static Path resource(String name) throws Exception {
    return Path.of(KeylessIT.class.getResource("/keyless/" + name).toURI());
  }

  private static String bundle() throws Exception {
    return Files.readString(resource("happy-path-v0.3/bundle.sigstore.json"), StandardCharsets.UTF_8);
  }

  /** {@code models/<dir>/model.bin}: the vector's {@code a.txt}, with {@code bundle} as its sidecar. */
  private Path blobModel(String dir, String bundle) throws Exception {
    Path model = Fixtures.write(root.resolve(dir).resolve("model.bin"), Fixtures.read(resource("happy-path-v0.3/a.txt")));
    Fixtures.write(Fixtures.sidecar(model, ".sigstore.json"), bundle);
    return model;
  }

  private static String identity(String name, String san, String issuer) {
    return "identity." + name + ".san = " + san + "\nidentity." + name + ".issuer = " + issuer + "\n";
  }

  /** Runs the application reading {@code files} under the agent configured with {@code config} (plus root and log). */
  private ForkedJvm.Result read(String config, Path... files) throws Exception {
    return read(config, Fixtures.childClasspath(), files);
  }

  /** {@link #read(String, Path...)} with the children's class path {@code classpath}. */
  private ForkedJvm.Result read(String config, String classpath, Path... files) throws Exception {
    Path conf = Fixtures.write(tmp.resolve("agent.conf"), config + "models = " + root + "\naudit-log = " + log + "\n");
    List<String> args = new ArrayList<>(List.of("read-all-bytes"));
    for (Path f : files) {
      args.add(f.toString());
    }
    return Fixtures.child(jdk, SealedRead.class.getName(), args.toArray(new String[0]))
        .classpath(classpath).jvmArgs(Fixtures.agent("config=" + conf)).run();
  }

  private static String readLine(Path file) throws Exception {
    return "read " + file + " " + SealedRead.digest("read-all-bytes", file);
  }

  @Test
  void read_otherTrustedRootPlantedOnClassPath_agentUsesTheOneInItsJar() throws Exception {
    // The agent's classes are bootstrap classes, whose resources the system class loader would look up on the
    // application's class path first: a folder there (one holding models, say) plants a root of its own where the
    // agent's jar has the shipped one. The agent reads its own jar: the shipped root verifies the model.
    Path folder = tmp.resolve("classpath-folder");
    Fixtures.write(folder.resolve("dev/modelseal/agent/shaded/core/trusted_root.production.json"), "{}");

    ForkedJvm.Result r = read(identity("beacon", SAN, ISSUER), Fixtures.childClasspath(folder.toString()), good);

    assertEquals(readLine(good) + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(READ + " allow null keyId=null identity=beacon " + good), summary(Fixtures.decisions(log)),
        r::toString);
  }

  @Test
  void read_keylessModelsSignedByTrustedIdentities_readAndLoggedWithTheIdentity() throws Exception {
    ForkedJvm.Result r = read(identity("beacon", SAN, ISSUER) + identity("ibm", OMS_SAN, OMS_ISSUER), good, omsFile);

    assertEquals(readLine(good) + Fixtures.NL + readLine(omsFile) + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(
        READ + " allow null keyId=null identity=beacon " + good,
        READ + " allow null keyId=null identity=ibm " + omsFile), summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void read_tamperedModelsAndEditedInclusionProof_refusedExactlyAndNotRead() throws Exception {
    ForkedJvm.Result r = read("trusted-root = " + trustedRoot + "\n" + identity("beacon", SAN, ISSUER)
        + identity("ibm", OMS_SAN, OMS_ISSUER), tampered, editedProof, omsTampered);

    assertEquals(String.join(Fixtures.NL,
        "rejected: model rejected (" + TAMPERED_REASON + "): " + tampered + ": model.bin: " + TAMPERED_DETAIL,
        "rejected: model rejected (" + PROOF_REASON + "): " + editedProof + ": model.bin: " + PROOF_DETAIL,
        "rejected: model rejected (MANIFEST_MISMATCH): " + omsTampered + ": model.sig: model does not match its"
            + " signature: modified files: signme-2") + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(
        READ + " deny " + TAMPERED_REASON + " keyId=null identity=null " + tampered,
        READ + " deny " + PROOF_REASON + " keyId=null identity=null " + editedProof,
        READ + " deny MANIFEST_MISMATCH keyId=null identity=null " + omsTampered),
        summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void read_keylessModelsSignedByAnotherIdentity_refusedExactlyAndNotRead() throws Exception {
    ForkedJvm.Result r = read("trusted-root = " + trustedRoot + "\n"
        + identity("other", "https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main", ISSUER)
        + identity("other-ibm", "someone@us.ibm.com", OMS_ISSUER), good, omsFile);

    assertEquals(String.join(Fixtures.NL,
        "rejected: model rejected (UNTRUSTED_KEY): " + good + ": model.bin: " + OTHER_IDENTITY_DETAIL,
        "rejected: model rejected (UNTRUSTED_KEY): " + omsFile + ": model.sig: " + OTHER_OMS_IDENTITY_DETAIL)
        + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(
        READ + " deny UNTRUSTED_KEY keyId=null identity=null " + good,
        READ + " deny UNTRUSTED_KEY keyId=null identity=null " + omsFile), summary(Fixtures.decisions(log)),
        r::toString);
  }

  @Test
  void read_keylessModelFromAnotherIssuer_refusedExactlyAndNotRead() throws Exception {
    ForkedJvm.Result r = read(identity("beacon", SAN, "https://accounts.google.com"), good);

    assertEquals("rejected: model rejected (UNTRUSTED_KEY): " + good + ": model.bin: " + OTHER_ISSUER_DETAIL
        + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(READ + " deny UNTRUSTED_KEY keyId=null identity=null " + good),
        summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void read_keylessModelsWithNoIdentityConfigured_refusedNamingTheIdentitySettings() throws Exception {
    Fixtures.Signer key = new Fixtures.Signer(tmp, "trusted");

    ForkedJvm.Result r = read("key.trusted = " + key.publicKeyFile + "\n", good, omsFile);

    String noIdentity = "signed keyless (a Fulcio certificate, no key), and no trusted identity is configured: set"
        + " identity.<name>.san (or .san-regexp) and identity.<name>.issuer (or .issuer-regexp) in the config file";
    assertEquals(String.join(Fixtures.NL,
        "rejected: model rejected (UNTRUSTED_KEY): " + good + ": model.bin: " + noIdentity,
        "rejected: model rejected (UNTRUSTED_KEY): " + omsFile + ": model.sig: " + noIdentity) + Fixtures.NL,
        r.stdout(), r::toString);
  }

  /** {@code runtime decision reason keyId= identity= model} of each decision. */
  private static List<String> summary(List<Map<String, Object>> decisions) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> d : decisions) {
      out.add(d.get("runtime") + " " + d.get("decision") + " " + d.get("reason") + " keyId=" + d.get("keyId")
          + " identity=" + d.get("identity") + " " + d.get("model"));
    }
    return out;
  }

  // Refusals worded by core's keyless verifier.
  static final String TAMPERED_REASON = "DIGEST_MISMATCH";
  static final String TAMPERED_DETAIL = "transparency log entry 0: logged digest differs from the artifact's digest";
  static final String PROOF_REASON = "SIGNATURE_INVALID";
  static final String PROOF_DETAIL = "transparency log entry 0: inclusion proof does not lead to its root hash";
  static final String OTHER_IDENTITY_DETAIL = "certificate identity " + SAN + " does not match the expected"
      + " https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main";
  /** The first configured identity's failure (identities are tried in config order, as keys are). */
  static final String OTHER_OMS_IDENTITY_DETAIL = "certificate identity " + OMS_SAN + " does not match the expected"
      + " https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main";
  static final String OTHER_ISSUER_DETAIL = "certificate OIDC issuer " + ISSUER + " does not match the expected"
      + " https://accounts.google.com";
}
