package dev.modelseal.cli;

import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.ModelVerifier;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code modelseal verify-model}: checks a model against its OpenSSF Model Signing signature. */
final class VerifyModelCommand implements Command {
  private static final Flags FLAGS = KeylessOptions.declareIdentity(new Flags("verify-model",
      "(--key PUB | --certificate-chain ROOTS | --certificate-identity ID --certificate-oidc-issuer URL) "
          + "[flags] MODEL", """
      Verifies a model, a directory or a single file, against an OpenSSF Model Signing signature
      (model.sig, as model_signing or sign-model writes it): the signature must verify with the
      trusted key (or chain to the trusted root certificates, or, keyless, be a Sigstore signature by
      the given identity), and every file must match the signed manifest: a missing, extra, renamed or
      modified file fails and is named. Files are hashed in parallel on all cores. On success prints
      "Verified OK" on stderr and exits 0.

      """ + KeylessOptions.HELP))
      .string("key", null, "PUB", "trusted PEM public key (key method)")
      .string("certificate-chain", null, "ROOTS", "trusted PEM root certificates (certificate method)")
      .string("trusted-root", null, "FILE",
          "keyless: Sigstore trusted_root.json to verify against (default: the shipped public-good root)")
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
    String identityFlag = KeylessOptions.identityFlagGiven(f);
    method(keyArg, rootsArg, identityFlag, f.has(KeylessOptions.TRUSTED_ROOT));
    IdentityPolicy identity = identityFlag == null ? null : KeylessOptions.policy(f);
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
    } else if (rootsArg != null) {
      b.trustAnchors(Certificates.read(io, rootsArg));
    } else {
      b.keyless(KeylessOptions.trustedRoot(io, f), identity);
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

  /** Exactly one verification method: a key, root certificates or a keyless identity. */
  private static void method(String keyArg, String rootsArg, String identityFlag, boolean trustedRoot)
      throws CliException {
    String first = null;
    for (String given : new String[] {keyArg == null ? null : "key", rootsArg == null ? null : "certificate-chain",
        identityFlag}) {
      if (given != null && first != null) {
        throw new CliException("--" + first + " and --" + given + " cannot be used together");
      }
      first = first == null ? given : first;
    }
    if (first == null) {
      throw new CliException("exactly one of --key, --certificate-chain and --certificate-identity (keyless) "
          + "is required");
    }
    if (trustedRoot && identityFlag == null) {
      throw new CliException("--trusted-root is only used keyless, with --certificate-identity");
    }
  }
}
