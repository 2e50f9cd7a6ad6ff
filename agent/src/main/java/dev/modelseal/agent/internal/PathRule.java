package dev.modelseal.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Models under {@code prefix} must be signed by one of the keys named in {@code keyNames} or, keyless, by one of
 * the identities named in {@code identityNames}, in {@code format} (a config file's {@code rule.<name>.*}).
 * Immutable.
 */
record PathRule(Path prefix, Set<String> keyNames, Format format, Set<String> identityNames) {
  PathRule {
    keyNames = Collections.unmodifiableSet(new LinkedHashSet<>(keyNames));
    identityNames = Collections.unmodifiableSet(new LinkedHashSet<>(identityNames));
  }

  /** A rule that names keys only. */
  PathRule(Path prefix, Set<String> keyNames, Format format) {
    this(prefix, keyNames, format, Set.of());
  }

  /** Which signature formats a location accepts ({@code rule.<name>.format}). */
  enum Format {
    /** Per-file cosign signatures or OpenSSF Model Signing, whichever the model carries. */
    ANY,
    /** Only OpenSSF Model Signing: a directory's {@code model.sig}, or an OMS bundle for a file. */
    MODEL_SIGNING,
    /** Only per-file cosign signatures ({@code X.sig}, {@code X.sigstore.json}). */
    COSIGN;

    /** The refusal of a model whose signature is of the other format than this required one. */
    Rejection refusal() {
      return new Rejection(dev.modelseal.bootstrap.RejectReason.UNSIGNED, this == MODEL_SIGNING
          ? "this location requires an OpenSSF model signature (model.sig as sign-model writes it), not cosign"
              + " signatures"
          : "this location requires cosign signatures, not an OpenSSF model signature");
    }

    static Format parse(String value, String at) throws SettingsException {
      return switch (value) {
        case "any" -> ANY;
        case "model-signing" -> MODEL_SIGNING;
        case "cosign" -> COSIGN;
        default -> throw new SettingsException(at + "invalid format \"" + value
            + "\" (expected any, model-signing or cosign)");
      };
    }
  }

  /**
   * Returns an absolute path as a prefix to compare against: normalized, then with its longest
   * existing ancestor replaced by that ancestor's real path (so a symlinked mount compares equal to
   * its target even if the leaf does not exist yet). Returns {@code null} if not absolute or invalid.
   */
  static Path canonicalPrefix(String value) {
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
    if (!path.isAbsolute()) {
      return null;
    }
    path = path.normalize();
    for (Path existing = path; existing != null; existing = existing.getParent()) {
      if (Files.exists(existing)) {
        try {
          return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException e) {
          return path;
        }
      }
    }
    return path;
  }
}
