package dev.modelseal.agent.internal;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fixtures for the keyless tests: the Sigstore conformance vector {@code happy-path-v0.3} (the file {@code a.txt},
 * its keyless bundle, the production trusted root; see {@code sigstore/NOTICE.md}) and the identity that signed it.
 */
final class Keyless {
  /** The certificate's SAN (a GitHub Actions workflow). */
  static final String SAN = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/"
      + "workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  /** The certificate's OIDC issuer. */
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  private Keyless() {}

  /** A file of the vector, in the test classes. */
  static Path resource(String name) {
    try {
      return Path.of(Keyless.class.getResource("/sigstore/happy-path-v0.3/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The production trusted root of the vector. */
  static Path trustedRoot() {
    return resource("trusted_root.production.json");
  }

  /** Copies {@code a.txt} to {@code file} and its bundle to {@code file.sigstore.json}; returns {@code file}. */
  static Path signedModel(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.copy(resource("a.txt"), file);
    Files.copy(resource("bundle.sigstore.json"), file.resolveSibling(file.getFileName() + ".sigstore.json"));
    return file;
  }

  /** The config lines of identity {@code name}: SAN {@code san}, issuer {@code issuer}. */
  static String identity(String name, String san, String issuer) {
    return "identity." + name + ".san = " + san + "\nidentity." + name + ".issuer = " + issuer + "\n";
  }

  /** The config lines of identity {@code name} that signed the vector, with its trusted root. */
  static String signer(String name) {
    return identity(name, SAN, ISSUER);
  }

  /** The {@code trusted-root} line naming the vector's root. */
  static String rootLine() {
    return "trusted-root = " + trustedRoot() + "\n";
  }
}
