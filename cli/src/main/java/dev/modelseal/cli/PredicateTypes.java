package dev.modelseal.cli;

import dev.modelseal.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code verify-blob-attestation --type}: cosign's predicate type names and URIs, and the
 * {@code predicateType} an attestation bundle's in-toto statement declares.
 */
final class PredicateTypes {
  /** cosign's {@code --type} short names and the predicate type URIs they stand for. */
  static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("custom", "https://cosign.sigstore.dev/attestation/v1"),
      Map.entry("slsaprovenance", "https://slsa.dev/provenance/v0.2"),
      Map.entry("slsaprovenance02", "https://slsa.dev/provenance/v0.2"),
      Map.entry("slsaprovenance1", "https://slsa.dev/provenance/v1"),
      Map.entry("link", "https://in-toto.io/Link/v1"),
      Map.entry("spdx", "https://spdx.dev/Document"),
      Map.entry("spdxjson", "https://spdx.dev/Document"),
      Map.entry("cyclonedx", "https://cyclonedx.org/bom"),
      Map.entry("cyclonedxxml", "https://cyclonedx.org/bom"),
      Map.entry("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"),
      Map.entry("openvex", "https://openvex.dev/ns"));

  private PredicateTypes() {}

  /** The URI {@code --type} stands for (a cosign name or a URI); null when the flag was not given. */
  static String resolve(String type) throws CliException {
    if (type == null) {
      return null;
    }
    String uri = NAMES.get(type);
    if (uri != null) {
      return uri;
    }
    if (type.indexOf(':') <= 0 || type.chars().anyMatch(Character::isWhitespace)) {
      throw new CliException("invalid predicate type: " + type);
    }
    return type;
  }

  /**
   * The {@code predicateType} of the statement in a DSSE bundle, read leniently once the bundle has
   * verified; null when there is none. Never throws.
   */
  static String of(byte[] bundleJson) {
    try {
      if (Json.parse(new String(bundleJson, StandardCharsets.UTF_8)) instanceof Map<?, ?> root
          && root.get("dsseEnvelope") instanceof Map<?, ?> envelope
          && envelope.get("payload") instanceof String payload
          && Json.parse(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)) instanceof Map<?, ?> s
          && s.get("predicateType") instanceof String type) {
        return type;
      }
    } catch (Json.ParseException | RuntimeException e) {
      // not a statement: no type
    }
    return null;
  }
}
