package dev.modelseal.cli;

import dev.modelseal.core.ModelHashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code sign-model} and {@code verify-model} share: signature location and ignore paths. */
final class ModelCommands {
  /** The signature file name inside a model directory, as the reference model_signing tool writes it. */
  static final String DIRECTORY_SIGNATURE = "model.sig";
  /** The signature of a single-file model: a Sigstore bundle next to it, found by the agent too. */
  static final String FILE_SIGNATURE_SUFFIX = ".sigstore.json";

  private ModelCommands() {}

  /** The model argument: an existing file or directory. */
  static Path model(CliIo io, String arg) throws CliException {
    Path p = io.resolve(arg);
    if (!Files.exists(p)) {
      throw new CliException("cannot read model " + arg + ": no such file or directory");
    }
    return p;
  }

  /** {@code --signature}, or the default next to or inside the model. */
  static Path signature(CliIo io, Path model, String flag) {
    if (flag != null) {
      return io.resolve(flag);
    }
    return Files.isDirectory(model) ? model.resolve(DIRECTORY_SIGNATURE)
        : model.resolveSibling(model.getFileName() + FILE_SIGNATURE_SUFFIX);
  }

  /**
   * The signature as messages show it: {@code --signature} as typed, or the default built from the
   * model argument as typed ({@code MODEL/model.sig}, {@code MODEL.sigstore.json}); relative paths
   * stay relative to the working directory, so {@link CliIo#resolve} of it is {@link #signature}.
   */
  static String signatureDisplay(String modelArg, Path model, String flag) {
    if (flag != null) {
      return flag;
    }
    Path typed = Path.of(modelArg);
    return Files.isDirectory(model) ? typed.resolve(DIRECTORY_SIGNATURE).toString()
        : typed.resolveSibling(typed.getFileName() + FILE_SIGNATURE_SUFFIX).toString();
  }

  /**
   * The paths to leave out of the manifest, relative to the model root: the comma-separated
   * {@code --ignore-paths} (relative to the working directory, as the reference resolves them;
   * those outside the model are dropped) plus the signature file when it lies inside the model.
   */
  static List<String> ignorePaths(CliIo io, Path model, Path signature, String flag) throws CliException {
    List<String> out = new ArrayList<>();
    Path root = model.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      return out;
    }
    if (flag != null && !flag.isEmpty()) {
      for (String p : flag.split(",")) {
        String t = p.strip();
        if (t.isEmpty()) {
          continue;
        }
        Path abs = io.resolve(t).toAbsolutePath().normalize();
        if (abs.startsWith(root) && !abs.equals(root)) {
          out.add(posix(root.relativize(abs)));
        }
      }
    }
    Path sig = signature.toAbsolutePath().normalize();
    if (sig.startsWith(root) && !out.contains(posix(root.relativize(sig)))) {
      out.add(posix(root.relativize(sig)));
    }
    return out;
  }

  private static String posix(Path relative) {
    return relative.toString().replace(java.io.File.separatorChar, '/');
  }

  /** The hashing configuration chosen by {@code --shard-size} and {@code --hash}. */
  static ModelHashing.Builder hashing(String shardSize, String hash) throws CliException {
    ModelHashing.Builder b;
    if (shardSize == null) {
      b = ModelHashing.files();
    } else {
      try {
        b = ModelHashing.shards(Long.parseLong(shardSize));
      } catch (IllegalArgumentException e) {
        throw new CliException("invalid --shard-size \"" + shardSize + "\": expected a positive number of bytes");
      }
    }
    if (hash != null) {
      if (!hash.equals("sha256") && !hash.equals("blake2b")) {
        throw new CliException("invalid --hash \"" + hash + "\" (expected sha256 or blake2b)");
      }
      b.hashAlgorithm(hash);
    }
    return b;
  }
}
