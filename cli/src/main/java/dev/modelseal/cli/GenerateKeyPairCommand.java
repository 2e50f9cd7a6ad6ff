package dev.modelseal.cli;

import dev.modelseal.core.CosignKeyWriter;

/** {@code modelseal generate-key-pair}: a new ECDSA P-256 key pair in cosign's formats. */
final class GenerateKeyPairCommand implements Command {
  private static final Flags FLAGS = new Flags("generate-key-pair", "[flags]", """
      Generates an ECDSA P-256 key pair, as cosign generate-key-pair does: PREFIX.key holds the
      private key encrypted with a password (scrypt + NaCl secretbox, mode 0600) and PREFIX.pub the
      PEM public key (mode 0644). The password is COSIGN_PASSWORD if set (even empty), else asked
      twice on the terminal, else all of stdin (including any trailing newline).
      Existing files are never overwritten unless --force is given.""")
      .string("output-key-prefix", null, "PREFIX", "write PREFIX.key and PREFIX.pub (default \"cosign\")")
      .bool("force", null, "overwrite existing PREFIX.key / PREFIX.pub");

  @Override
  public String name() {
    return "generate-key-pair";
  }

  @Override
  public String summary() {
    return "generate a password-protected ECDSA P-256 key pair (cosign.key, cosign.pub)";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    Command.noArguments(f);
    String prefix = f.has("output-key-prefix") ? f.string("output-key-prefix") : "cosign";
    boolean force = f.bool("force", false);
    KeyPairFiles.checkAbsent(io, prefix, force);
    byte[] password = PasswordSource.read(io, true, false);
    KeyPairFiles.write(io, prefix, CosignKeyWriter.generateKeyPair().getPrivate(), password, force);
    return 0;
  }
}
