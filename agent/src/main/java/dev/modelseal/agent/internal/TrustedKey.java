package dev.modelseal.agent.internal;

import dev.modelseal.core.CosignKeyReader;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.KeyId;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A trusted public key; {@code keyId} is {@link KeyId#hex}, {@code file} the absolute path read.
 * Immutable. The id is computed on first use, not in {@code premain}: the first SHA-256 of a JVM
 * starts the JCA providers, which the warm-up thread pays for instead.
 */
final class TrustedKey {
  private final String name;
  private final PublicKey key;
  private final Path file;
  private volatile String keyId;

  TrustedKey(String name, PublicKey key, Path file) {
    this.name = name;
    this.key = key;
    this.file = file;
  }

  String name() {
    return name;
  }

  PublicKey key() {
    return key;
  }

  Path file() {
    return file;
  }

  String keyId() {
    String id = keyId;
    if (id == null) {
      id = KeyId.hex(key);
      keyId = id;
    }
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedKey t && name.equals(t.name) && key.equals(t.key) && file.equals(t.file);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key, file);
  }

  @Override
  public String toString() {
    return "TrustedKey[" + name + ", " + file + "]";
  }

  /**
   * Reads a trusted key from a PEM public key file ({@link CosignKeyReader#readPublicKey(Path)}).
   *
   * @throws SettingsException with one line if the file cannot be read or is not a supported key
   */
  static TrustedKey read(String name, Path file) throws SettingsException {
    StrictSettings.requireOwnerWritableOnly(file, "key");
    try {
      PublicKey key = CosignKeyReader.readPublicKey(file);
      return new TrustedKey(name, key, file);
    } catch (IOException e) {
      throw new SettingsException("cannot read key " + file + ": " + ConfigFile.reason(e));
    } catch (KeyFormatException e) {
      throw new SettingsException("cannot read key " + file + ": " + e.getMessage());
    }
  }
}
