package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Sigstore {@code trusted_root.json} (media type {@code application/vnd.dev.sigstore.trustedroot+json;version=0.1}),
 * parsed and bounded: the Fulcio certificate authorities, the transparency logs (Rekor), the certificate
 * transparency logs and the timestamp authorities, each with its validity window. Immutable.
 *
 * <p>A log whose key type ModelSeal does not support (or whose key does not match its stated type, or
 * whose Merkle hash is not SHA2_256) is kept with a null key and is never valid, as sigstore-python
 * skips the keys it cannot load instead of refusing the whole root.
 */
public final class TrustedRoot {
  /** The largest trusted root file read (the public-good root is about 7 KiB). */
  static final int MAX_BYTES = 1 << 20;
  static final String MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

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
   * Reads a trusted root file of at most 1 MiB.
   *
   * @throws VerificationException {@code TOO_LARGE} if the file is over 1 MiB; {@code MALFORMED_SIGNATURE}
   *     if it is not a trusted root (not JSON, another media type, a missing or corrupt member)
   * @throws IOException if the file cannot be read
   */
  public static TrustedRoot read(Path file) throws IOException, VerificationException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new VerificationException(Reason.TOO_LARGE,
          "trusted root " + file + " is larger than " + MAX_BYTES + " bytes");
    }
    return parse(bytes);
  }

  /**
   * Parses trusted root JSON of at most 1 MiB (for a root read from somewhere other than a file: the shipped one, as
   * packed in a jar, for instance).
   *
   * @throws VerificationException {@code TOO_LARGE} if it is over 1 MiB; {@code MALFORMED_SIGNATURE} if it is not a
   *     trusted root
   */
  public static TrustedRoot parse(byte[] json) throws VerificationException {
    if (json.length > MAX_BYTES) {
      throw new VerificationException(Reason.TOO_LARGE, "trusted root is larger than " + MAX_BYTES + " bytes");
    }
    Object doc;
    try {
      doc = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      throw malformed("trusted root is not JSON: " + e.getMessage());
    }
    Map<String, Object> root = BundleFields.object(doc, "trusted root");
    String mediaType = BundleFields.string(root, "mediaType", "trusted root");
    if (!MEDIA_TYPE.equals(mediaType)) {
      throw malformed("trusted root has media type " + mediaType + ", expected " + MEDIA_TYPE);
    }
    List<Authority> cas = new ArrayList<>();
    for (Object o : entries(root, "certificateAuthorities")) {
      cas.add(TrustedRootEntries.authority(o, "trusted root certificateAuthorities[" + cas.size() + "]"));
    }
    List<Authority> tsas = new ArrayList<>();
    for (Object o : entries(root, "timestampAuthorities")) {
      tsas.add(TrustedRootEntries.authority(o, "trusted root timestampAuthorities[" + tsas.size() + "]"));
    }
    List<LogKey> tlogs = new ArrayList<>();
    for (Object o : entries(root, "tlogs")) {
      tlogs.add(TrustedRootEntries.logKey(o, "trusted root tlogs[" + tlogs.size() + "]"));
    }
    List<LogKey> ctlogs = new ArrayList<>();
    for (Object o : entries(root, "ctlogs")) {
      ctlogs.add(TrustedRootEntries.logKey(o, "trusted root ctlogs[" + ctlogs.size() + "]"));
    }
    return new TrustedRoot(cas, tsas, tlogs, ctlogs);
  }

  /** An optional array member (absent or null means empty), at most {@link TrustedRootEntries#MAX_ENTRIES}. */
  private static List<Object> entries(Map<String, Object> root, String name) throws VerificationException {
    Object v = root.get(name);
    if (v == null || v == Json.NULL) {
      return List.of();
    }
    List<Object> list = BundleFields.list(root, name, "trusted root");
    if (list.size() > TrustedRootEntries.MAX_ENTRIES) {
      throw malformed("trusted root " + name + " has " + list.size() + " entries, more than "
          + TrustedRootEntries.MAX_ENTRIES);
    }
    return list;
  }

  static VerificationException malformed(String message) {
    return new VerificationException(Reason.MALFORMED_SIGNATURE, message);
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
   * The transparency log whose id is {@code logId} (the first one when the root lists it twice), usable
   * or not; the caller checks {@link LogKey#validAt}.
   */
  Optional<LogKey> tlog(byte[] logId) {
    return byId(transparencyLogs, logId);
  }

  /** The certificate transparency log whose id is {@code logId}, as {@link #tlog}. */
  Optional<LogKey> ctlog(byte[] logId) {
    return byId(ctLogs, logId);
  }

  /**
   * Every transparency log with this id, in the root's order (a root may list one key twice with two
   * windows); the caller keeps the one valid at its time.
   */
  List<LogKey> tlogs(byte[] logId) {
    return allById(transparencyLogs, logId);
  }

  /** Every certificate transparency log with this id, as {@link #tlogs}. */
  List<LogKey> ctlogs(byte[] logId) {
    return allById(ctLogs, logId);
  }

  private static Optional<LogKey> byId(List<LogKey> logs, byte[] logId) {
    List<LogKey> all = allById(logs, logId);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  private static List<LogKey> allById(List<LogKey> logs, byte[] logId) {
    List<LogKey> out = new ArrayList<>();
    for (LogKey k : logs) {
      if (Arrays.equals(k.logId(), logId)) {
        out.add(k);
      }
    }
    return out;
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
   * otherwise), the key and its validity window. A key without a start is never valid; a null key (a
   * type ModelSeal does not support) is never valid either.
   */
  record LogKey(String baseUrl, byte[] logId, PublicKey key, Instant start, Instant end) {
    /** True when the key is usable and {@code t} lies in [start, end] (both ends inclusive). */
    boolean validAt(Instant t) {
      return key != null && start != null && !t.isBefore(start) && (end == null || !t.isAfter(end));
    }
  }

  /**
   * The date the shipped trusted root ({@link #shipped()}) was last updated: the Sigstore public-good
   * production {@code trusted_root.json} as sigstore-python embeds it (its TUF target at commit
   * 27db13db157ecae5606eb22ec0be299ef348c370, last updated 2025-10-21). Keys, CAs or logs added by Sigstore
   * after that date are unknown to it: pass a newer {@code trusted_root.json} to verify their signatures.
   */
  public static final String SHIPPED_ROOT_DATE = "2025-10-21";

  /** The shipped trusted root's file name, beside this class (on the class path, or in a jar that packs it). */
  public static final String SHIPPED_RESOURCE = "trusted_root.production.json";

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
