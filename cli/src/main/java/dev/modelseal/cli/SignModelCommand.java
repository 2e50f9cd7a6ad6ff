package dev.modelseal.cli;

import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** {@code modelseal sign-model}: OpenSSF Model Signing (model.sig) over a whole model. */
final class SignModelCommand implements Command {
  private static final Flags FLAGS = new Flags("sign-model", "--key KEY [flags] MODEL", """
      Signs a whole model, a directory or a single file, in the OpenSSF Model Signing format
      (OMS v1.0, as the model_signing tool writes it): a manifest of per-file digests in an
      in-toto statement, in a DSSE envelope, in a Sigstore bundle. Adding, removing, renaming or
      changing any file afterwards makes verify-model (and the agent) fail, naming the file.
      Files are hashed in parallel on all cores. The signature goes to MODEL/model.sig for a
      directory and MODEL.sigstore.json for a file, unless --signature says otherwise; it is never
      part of the manifest. Keys: ECDSA P-256, P-384 or P-521 (cosign-encrypted or PEM).""")
      .string("key", null, "KEY", "private key: cosign-encrypted or unencrypted PEM (required)")
      .string("signature", null, "PATH", "where to write the signature (default: see above)")
      .string("signing-certificate", null, "CERT", "certificate method: PEM certificate of KEY")
      .string("certificate-chain", null, "PEM", "certificate method: PEM intermediate certificates")
      .string("ignore-paths", null, "P[,P...]", "comma-separated paths to leave out of the manifest")
      .bool("ignore-git-paths", null, "leave out .git, .gitattributes, .github, .gitignore (default true)")
      .bool("allow-symlinks", null, "hash symbolic links to files with their target (default false)")
      .string("shard-size", null, "BYTES", "split files into shards of BYTES (OMS shards method)")
      .string("hash", null, "ALG", "sha256 (default) or blake2b")
      .bool("force", null, "overwrite an existing signature");

  @Override
  public String name() {
    return "sign-model";
  }

  @Override
  public String summary() {
    return "sign a model directory or file (OpenSSF Model Signing, model.sig)";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    String modelArg = Command.exactlyOne(f, "MODEL");
    String keyArg = f.required("key");
    Path model = ModelCommands.model(io, modelArg);
    String sigFlag = f.string("signature");
    if (sigFlag != null && sigFlag.isEmpty()) {
      throw new CliException("--signature must not be empty");
    }
    Path signature = ModelCommands.signature(io, model, sigFlag);
    String sigDisplay = ModelCommands.signatureDisplay(modelArg, model, sigFlag);
    boolean force = f.bool("force", false);
    if (Files.isDirectory(signature)) {
      throw new CliException("cannot write " + sigDisplay + ": is a directory");
    }
    if (signature.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
      throw new CliException("cannot write " + sigDisplay + ": it is the model itself");
    }
    if (Files.exists(signature, LinkOption.NOFOLLOW_LINKS) && !force) {
      throw new CliException(sigDisplay + " already exists (use --force to overwrite)");
    }
    ModelHashing hashing = ModelCommands.hashing(f.string("shard-size"), f.string("hash"))
        .ignorePaths(ModelCommands.ignorePaths(io, model, signature, f.string("ignore-paths")))
        .ignoreGitPaths(f.bool("ignore-git-paths", true))
        .allowSymlinks(f.bool("allow-symlinks", false))
        .build();
    PrivateKey key = Inputs.readPrivateKey(io, keyArg, false);
    ModelSigner signer = signer(io, f, keyArg, key);
    String bundle;
    try (ProgressBar bar = ProgressBar.forModel(io, "hashing " + model.getFileName())) {
      bundle = signer.sign(model, hashing, bar);
    } catch (IOException e) {
      throw Inputs.readError(modelArg, e);
    } catch (VerificationException | IllegalArgumentException e) { // IAE: an empty model
      throw new CliException("cannot sign " + modelArg + ": " + e.getMessage(), e);
    }
    try (AtomicFiles.Pending p = AtomicFiles.prepare(signature, sigDisplay,
        bundle.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC)) {
      p.commit(force); // without --force, a signature that appeared meanwhile is still not replaced
    }
    io.err.println("Wrote model signature to " + sigDisplay);
    return 0;
  }

  private static ModelSigner signer(CliIo io, Flags.Parsed f, String keyArg, PrivateKey key) throws CliException {
    String certArg = f.string("signing-certificate");
    String chainArg = f.string("certificate-chain");
    try {
      if (certArg == null) {
        if (chainArg != null) {
          throw new CliException("--certificate-chain needs --signing-certificate");
        }
        return ModelSigner.withKey(key);
      }
      List<X509Certificate> chain = new ArrayList<>(Certificates.read(io, certArg));
      if (chainArg != null) {
        chain.addAll(Certificates.read(io, chainArg));
      }
      return ModelSigner.withCertificateChain(key, chain);
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    }
  }
}
