package dev.modelseal.cli;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.KeyFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;

/** Writes {@code P.key} (encrypted, 0600) and {@code P.pub} (0644) together, as generate and import do. */
final class KeyPairFiles {
  private KeyPairFiles() {}

  /** Fails unless both files are absent or {@code force} is set; call before asking for a password. */
  static void checkAbsent(CliIo io, String prefix, boolean force) throws CliException {
    if (prefix.isEmpty()) {
      throw new CliException("--output-key-prefix must not be empty");
    }
    if (force) {
      return;
    }
    for (String name : new String[] {prefix + ".key", prefix + ".pub"}) {
      if (Files.exists(io.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new CliException(name + " already exists (use --force to overwrite)");
      }
    }
  }

  /** Encrypts {@code key} under {@code password} and writes both files; prints what was written. */
  static void write(CliIo io, String prefix, PrivateKey key, byte[] password, boolean force) throws CliException {
    String keyName = prefix + ".key";
    String pubName = prefix + ".pub";
    byte[] keyPem;
    byte[] pubPem;
    try {
      keyPem = CosignKeyWriter.encryptedPrivateKeyPem(key, password).getBytes(StandardCharsets.US_ASCII);
      pubPem = CosignKeyWriter.publicKeyPem(CosignKeyReader.publicKeyOf(key)).getBytes(StandardCharsets.US_ASCII);
    } catch (KeyFormatException e) {
      throw new CliException("unsupported key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    Path keyPath = io.resolve(keyName);
    Path pubPath = io.resolve(pubName);
    try (AtomicFiles.Pending k = AtomicFiles.prepare(keyPath, keyName, keyPem, AtomicFiles.PRIVATE);
        AtomicFiles.Pending p = AtomicFiles.prepare(pubPath, pubName, pubPem, AtomicFiles.PUBLIC)) {
      k.commit(force);
      try {
        p.commit(force);
      } catch (CliException e) {
        k.rollback();
        throw e;
      }
    } finally {
      Arrays.fill(keyPem, (byte) 0);
    }
    io.err.println("Private key written to " + keyName);
    io.err.println("Public key written to " + pubName);
  }
}
