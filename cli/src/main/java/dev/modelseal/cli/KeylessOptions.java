package dev.modelseal.cli;

import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.TrustedRoot;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * cosign's keyless verification flags, shared by {@code verify-blob}, {@code verify-blob-attestation} and
 * {@code verify-model}: who must have signed ({@code --certificate-identity} or
 * {@code --certificate-identity-regexp}, and {@code --certificate-oidc-issuer} or
 * {@code --certificate-oidc-issuer-regexp}) and what to trust ({@code --trusted-root}, else the root
 * shipped with ModelSeal). Nothing is ever fetched from the network.
 */
final class KeylessOptions {
  static final String IDENTITY = "certificate-identity";
  static final String IDENTITY_REGEXP = "certificate-identity-regexp";
  static final String ISSUER = "certificate-oidc-issuer";
  static final String ISSUER_REGEXP = "certificate-oidc-issuer-regexp";
  static final String TRUSTED_ROOT = "trusted-root";

  /** The identity flags, in the order usage errors name them. */
  static final List<String> IDENTITY_FLAGS = List.of(IDENTITY, IDENTITY_REGEXP, ISSUER, ISSUER_REGEXP);

  /** When the shipped Sigstore public-good trusted root was last updated ({@link TrustedRoot#shipped()}). */
  static final String SHIPPED_ROOT_DATE = TrustedRoot.SHIPPED_ROOT_DATE;

  /** The paragraph every keyless command's help ends with. */
  static final String HELP = """
      Keyless (--certificate-identity...): the bundle's Fulcio certificate must chain to a certificate
      authority of the trusted root at the signing time, its SCT must verify, the transparency-log
      entry (signed entry timestamp and/or inclusion proof with a signed checkpoint) and any RFC 3161
      timestamps must verify with the root's keys and prove the signing time, and the certificate must
      name the given identity and OIDC issuer. Regular expressions are unanchored (use ^...$), as in
      cosign. Without --trusted-root, the Sigstore public-good trusted root shipped with ModelSeal is
      used; it dates from {DATE}. Signatures made after the public-good keys rotate need a newer
      trusted_root.json: pass it with --trusted-root (for example the one `cosign initialize` caches
      under ~/.sigstore/root/). Nothing is fetched from the network.""".replace("{DATE}", SHIPPED_ROOT_DATE);

  private KeylessOptions() {}

  /** Declares the four identity flags on {@code flags}. */
  static Flags declareIdentity(Flags flags) {
    return flags
        .string(IDENTITY, null, "ID", "keyless: the signing certificate's identity (SAN: URI or e-mail), exact")
        .string(IDENTITY_REGEXP, null, "RE", "keyless: a regular expression the certificate's identity must match")
        .string(ISSUER, null, "URL", "keyless: the OIDC issuer the certificate must name, exact")
        .string(ISSUER_REGEXP, null, "RE", "keyless: a regular expression the OIDC issuer must match");
  }

  /**
   * Declares on {@code flags} the cosign verify flags accepted with no effect here (verification is always offline,
   * the bundle format is detected, keyless log entries and SCTs are always verified), as verify-blob and
   * verify-blob-attestation take them.
   */
  static Flags declareNoEffectVerifyFlags(Flags flags) {
    return flags
        .bool("insecure-ignore-tlog", null, "no effect (keyless bundles always have their log entries verified)")
        .bool("private-infrastructure", null, "no effect (verification is always offline)")
        .bool("offline", null, "no effect (verification is always offline)")
        .bool("new-bundle-format", null, "no effect (the bundle format is detected)")
        .bool("insecure-ignore-sct", null, "no effect (keyless certificates always have their SCT verified)");
  }

  /** Returns the first identity flag given (in {@link #IDENTITY_FLAGS} order), or null if none was. */
  static String identityFlagGiven(Flags.Parsed f) {
    for (String name : IDENTITY_FLAGS) {
      if (f.has(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * Checks that exactly one of a key ({@code --key}) and the keyless identity flags was given; returns
   * the first identity flag given, or null for {@code --key}.
   */
  static String keyOrIdentity(Flags.Parsed f) throws CliException {
    String identityFlag = identityFlagGiven(f);
    if ("".equals(f.string("key"))) {
      throw new CliException("--key must not be empty");
    }
    if (f.has("key") && identityFlag != null) {
      throw new CliException("--key and --" + identityFlag + " cannot be used together");
    }
    if (!f.has("key") && identityFlag == null) {
      throw new CliException("--key, or --certificate-identity and --certificate-oidc-issuer (keyless), "
          + "is required");
    }
    return identityFlag;
  }

  /**
   * Builds the identity policy from the flags: exactly one identity flag and one issuer flag, non-empty,
   * regular expressions that compile.
   */
  static IdentityPolicy policy(Flags.Parsed f) throws CliException {
    String san = value(f, IDENTITY);
    String sanRegexp = value(f, IDENTITY_REGEXP);
    String issuer = value(f, ISSUER);
    String issuerRegexp = value(f, ISSUER_REGEXP);
    if (san != null && sanRegexp != null) {
      throw new CliException("--" + IDENTITY + " and --" + IDENTITY_REGEXP + " cannot be used together");
    }
    if (issuer != null && issuerRegexp != null) {
      throw new CliException("--" + ISSUER + " and --" + ISSUER_REGEXP + " cannot be used together");
    }
    if (san == null && sanRegexp == null) {
      throw new CliException("--" + IDENTITY + " or --" + IDENTITY_REGEXP
          + " is required for verification in keyless mode");
    }
    if (issuer == null && issuerRegexp == null) {
      throw new CliException("--" + ISSUER + " or --" + ISSUER_REGEXP
          + " is required for verification in keyless mode");
    }
    if (sanRegexp != null) {
      compile(IDENTITY_REGEXP, sanRegexp);
    }
    if (issuerRegexp != null) {
      compile(ISSUER_REGEXP, issuerRegexp);
    }
    return IdentityPolicy.of(san, sanRegexp, issuer, issuerRegexp);
  }

  private static String value(Flags.Parsed f, String name) throws CliException {
    String v = f.string(name);
    if (v != null && v.isEmpty()) {
      throw new CliException("--" + name + " must not be empty");
    }
    return v;
  }

  private static void compile(String flag, String regexp) throws CliException {
    try {
      Pattern.compile(regexp);
    } catch (PatternSyntaxException e) {
      throw new CliException("invalid --" + flag + " \"" + regexp + "\": " + e.getDescription()
          + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""), e);
    }
  }

  /** The trusted root: the {@code --trusted-root} file, or the one shipped with ModelSeal. */
  static TrustedRoot trustedRoot(CliIo io, Flags.Parsed f) throws CliException {
    String arg = f.string(TRUSTED_ROOT);
    if (arg == null) {
      return TrustedRoot.shipped();
    }
    if (arg.isEmpty()) {
      throw new CliException("--" + TRUSTED_ROOT + " must not be empty");
    }
    try {
      return TrustedRoot.read(Inputs.existingFile(io, arg));
    } catch (IOException e) {
      throw Inputs.readError(arg, e);
    } catch (VerificationException e) {
      throw new CliException("invalid trusted root " + arg + ": " + e.getMessage(), e);
    }
  }
}
