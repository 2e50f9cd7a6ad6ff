package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyId;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * Fixtures for the decision path's tests, made in code in a test's folder: two trusted keys ({@code prod},
 * {@code lab}) and one that no gate trusts ({@code stranger}), an unsigned model file, the cosign and OpenSSF model
 * signatures of files and directories, config rules, and gates built from a config naming both trusted keys
 * ({@link TestGates#fromConfig}).
 */
final class SignedModels {
  static final String MODEL_TEXT = "model bytes";

  /** The test's folder, as its real path (the gate names real paths). */
  final Path dir;
  final KeyPair prod = CosignKeyWriter.generateKeyPair();
  final KeyPair lab = CosignKeyWriter.generateKeyPair();
  final KeyPair stranger = CosignKeyWriter.generateKeyPair();
  final Path prodPub;
  final Path labPub;
  /** An unsigned model file, {@code models/model.onnx}, holding {@link #MODEL_TEXT}. */
  final Path model;

  SignedModels(Path tmp) throws Exception {
    dir = tmp.toRealPath();
    prodPub = Files.writeString(dir.resolve("prod.pub"), CosignKeyWriter.publicKeyPem(prod.getPublic()));
    labPub = Files.writeString(dir.resolve("lab.pub"), CosignKeyWriter.publicKeyPem(lab.getPublic()));
    model = write(dir.resolve("models/model.onnx"), MODEL_TEXT);
  }

  /** A gate trusting {@code prod} and {@code lab}, pinning under {@code pins}, logging to {@link #decisions}. */
  Gate gate(String config) throws Exception {
    return gateLoggingTo(decisions(), config);
  }

  /** {@link #gate}, with its decision log at {@code log}. */
  Gate gateLoggingTo(Path log, String config) throws Exception {
    Path conf = Files.writeString(dir.resolve("agent.conf"), "key.prod = " + prodPub + "\nkey.lab = " + labPub
        + "\npin-dir = " + dir.resolve("pins") + "\naudit-log = " + log + "\n" + config);
    return TestGates.fromConfig(conf);
  }

  /** The decision log of {@link #gate}. */
  Path decisions() {
    return dir.resolve("decisions.jsonl");
  }

  /** The lines of the decision log. */
  List<String> decisionLines() throws Exception {
    return Files.readAllLines(decisions());
  }

  /** The {@code durationMs} of one decision-log line. */
  static double durationMs(String line) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"durationMs\":([^,}]+)").matcher(line);
    if (!m.find()) {
      throw new AssertionError("no durationMs in " + line);
    }
    return Double.parseDouble(m.group(1));
  }

  /** The config lines of a rule: models under {@code path} must be signed by one of {@code keys} (comma-separated). */
  static String rule(String name, Path path, String keys) {
    return "rule." + name + ".path = " + path + "\nrule." + name + ".keys = " + keys + "\n";
  }

  static String keyId(KeyPair key) {
    return KeyId.hex(key.getPublic());
  }

  static Path write(Path file, String content) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  /** Writes {@code X.sig}: {@code key}'s cosign signature of {@code file}, base64. */
  static Path signSig(KeyPair key, Path file) throws Exception {
    return Files.writeString(sidecar(file, ".sig"),
        BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).base64());
  }

  /** Writes {@code X.sigstore.json}: {@code key}'s cosign signature of {@code file}, as a Sigstore bundle. */
  static Path signBundle(KeyPair key, Path file) throws Exception {
    return Files.writeString(sidecar(file, ".sigstore.json"), cosignBundle(key, file));
  }

  /** {@code key}'s cosign signature of {@code file} as a Sigstore bundle (with the key's hint). */
  static String cosignBundle(KeyPair key, Path file) throws Exception {
    return BlobSigner.create(key.getPrivate()).sign(file, ProgressListener.NONE).toSigstoreBundleJson();
  }

  /** Writes {@code model.sig} in {@code directory}: {@code key}'s OpenSSF model signature of it. */
  static Path signDirectory(KeyPair key, Path directory) throws Exception {
    return Files.writeString(directory.resolve("model.sig"), modelSignature(key, directory));
  }

  /** Writes {@code X.sigstore.json}: {@code key}'s OpenSSF model signature of the one file {@code file}. */
  static Path signFileWithModelSigning(KeyPair key, Path file) throws Exception {
    return Files.writeString(sidecar(file, ".sigstore.json"), modelSignature(key, file));
  }

  /** {@code key}'s OpenSSF model signature of {@code model} (a file or directory), every file listed. */
  static String modelSignature(KeyPair key, Path model) throws Exception {
    return ModelSigner.withKey(key.getPrivate()).sign(model, ModelHashing.files().build(), ProgressListener.NONE);
  }

  private static Path sidecar(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  /**
   * The message of the {@link ModelVerificationException} the application gets when {@link #gate}{@code (config)}
   * refuses to load {@code location} by path.
   */
  String refusal(String config, Path location) throws Exception {
    Gate gate = gate(config);
    return refused(() -> gate.checkPath("test", location)).getMessage();
  }

  /** Runs a load that must be refused in enforce mode, and returns the exception the application gets. */
  static ModelVerificationException refused(Runnable load) {
    return assertThrows(ModelVerificationException.class, load::run);
  }
}
