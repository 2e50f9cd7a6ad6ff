package dev.modelseal.core;

import java.security.cert.X509Certificate;

/**
 * Who may have signed a keyless bundle: the signing certificate's subject alternative name (a URI or an
 * e-mail address), exact or matched by a regular expression, and the OIDC issuer recorded by Fulcio.
 * Immutable; built with {@link #builder()}.
 */
public final class IdentityPolicy {
  private IdentityPolicy() {}

  /** Starts a policy; exactly one of SAN or SAN regexp and one of issuer or issuer regexp are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a Fulcio leaf certificate against this policy.
   *
   * @throws VerificationException {@code UNTRUSTED_KEY} when the identity or issuer does not match
   */
  public void check(X509Certificate leaf) throws VerificationException {
    throw new UnsupportedOperationException("IdentityPolicy.check: being written");
  }

  /** Builds an {@link IdentityPolicy}. */
  public static final class Builder {
    private Builder() {}

    /** Exact subject alternative name (URI or e-mail). */
    public Builder san(String san) {
      throw new UnsupportedOperationException("being written");
    }

    /** Regular expression the SAN must match (unanchored, as cosign's {@code --certificate-identity-regexp}). */
    public Builder sanRegexp(String regexp) {
      throw new UnsupportedOperationException("being written");
    }

    /** Exact OIDC issuer URL. */
    public Builder issuer(String issuer) {
      throw new UnsupportedOperationException("being written");
    }

    /** Regular expression the OIDC issuer must match (unanchored). */
    public Builder issuerRegexp(String regexp) {
      throw new UnsupportedOperationException("being written");
    }

    /**
     * Returns the policy.
     *
     * @throws IllegalStateException when SAN or issuer is missing or given twice
     */
    public IdentityPolicy build() {
      throw new UnsupportedOperationException("being written");
    }
  }
}
