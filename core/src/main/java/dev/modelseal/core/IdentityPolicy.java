package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTF8String;

/**
 * Who may have signed a keyless bundle: the signing certificate's subject alternative name (a URI or an
 * e-mail address), exact or matched by a regular expression, and the OIDC issuer recorded by Fulcio.
 * Immutable; built with {@link #builder()}.
 *
 * <p>Exact values are compared as whole strings (no prefix or suffix match). Regular expressions are
 * Java {@link Pattern}s matched with {@link java.util.regex.Matcher#find()}, i.e. unanchored as cosign's
 * Go {@code MatchString}: anchor them with {@code ^...$} to match the whole value.
 */
public final class IdentityPolicy {
  /** Fulcio's OIDC issuer extension (a DER UTF8String). */
  static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  /** Fulcio's deprecated OIDC issuer extension (the raw string bytes). */
  static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  private static final int SAN_URI = 6;
  private static final int SAN_EMAIL = 1;

  private final String san;
  private final Pattern sanPattern;
  private final String issuer;
  private final Pattern issuerPattern;

  private IdentityPolicy(Builder b) {
    this.san = b.san;
    this.sanPattern = b.sanPattern;
    this.issuer = b.issuer;
    this.issuerPattern = b.issuerPattern;
  }

  /** Starts a policy; exactly one of SAN or SAN regexp and one of issuer or issuer regexp are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The policy for one SAN and one issuer, each given exactly or as a regular expression: the exact value
   * where it is non-null (its regexp then ignored), else the regexp, as {@link Builder#san} or
   * {@link Builder#sanRegexp} and {@link Builder#issuer} or {@link Builder#issuerRegexp}.
   *
   * @param san exact subject alternative name, or null to use {@code sanRegexp}
   * @param sanRegexp regular expression the SAN must match; used only when {@code san} is null
   * @param issuer exact OIDC issuer URL, or null to use {@code issuerRegexp}
   * @param issuerRegexp regular expression the issuer must match; used only when {@code issuer} is null
   * @throws IllegalArgumentException if a regular expression used does not compile
   * @throws NullPointerException if both values of a pair are null
   */
  public static IdentityPolicy of(String san, String sanRegexp, String issuer, String issuerRegexp) {
    Builder b = builder();
    if (san != null) {
      b.san(san);
    } else {
      b.sanRegexp(sanRegexp);
    }
    if (issuer != null) {
      b.issuer(issuer);
    } else {
      b.issuerRegexp(issuerRegexp);
    }
    return b.build();
  }

  /**
   * Checks a Fulcio leaf certificate against this policy: one of its URI or e-mail SANs must match, and
   * its OIDC issuer extension (1.3.6.1.4.1.57264.1.8, else the deprecated 1.3.6.1.4.1.57264.1.1) must
   * match.
   *
   * @throws VerificationException {@code UNTRUSTED_KEY} when the identity or issuer does not match or the
   *     certificate has none; {@code MALFORMED_SIGNATURE} when its SAN or issuer extension is corrupt
   */
  public void check(X509Certificate leaf) throws VerificationException {
    List<String> sans = subjectAlternativeNames(leaf);
    if (sans.isEmpty()) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "certificate has no URI or e-mail subject alternative name; expected " + describeSan());
    }
    boolean sanOk = false;
    for (String s : sans) {
      sanOk |= sanPattern != null ? sanPattern.matcher(s).find() : s.equals(san);
    }
    if (!sanOk) {
      throw new VerificationException(Reason.UNTRUSTED_KEY, "certificate identity " + String.join(", ", sans)
          + " does not match the expected " + describeSan());
    }
    String actual = oidcIssuer(leaf);
    if (actual == null) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "certificate has no OIDC issuer extension; expected " + describeIssuer());
    }
    boolean issuerOk = issuerPattern != null ? issuerPattern.matcher(actual).find() : actual.equals(issuer);
    if (!issuerOk) {
      throw new VerificationException(Reason.UNTRUSTED_KEY,
          "certificate OIDC issuer " + actual + " does not match the expected " + describeIssuer());
    }
  }

  /** The exact SAN required, or null when a regular expression is. */
  public String san() {
    return san;
  }

  /** The SAN regular expression, or null when an exact SAN is required. */
  public String sanRegexp() {
    return sanPattern == null ? null : sanPattern.pattern();
  }

  /** The exact OIDC issuer required, or null when a regular expression is. */
  public String issuer() {
    return issuer;
  }

  /** The OIDC issuer regular expression, or null when an exact issuer is required. */
  public String issuerRegexp() {
    return issuerPattern == null ? null : issuerPattern.pattern();
  }

  /** Describes the policy, e.g. {@code identity https://x/y, OIDC issuer matching ^https://.*$}. */
  @Override
  public String toString() {
    return "identity " + describeSan() + ", OIDC issuer " + describeIssuer();
  }

  private String describeSan() {
    return sanPattern != null ? "matching " + sanPattern.pattern() : san;
  }

  private String describeIssuer() {
    return issuerPattern != null ? "matching " + issuerPattern.pattern() : issuer;
  }

  /** The certificate's URI and e-mail SANs, in its order. */
  static List<String> subjectAlternativeNames(X509Certificate leaf) throws VerificationException {
    Collection<List<?>> all;
    try {
      all = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "signing certificate has a corrupt subject alternative name extension");
    }
    List<String> out = new ArrayList<>();
    if (all != null) {
      for (List<?> entry : all) {
        if (entry.size() == 2 && entry.get(0) instanceof Integer type
            && (type == SAN_URI || type == SAN_EMAIL) && entry.get(1) instanceof String value) {
          out.add(value);
        }
      }
    }
    return out;
  }

  /** The Fulcio OIDC issuer, from the .1.8 extension else the deprecated .1.1; null when neither is present. */
  static String oidcIssuer(X509Certificate leaf) throws VerificationException {
    byte[] v2 = leaf.getExtensionValue(ISSUER_V2);
    try {
      if (v2 != null) {
        ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        return ASN1UTF8String.getInstance(inner).getString();
      }
      byte[] v1 = leaf.getExtensionValue(ISSUER_V1);
      if (v1 != null) {
        return new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "signing certificate has a corrupt OIDC issuer extension");
    }
    return null;
  }

  /** Builds an {@link IdentityPolicy}. */
  public static final class Builder {
    private String san;
    private Pattern sanPattern;
    private boolean sanSet;
    private String issuer;
    private Pattern issuerPattern;
    private boolean issuerSet;

    private Builder() {}

    /**
     * Exact subject alternative name (URI or e-mail).
     *
     * @throws IllegalStateException if a SAN or SAN regexp was already given
     */
    public Builder san(String san) {
      requireNoSan();
      this.san = Objects.requireNonNull(san, "san");
      return this;
    }

    /**
     * Regular expression the SAN must match (unanchored, as cosign's {@code --certificate-identity-regexp}).
     *
     * @throws IllegalStateException if a SAN or SAN regexp was already given
     * @throws IllegalArgumentException if the expression does not compile
     */
    public Builder sanRegexp(String regexp) {
      requireNoSan();
      this.sanPattern = compile(regexp, "identity");
      return this;
    }

    /**
     * Exact OIDC issuer URL.
     *
     * @throws IllegalStateException if an issuer or issuer regexp was already given
     */
    public Builder issuer(String issuer) {
      requireNoIssuer();
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /**
     * Regular expression the OIDC issuer must match (unanchored).
     *
     * @throws IllegalStateException if an issuer or issuer regexp was already given
     * @throws IllegalArgumentException if the expression does not compile
     */
    public Builder issuerRegexp(String regexp) {
      requireNoIssuer();
      this.issuerPattern = compile(regexp, "OIDC issuer");
      return this;
    }

    /**
     * Returns the policy.
     *
     * @throws IllegalStateException when SAN or issuer is missing or given twice
     */
    public IdentityPolicy build() {
      if (!sanSet) {
        throw new IllegalStateException("identity policy needs a certificate identity (san or sanRegexp)");
      }
      if (!issuerSet) {
        throw new IllegalStateException("identity policy needs an OIDC issuer (issuer or issuerRegexp)");
      }
      return new IdentityPolicy(this);
    }

    private void requireNoSan() {
      if (sanSet) {
        throw new IllegalStateException("identity policy takes exactly one of san and sanRegexp, once");
      }
      sanSet = true;
    }

    private void requireNoIssuer() {
      if (issuerSet) {
        throw new IllegalStateException("identity policy takes exactly one of issuer and issuerRegexp, once");
      }
      issuerSet = true;
    }

    private static Pattern compile(String regexp, String what) {
      Objects.requireNonNull(regexp, what + " regexp");
      try {
        return Pattern.compile(regexp);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid " + what + " regular expression " + regexp + ": "
            + e.getDescription(), e);
      }
    }
  }
}
