package dev.modelseal.cli;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.SigningAlgorithm;
import java.security.PrivateKey;
import java.util.Arrays;

/** {@code modelseal import-key-pair}: wraps an unencrypted PEM private key into cosign's format. */
final class ImportKeyPairCommand implements Command {
  private static final Flags FLAGS = new Flags("import-key-pair", "--key FILE [flags]", """
      Imports an unencrypted PEM private key (PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or
      PKCS#1 "RSA PRIVATE KEY"; ECDSA P-256/P-384/P-521, RSA 2048/3072/4096 or Ed25519), as cosign
      import-key-pair does: writes it encrypted to PREFIX.key (mode 0600) and its public key to
      PREFIX.pub (mode 0644). The password is found as for generate-key-pair.""")
      .string("key", null, "FILE", "the PEM private key to import (required)")
      .string("output-key-prefix", "o", "PREFIX", "write PREFIX.key and PREFIX.pub (default \"import-cosign\")")
      .bool("force", null, "overwrite existing PREFIX.key / PREFIX.pub")
      .bool("yes", "y", "same as --force (cosign's \"skip the overwrite prompt\")");

  @Override
  public String name() {
    return "import-key-pair";
  }

  @Override
  public String summary() {
    return "import a PEM private key (PKCS#8, SEC1, PKCS#1) into cosign's encrypted format";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    Command.noArguments(f);
    String keyArg = f.required("key");
    String prefix = f.has("output-key-prefix") ? f.string("output-key-prefix") : "import-cosign";
    boolean force = f.bool("force", false) || f.bool("yes", false);
    byte[] pem = Inputs.readKeyFile(io, keyArg);
    PrivateKey key;
    try {
      if (CosignKeyReader.isEncrypted(pem)) {
        throw new CliException("cannot import " + keyArg + ": it is already a cosign encrypted key");
      }
      key = CosignKeyReader.readPrivateKey(pem, new byte[0]);
      SigningAlgorithm.defaultFor(key);
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
    KeyPairFiles.checkAbsent(io, prefix, force);
    byte[] password = PasswordSource.read(io, true, false);
    KeyPairFiles.write(io, prefix, key, password, force);
    return 0;
  }
}
