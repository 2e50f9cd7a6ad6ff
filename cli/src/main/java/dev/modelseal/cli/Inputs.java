package dev.modelseal.cli;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the CLI's inputs (key files, signature files, blobs) with bounded sizes and turns every I/O
 * failure into a one-line {@link CliException} that names the path as the user typed it.
 */
final class Inputs {
  private Inputs() {}

  /** A short, stable reason for an I/O failure ("no such file", "permission denied", ...). */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(Locale.ROOT);
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  static CliException readError(String display, IOException e) {
    return new CliException("cannot read " + display + ": " + reason(e), e);
  }

  /** Checks that {@code display} names a readable regular file (or a directory error), returns its path. */
  static Path existingFile(CliIo io, String display) throws CliException {
    Path p = io.resolve(display);
    if (Files.isDirectory(p)) {
      throw new CliException("cannot read " + display + ": is a directory");
    }
    if (!Files.exists(p)) {
      throw new CliException("cannot read " + display + ": no such file");
    }
    if (!Files.isReadable(p)) {
      throw new CliException("cannot read " + display + ": permission denied");
    }
    return p;
  }

  /** Reads at most {@code max + 1} bytes, so that callers can tell "too large" apart. */
  static byte[] readBounded(CliIo io, String display, int max) throws CliException {
    Path p = existingFile(io, display);
    try (InputStream in = Files.newInputStream(p)) {
      return in.readNBytes(max + 1);
    } catch (IOException e) {
      throw readError(display, e);
    }
  }

  /** Reads a key file, refusing anything larger than {@link CosignKeyReader#MAX_KEY_FILE_BYTES}. */
  static byte[] readKeyFile(CliIo io, String display) throws CliException {
    byte[] data = readBounded(io, display, CosignKeyReader.MAX_KEY_FILE_BYTES);
    if (data.length > CosignKeyReader.MAX_KEY_FILE_BYTES) {
      throw new CliException("cannot use key " + display + ": larger than "
          + CosignKeyReader.MAX_KEY_FILE_BYTES + " bytes, not a key file");
    }
    return data;
  }

  /**
   * Reads a private key: cosign-encrypted (asking for the password, see {@link PasswordSource}) or
   * unencrypted PEM.
   */
  static PrivateKey readPrivateKey(CliIo io, String display, boolean stdinBusy) throws CliException {
    byte[] pem = readKeyFile(io, display);
    byte[] password = CosignKeyReader.isEncrypted(pem) ? PasswordSource.read(io, false, stdinBusy) : new byte[0];
    try {
      return CosignKeyReader.readPrivateKey(pem, password);
    } catch (KeyFormatException e) {
      throw keyError(display, e);
    } finally {
      Arrays.fill(password, (byte) 0);
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** Reads a PEM {@code PUBLIC KEY} file. */
  static PublicKey readPublicKey(CliIo io, String display) throws CliException {
    byte[] pem = readKeyFile(io, display);
    try {
      return CosignKeyReader.readPublicKey(pem);
    } catch (KeyFormatException e) {
      throw keyError(display, e);
    }
  }

  static CliException keyError(String display, KeyFormatException e) {
    return new CliException("cannot use key " + display + ": " + e.getMessage(), e);
  }
}
