package dev.modelseal.cli;

import dev.modelseal.core.BlobSigner;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;

/** {@code modelseal sign-blob}: cosign sign-blob --key, offline, streaming. */
final class SignBlobCommand implements Command {
  private static final Flags FLAGS = new Flags("sign-blob", "--key KEY [flags] FILE", """
      Signs FILE (or stdin, "-") with a private key exactly as cosign sign-blob --key does without a
      transparency log, streaming the file in one pass. The scheme follows the key: P-256 and RSA
      sign SHA-256, P-384 SHA-384, P-521 SHA-512, Ed25519 pure Ed25519 (at most 32 MiB).
      The base64 signature is printed on stdout (followed by a newline) unless --output-signature
      is given; that file gets the base64 text without a newline, as cosign writes it.
      --bundle also writes a Sigstore bundle (v0.3 JSON; cosign's legacy JSON bundle with
      --new-bundle-format=false). Files are written atomically, and only after signing succeeded.
      KEY may be cosign-encrypted (password as for generate-key-pair) or unencrypted PEM.
      Nothing is ever uploaded: the transparency-log flags below are accepted for cosign
      compatibility and have no effect.""")
      .string("key", null, "KEY", "private key file (required)")
      .string("output-signature", null, "FILE", "write the signature to FILE instead of stdout", "output")
      .string("bundle", null, "FILE", "also write a Sigstore bundle to FILE")
      .bool("b64", null, "base64-encode the signature (default true; false writes raw bytes)")
      .bool("new-bundle-format", null, "--bundle writes a Sigstore bundle (default true); false: legacy JSON")
      .bool("yes", "y", "no effect (accepted for cosign compatibility; nothing is uploaded)")
      .bool("tlog-upload", null, "no effect (accepted for cosign compatibility; nothing is uploaded)")
      .bool("use-signing-config", null, "no effect (accepted for cosign compatibility)")
      .string("rekor-url", null, "URL", "no effect (accepted for cosign compatibility)");

  @Override
  public String name() {
    return "sign-blob";
  }

  @Override
  public String summary() {
    return "sign a file with a private key (detached signature and/or Sigstore bundle)";
  }

  @Override
  public Flags flags() {
    return FLAGS;
  }

  @Override
  public int run(Flags.Parsed f, CliIo io) throws CliException {
    String blobArg = Command.exactlyOne(f, "FILE");
    String keyArg = f.required("key");
    String sigArg = f.string("output-signature");
    String bundleArg = f.string("bundle");
    if (sigArg != null && sigArg.isEmpty() || bundleArg != null && bundleArg.isEmpty()) {
      throw new CliException("output file names must not be empty");
    }
    boolean b64 = f.bool("b64", true);
    boolean newBundle = f.bool("new-bundle-format", true);
    boolean fromStdin = blobArg.equals("-");
    Path blob = fromStdin ? null : Inputs.existingFile(io, blobArg);

    PrivateKey key = Inputs.readPrivateKey(io, keyArg, fromStdin);
    BlobSigner signer;
    try {
      signer = BlobSigner.create(key);
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    }
    SignatureMaterial sig = sign(io, signer, blob, blobArg);

    byte[] sigBytes = b64 ? sig.base64().getBytes(StandardCharsets.US_ASCII) : sig.signature();
    byte[] bundle = bundleArg == null ? null : (newBundle ? sig.toSigstoreBundleJson()
        : "{\"base64Signature\":\"" + sig.base64() + "\"}").getBytes(StandardCharsets.UTF_8);
    // Prepare every output first, then make them visible together: a failure writes nothing.
    try (AtomicFiles.Pending b = bundle == null ? null
            : AtomicFiles.prepare(io.resolve(bundleArg), bundleArg, bundle, AtomicFiles.PUBLIC);
        AtomicFiles.Pending s = sigArg == null ? null
            : AtomicFiles.prepare(io.resolve(sigArg), sigArg, sigBytes, AtomicFiles.PUBLIC)) {
      if (b != null) {
        b.commit(true);
      }
      if (s != null) {
        s.commit(true);
      }
    }
    if (bundleArg != null) {
      io.err.println("Wrote bundle to file " + bundleArg);
    }
    if (sigArg != null) {
      io.err.println("Wrote signature to file " + sigArg);
    } else {
      io.out.write(sigBytes, 0, sigBytes.length);
      if (b64) {
        io.out.write('\n');
      }
      io.out.flush();
    }
    return 0;
  }

  private static SignatureMaterial sign(CliIo io, BlobSigner signer, Path blob, String blobArg)
      throws CliException {
    try {
      if (blob == null) {
        return signer.sign(io.in, -1, dev.modelseal.core.ProgressListener.NONE);
      }
      long size = Files.size(blob);
      try (InputStream in = Files.newInputStream(blob);
          ProgressBar bar = ProgressBar.open(io, "signing " + blob.getFileName(), size)) {
        return signer.sign(in, size, bar);
      }
    } catch (IOException e) {
      throw Inputs.readError(blobArg, e);
    } catch (VerificationException e) {
      throw new CliException("cannot sign " + blobArg + ": " + e.getMessage(), e);
    }
  }
}
