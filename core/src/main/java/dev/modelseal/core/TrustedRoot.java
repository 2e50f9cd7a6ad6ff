package dev.modelseal.core;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A Sigstore {@code trusted_root.json} (media type {@code application/vnd.dev.sigstore.trustedroot+json;version=0.1}),
 * parsed and bounded: the Fulcio certificate authorities, the transparency logs (Rekor), the certificate
 * transparency logs and the timestamp authorities, each with its validity window. Immutable.
 */
public final class TrustedRoot {
  private final List<Authority> certificateAuthorities;
  private final List<Authority> timestampAuthorities;
  private final List<LogKey> transparencyLogs;
  private final List<LogKey> ctLogs;

  TrustedRoot(List<Authority> certificateAuthorities, List<Authority> timestampAuthorities,
      List<LogKey> transparencyLogs, List<LogKey> ctLogs) {
    this.certificateAuthorities = List.copyOf(certificateAuthorities);
    this.timestampAuthorities = List.copyOf(timestampAuthorities);
    this.transparencyLogs = List.copyOf(transparencyLogs);
    this.ctLogs = List.copyOf(ctLogs);
  }

  /**
   * Reads a trusted root file.
   *
   * @throws VerificationException {@code MALFORMED_SIGNATURE} if it is not a trusted root
   * @throws IOException if the file cannot be read
   */
  public static TrustedRoot read(Path file) throws IOException, VerificationException {
    throw new UnsupportedOperationException("TrustedRoot.read: being written");
  }

  /** Parses trusted root JSON. */
  static TrustedRoot parse(byte[] json) throws VerificationException {
    throw new UnsupportedOperationException("TrustedRoot.parse: being written");
  }

  List<Authority> certificateAuthorities() {
    return certificateAuthorities;
  }

  List<Authority> timestampAuthorities() {
    return timestampAuthorities;
  }

  List<LogKey> transparencyLogs() {
    return transparencyLogs;
  }

  List<LogKey> ctLogs() {
    return ctLogs;
  }

  /**
   * A certificate or timestamp authority: its chain as the trusted root lists it (issuing certificate
   * first, root last) and its validity window; {@code end} null means open-ended.
   */
  record Authority(String uri, List<X509Certificate> chain, Instant start, Instant end) {
    /** True when {@code t} lies in [start, end] (both ends inclusive). */
    boolean validAt(Instant t) {
      return start != null && !t.isBefore(start) && (end == null || !t.isAfter(end));
    }
  }

  /**
   * A log's public key: the log id (SHA-256 of the key's DER SubjectPublicKeyInfo unless the root says
   * otherwise), the key and its validity window. A key without a start is never valid.
   */
  record LogKey(String baseUrl, byte[] logId, PublicKey key, Instant start, Instant end) {
    /** True when {@code t} lies in [start, end] (both ends inclusive). */
    boolean validAt(Instant t) {
      return start != null && !t.isBefore(start) && (end == null || !t.isAfter(end));
    }
  }

  /**
   * The date the shipped trusted root ({@link #shipped()}) was last updated: the Sigstore public-good
   * production {@code trusted_root.json} as sigstore-python embeds it (its TUF target at commit
   * 27db13db157ecae5606eb22ec0be299ef348c370, last updated 2025-10-21). Keys, CAs or logs added by Sigstore
   * after that date are unknown to it: pass a newer {@code trusted_root.json} to verify their signatures.
   */
  public static final String SHIPPED_ROOT_DATE = "2025-10-21";

  /** Where the shipped trusted root lies on the class path. */
  static final String SHIPPED_RESOURCE = "trusted_root.production.json";

  /**
   * Returns the Sigstore public-good production trusted root shipped inside ModelSeal (as of
   * {@link #SHIPPED_ROOT_DATE}); used when the caller gives none. Nothing is fetched.
   *
   * @throws IllegalStateException if the resource is missing or does not parse (a broken build)
   */
  public static TrustedRoot shipped() {
    try (java.io.InputStream in = TrustedRoot.class.getResourceAsStream(SHIPPED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the shipped trusted root " + SHIPPED_RESOURCE + " is missing");
      }
      return parse(in.readNBytes(4 << 20));
    } catch (IOException | VerificationException e) {
      throw new IllegalStateException("the shipped trusted root does not load: " + e.getMessage(), e);
    }
  }
}
