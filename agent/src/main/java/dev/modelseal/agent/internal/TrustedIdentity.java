package dev.modelseal.agent.internal;

import dev.modelseal.core.IdentityPolicy;
import dev.modelseal.core.KeylessVerifier;
import dev.modelseal.core.ModelVerifier;
import dev.modelseal.core.TrustedRoot;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trusted keyless signer (a config file's {@code identity.<name>.*}): the Fulcio certificate's subject alternative
 * name, exact ({@code san}) or an unanchored regular expression ({@code sanRegexp}), and its OIDC issuer, exact or
 * a regular expression; exactly one of each pair is non-null. Signatures are checked against the trusted root the
 * settings froze at start. Immutable; the verifiers are built on first use, not in {@code premain} (start-up time:
 * they load the keyless classes), and then shared by every thread.
 */
final class TrustedIdentity {
  /** How a signer string names an identity ({@link #signer}); a key is named by its hex id, never with a colon. */
  static final String SIGNER_PREFIX = "identity:";

  private final String name;
  private final String san;
  private final String sanRegexp;
  private final String issuer;
  private final String issuerRegexp;
  private final TrustedRoot root;
  private volatile KeylessVerifier blobVerifier;
  private volatile ModelVerifier modelVerifier;

  TrustedIdentity(String name, String san, String sanRegexp, String issuer, String issuerRegexp, TrustedRoot root) {
    if ((san == null) == (sanRegexp == null) || (issuer == null) == (issuerRegexp == null)) {
      throw new IllegalArgumentException("identity " + name + ": exactly one SAN and one issuer setting");
    }
    this.name = name;
    this.san = san;
    this.sanRegexp = sanRegexp;
    this.issuer = issuer;
    this.issuerRegexp = issuerRegexp;
    this.root = root;
  }

  /**
   * The identities of a config file, with its trusted root ({@code trusted-root}, else the shipped one, from
   * {@code agentJar} when the agent runs packaged, else {@link TrustedRoot#shipped()}) read once, here; with no
   * identity and no {@code trusted-root} the root is not read at all.
   *
   * @throws SettingsException with one line if the trusted root cannot be used
   */
  static List<TrustedIdentity> fromConfig(ConfigFile config, AgentJar agentJar) throws SettingsException {
    List<ConfigFile.IdentityEntry> entries = config.identities();
    List<TrustedIdentity> identities = new ArrayList<>();
    if (entries.isEmpty() && config.trustedRoot == null) {
      return identities;
    }
    TrustedRoot root = trustedRoot(config.trustedRoot, agentJar);
    for (ConfigFile.IdentityEntry e : entries) {
      identities.add(new TrustedIdentity(e.name(), e.san(), e.sanRegexp(), e.issuer(), e.issuerRegexp(), root));
    }
    return identities;
  }

  /**
   * Reads the trusted root for keyless signatures: {@code file} (refused if group or others may write it, as key
   * files are), or the shipped one when null: from {@code agentJar} itself when the agent runs packaged (never
   * through a class loader, see {@link AgentJar}), else from the class path ({@code agentJar} null: in tests).
   */
  static TrustedRoot trustedRoot(Path file, AgentJar agentJar) throws SettingsException {
    if (file == null) {
      try {
        return agentJar == null ? TrustedRoot.shipped() : shippedFrom(agentJar);
      } catch (IllegalStateException brokenBuild) {
        throw new SettingsException(brokenBuild.getMessage());
      }
    }
    StrictSettings.requireOwnerWritableOnly(file, "trusted root");
    try {
      return TrustedRoot.read(file);
    } catch (IOException e) {
      throw new SettingsException("cannot read trusted root " + file + ": " + ConfigFile.reason(e));
    } catch (VerificationException e) {
      throw new SettingsException("cannot read trusted root " + file + ": " + e.getMessage());
    }
  }

  String name() {
    return name;
  }

  /** The signer string of verdicts and decision lines: {@code identity:<name>}. */
  String signer() {
    return SIGNER_PREFIX + name;
  }

  /** True if {@code signer} names an identity ({@link #signer}), not a key id. */
  static boolean isIdentitySigner(String signer) {
    return signer != null && signer.startsWith(SIGNER_PREFIX);
  }

  /** How a refusal names a signer string: {@code key <hex>} or {@code identity <name>}. */
  static String describeSigner(String signer) {
    return isIdentitySigner(signer) ? "identity " + signer.substring(SIGNER_PREFIX.length()) : "key " + signer;
  }

  /** One line for the start banner: {@code name(san=...; issuer=...)}. */
  String describe() {
    return name + "(" + (san != null ? "san=" + san : "san-regexp=" + sanRegexp) + "; "
        + (issuer != null ? "issuer=" + issuer : "issuer-regexp=" + issuerRegexp) + ")";
  }

  /** The identity policy these settings describe. */
  IdentityPolicy policy() {
    return IdentityPolicy.of(san, sanRegexp, issuer, issuerRegexp);
  }

  /** The verifier of keyless blob bundles ({@code X.sigstore.json}) by this identity, built on first use. */
  KeylessVerifier blobVerifier() {
    KeylessVerifier v = blobVerifier;
    if (v == null) {
      synchronized (this) {
        v = blobVerifier;
        if (v == null) {
          v = KeylessVerifier.builder(root, policy()).build();
          blobVerifier = v;
        }
      }
    }
    return v;
  }

  /** The verifier of keyless OpenSSF model signatures ({@code model.sig}) by this identity, built on first use. */
  ModelVerifier modelVerifier() {
    ModelVerifier v = modelVerifier;
    if (v == null) {
      synchronized (this) {
        v = modelVerifier;
        if (v == null) {
          v = ModelVerifier.builder().keyless(root, policy()).build();
          modelVerifier = v;
        }
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return "TrustedIdentity[" + describe() + "]";
  }

  private static TrustedRoot shippedFrom(AgentJar agentJar) throws SettingsException {
    try {
      byte[] json = agentJar.resource(TrustedRoot.class, TrustedRoot.SHIPPED_RESOURCE, 1 << 20);
      if (json == null) {
        throw new SettingsException("the shipped trusted root " + TrustedRoot.SHIPPED_RESOURCE + " is missing from "
            + agentJar);
      }
      return TrustedRoot.parse(json);
    } catch (IOException e) {
      throw new SettingsException("cannot read the shipped trusted root from " + agentJar + ": " + e.getMessage());
    } catch (VerificationException e) {
      throw new SettingsException("the shipped trusted root does not load: " + e.getMessage());
    }
  }
}
