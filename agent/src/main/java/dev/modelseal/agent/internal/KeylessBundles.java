package dev.modelseal.agent.internal;

import dev.modelseal.core.SignatureMaterial;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Tells keyless signatures (a Fulcio certificate in the bundle's verification material) from key signatures, so that
 * each is checked only with what can trust it: trusted identities or trusted keys, never both ({@link KeyRule}).
 * This only routes: the verifier of the chosen kind still refuses a bundle of the other kind.
 */
final class KeylessBundles {
  private KeylessBundles() {}

  /** The digest names a keyless blob bundle with no {@code messageDigest} may be checked against. */
  private static final Set<String> ALL_DIGESTS = Set.of("SHA-256", "SHA-384", "SHA-512");

  /** True for a bundle that carries a signing certificate (a Fulcio keyless signature, {@link
   * SignatureMaterial#carriesCertificate}). */
  static boolean isKeyless(SignatureMaterial sig) {
    return sig != null && sig.carriesCertificate();
  }

  /**
   * The digests to compute for a keyless blob bundle: SHA-256 (the decision line's digest) and the one its {@code
   * messageDigest} names, else every one it might name.
   */
  static Set<String> digestsFor(SignatureMaterial sig) {
    Set<String> names = new LinkedHashSet<>();
    names.add("SHA-256");
    String name = sig.digestName();
    if (name == null) {
      names.addAll(ALL_DIGESTS);
    } else if (name.startsWith("SHA2_")) {
      names.add("SHA-" + name.substring("SHA2_".length()));
    }
    return names;
  }
}
