package dev.modelseal.cli;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyFormatException;
import java.nio.charset.StandardCharsets;

/** {@code modelseal public-key}: prints the public key of a private key. */
final class PublicKeyCommand implements Command {
  private static final Flags FLAGS = new Flags("public-key", "--key KEY [flags]", """
      Prints the PEM public key of a private key (cosign-encrypted, password as for
      generate-key-pair, or unencrypted PEM), as cosign public-key does, on stdout or to --outfile
      (written atomically, mode 0644).""")
      .string("key", null, "KEY", "private key file (required)")
      .string("outfile", null, "FILE", "write the public key to FILE instead of stdout");

  @Override
  public String name() {
    return "public-key";
  }

  @Override
  public String summary() {
    return "print the public key of a private key";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    Command.noArguments(f);
    String keyArg = f.required("key");
    String outArg = f.string("outfile");
    if (outArg != null && outArg.isEmpty()) {
      throw new CliException("--outfile must not be empty");
    }
    String pem;
    try {
      pem = CosignKeyWriter.publicKeyPem(CosignKeyReader.publicKeyOf(Inputs.readPrivateKey(io, keyArg, false)));
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    }
    byte[] bytes = pem.getBytes(StandardCharsets.US_ASCII);
    if (outArg != null) {
      AtomicFiles.write(io.resolve(outArg), outArg, bytes, AtomicFiles.PUBLIC);
      io.err.println("Public key written to " + outArg);
    } else {
      io.out.write(bytes, 0, bytes.length);
      io.out.flush();
    }
    return 0;
  }
}
