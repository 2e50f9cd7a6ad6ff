package dev.modelseal.cli;

import dev.modelseal.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * What a Sigstore bundle holds, read leniently before verification so that the CLI can send the user to
 * the right command: a DSSE envelope (an attestation) or a message signature, and whether it carries a
 * signing certificate (keyless) or names a key. Nothing here is trusted: unreadable input yields
 * {@code (false, false, null)} and is left for the verifier to reject with its precise message.
 *
 * @param dsse true when the bundle holds a {@code dsseEnvelope}
 * @param certificate true when its verification material is a certificate or certificate chain
 * @param predicateType the in-toto statement's {@code predicateType} for a DSSE bundle, or null
 */
record BundleShape(boolean dsse, boolean certificate, String predicateType) {
  /** Reads {@code json}; never throws. */
  static BundleShape of(byte[] json) {
    Object doc;
    try {
      doc = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (Json.ParseException | RuntimeException e) {
      return new BundleShape(false, false, null);
    }
    if (!(doc instanceof Map<?, ?> root)) {
      return new BundleShape(false, false, null);
    }
    boolean certificate = root.get("verificationMaterial") instanceof Map<?, ?> vm
        && (vm.containsKey("certificate") || vm.containsKey("x509CertificateChain"));
    if (!(root.get("dsseEnvelope") instanceof Map<?, ?> envelope)) {
      return new BundleShape(false, certificate, null);
    }
    return new BundleShape(true, certificate, predicateType(envelope));
  }

  private static String predicateType(Map<?, ?> envelope) {
    if (!(envelope.get("payload") instanceof String payload)) {
      return null;
    }
    try {
      byte[] statement = Base64.getDecoder().decode(payload);
      if (Json.parse(new String(statement, StandardCharsets.UTF_8)) instanceof Map<?, ?> s
          && s.get("predicateType") instanceof String type) {
        return type;
      }
    } catch (Json.ParseException | RuntimeException e) {
      // not a statement: the verifier says why
    }
    return null;
  }
}
