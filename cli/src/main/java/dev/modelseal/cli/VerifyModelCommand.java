package dev.modelseal.cli;

import dev.modelseal.core.ModelVerifier;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code modelseal verify-model}: checks a model against its OpenSSF Model Signing signature. */
final class VerifyModelCommand implements Command {
  private static final Flags FLAGS = new Flags("verify-model", "(--key PUB | --certificate-chain ROOTS) [flags] MODEL",
      """
      Verifies a model, a directory or a single file, against an OpenSSF Model Signing signature
      (model.sig, as model_signing or sign-model writes it): the signature must verify with the
      trusted key (or chain to the trusted root certificates), and every file must match the signed
      manifest: a missing, extra, renamed or modified file fails and is named. Files are hashed in
      parallel on all cores. On success prints "Verified OK" on stderr and exits 0.""")
      .string("key", null, "PUB", "trusted PEM public key (key method)")
      .string("certificate-chain", null, "ROOTS", "trusted PEM root certificates (certificate method)")
      .string("signature", null, "PATH", "signature (default MODEL/model.sig, or MODEL.sigstore.json for a file)")
      .string("ignore-paths", null, "P[,P...]", "comma-separated paths to leave out of the comparison")
      .bool("ignore-git-paths", null, "leave out .git, .gitattributes, .github, .gitignore (default true)")
      .bool("ignore-unsigned-files", null, "do not fail on files the manifest does not list");

  @Override
  public String name() {
    return "verify-model";
  }

  @Override
  public String summary() {
    return "verify a model directory or file against its model.sig";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    String modelArg = Command.exactlyOne(f, "MODEL");
    String keyArg = f.string("key");
    String rootsArg = f.string("certificate-chain");
    if ((keyArg == null) == (rootsArg == null)) {
      throw new CliException("exactly one of --key and --certificate-chain is required");
    }
    Path model = ModelCommands.model(io, modelArg);
    String sigFlag = f.string("signature");
    if (sigFlag != null && sigFlag.isEmpty()) {
      throw new CliException("--signature must not be empty");
    }
    Path signature = ModelCommands.signature(io, model, sigFlag);
    String sigDisplay = ModelCommands.signatureDisplay(modelArg, model, sigFlag);
    if (!Files.exists(signature)) {
      throw new CliException("cannot read signature " + sigDisplay + ": no such file");
    }
    byte[] bundle = Inputs.readBounded(io, sigDisplay, ModelVerifier.MAX_BUNDLE_BYTES);
    ModelVerifier.Builder b = ModelVerifier.builder()
        .ignorePaths(ModelCommands.ignorePaths(io, model, signature, f.string("ignore-paths")))
        .ignoreGitPaths(f.bool("ignore-git-paths", true))
        .ignoreUnsignedFiles(f.bool("ignore-unsigned-files", false));
    if (keyArg != null) {
      try {
        b.publicKey(Inputs.readPublicKey(io, keyArg));
      } catch (IllegalArgumentException e) { // not an EC P-256/P-384/P-521 key
        throw new CliException("cannot use key " + keyArg + ": " + e.getMessage(), e);
      }
    } else {
      b.trustAnchors(Certificates.read(io, rootsArg));
    }
    try (ProgressBar bar = ProgressBar.forModel(io, "verifying " + model.getFileName())) {
      b.build().verify(model, bundle, bar);
    } catch (IOException e) {
      throw Inputs.readError(modelArg, e);
    } catch (VerificationException e) {
      throw new CliException("verification failed: " + e.getMessage(), e);
    }
    io.err.println("Verified OK");
    return 0;
  }
}
