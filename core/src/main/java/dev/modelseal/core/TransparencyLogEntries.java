package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Verifies a bundle's {@code verificationMaterial.tlogEntries} offline against the trusted root's
 * transparency logs (Rekor v1 and v2), as sigstore-go does: each entry's log is trusted and its key valid
 * at the entry's time, its signed entry timestamp (SET) and/or inclusion proof with signed checkpoint
 * verify, and its body records exactly the bundle's signature, certificate or key, and digest.
 */
final class TransparencyLogEntries {
  /** The most entries accepted (sigstore-go's limit). */
  static final int MAX_ENTRIES = 32;
  /** The largest decoded entry body accepted. */
  static final int MAX_BODY_BYTES = 4 << 20;
  /** The largest base64 signature (SET) accepted, in characters. */
  private static final int MAX_SIGNATURE_CHARS = 4096;
  /** 9999-12-31T23:59:59Z: integrated times beyond are refused rather than overflowing {@link Instant}. */
  private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  private TransparencyLogEntries() {}

  /**
   * Verifies every entry and returns the integrated times that a verified SET vouches for (Rekor v1
   * entries with an inclusion promise), in entry order. A Rekor v2 entry contributes no time; its log
   * key must be valid at each of {@code timestampTimes} (the verified RFC 3161 times), which must not be
   * empty. So must the key of a Rekor v1 entry without a SET when there are timestamps: its integrated
   * time is unsigned and is neither returned nor used for the key's window then.
   *
   * @param tlogEntries the bundle's {@code tlogEntries} array as {@link Json#parse} returned it
   * @param content what the entries must record, taken from the bundle and the artifact
   * @param root the trusted root whose transparency logs are trusted
   * @param bundleMinorVersion the bundle's media type minor version (1 for v0.1, 2, 3)
   * @param timestampTimes the verified RFC 3161 timestamp times (may be empty)
   * @throws VerificationException MALFORMED_SIGNATURE for missing or unparsable fields (including a SET
   *     missing from a v0.1 bundle, an inclusion proof or checkpoint missing from a v0.2+ bundle, or a
   *     Rekor v2 entry without a timestamp); TOO_LARGE for too many entries or proof hashes;
   *     UNTRUSTED_KEY for an unknown log, a log key outside its validity, or a logged certificate or key
   *     that is not the bundle's; SIGNATURE_INVALID for a bad SET, checkpoint or inclusion proof, or a
   *     logged signature that is not the bundle's; DIGEST_MISMATCH for a logged digest that is not the
   *     artifact's; UNSUPPORTED for an unknown entry kind or bundle version
   */
  static List<Instant> verify(List<Object> tlogEntries, LoggedContent content, TrustedRoot root,
      int bundleMinorVersion, List<Instant> timestampTimes) throws VerificationException {
    if (bundleMinorVersion < 1 || bundleMinorVersion > 3) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "bundle version 0." + bundleMinorVersion + " is not supported for transparency log entries");
    }
    if (tlogEntries == null || tlogEntries.isEmpty()) {
      throw malformed("bundle has no transparency log entry");
    }
    if (tlogEntries.size() > MAX_ENTRIES) {
      throw new VerificationException(Reason.TOO_LARGE, "bundle has " + tlogEntries.size()
          + " transparency log entries, more than " + MAX_ENTRIES);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < tlogEntries.size(); i++) {
      Entry e = Entry.parse(i, BundleFields.object(tlogEntries.get(i), "transparency log entry " + i));
      for (Entry prior : entries) {
        if (MessageDigest.isEqual(prior.logId, e.logId) && prior.logIndex == e.logIndex) {
          throw malformed(e.where + " duplicates transparency log entry " + prior.index);
        }
      }
      entries.add(e);
    }
    List<Instant> times = new ArrayList<>();
    for (Entry e : entries) {
      Instant t = verifyEntry(e, content, root, bundleMinorVersion, timestampTimes);
      if (t != null) {
        times.add(t);
      }
    }
    return List.copyOf(times);
  }

  private static Instant verifyEntry(Entry e, LoggedContent content, TrustedRoot root, int minor,
      List<Instant> timestampTimes) throws VerificationException {
    if (minor == 1 && e.set == null) {
      throw malformed(e.where + " has no signed entry timestamp (inclusion promise), which a v0.1 bundle needs");
    }
    if (minor >= 2 && (e.proof == null || e.proof.checkpoint() == null)) {
      throw malformed(e.where + (e.proof == null ? " has no inclusion proof" : " has no checkpoint in its inclusion proof")
          + ", which a v0.2 or later bundle needs");
    }
    if (e.rekorV2 && e.set != null) {
      throw malformed(e.where + " is a Rekor v2 entry with a signed entry timestamp, which Rekor v2 never issues");
    }
    TrustedRoot.LogKey log = trustedLog(e, root, timestampTimes);
    if (e.set != null) {
      byte[] payload = setPayload(e);
      if (!logSignatureVerifies(log.key(), payload, e.set)) {
        throw new VerificationException(Reason.SIGNATURE_INVALID,
            e.where + ": signed entry timestamp does not verify with the log's key");
      }
    }
    if (e.proof != null) {
      LogCheckpoint.verifyInclusion(e.where, e.proof, leafHash(e.body));
      if (e.proof.checkpoint() != null) {
        LogCheckpoint.verifyCheckpoint(e.where, e.proof, log, e.rekorV2);
      }
    }
    LogEntryBody.verify(e.where, e.body, e.kind, e.version, content);
    return e.set != null ? e.integratedTime : null;
  }

  /** Finds the entry's log and checks its key is valid at the entry's time(s). */
  private static TrustedRoot.LogKey trustedLog(Entry e, TrustedRoot root, List<Instant> timestampTimes)
      throws VerificationException {
    // The integrated time is signed only by a SET. Without one it is the bundle's word, so the key's
    // window is checked at the verified RFC 3161 times when there are any (else a retired log key would
    // pass on an edited integratedTime); only with neither is the unsigned time used (a managed-key
    // bundle without timestamps, which claims no signing time).
    boolean atTimestamps = e.integratedTime == null
        || (e.set == null && timestampTimes != null && !timestampTimes.isEmpty());
    List<Instant> at;
    if (!atTimestamps) {
      at = List.of(e.integratedTime);
    } else if (timestampTimes == null || timestampTimes.isEmpty()) {
      throw malformed(e.where + " has no integrated time (Rekor v2) and the bundle has no verified RFC 3161"
          + " timestamp to prove the signing time");
    } else {
      at = timestampTimes;
    }
    boolean known = false;
    for (TrustedRoot.LogKey log : root.tlogs(e.logId)) {
      known = true;
      boolean valid = true;
      for (Instant t : at) {
        valid &= log.validAt(t);
      }
      if (valid) {
        return log;
      }
    }
    String id = HexFormat.of().formatHex(e.logId);
    throw new VerificationException(Reason.UNTRUSTED_KEY, known
        ? e.where + ": key of transparency log " + id + " is not valid at " + (!atTimestamps
            ? "the entry's integrated time " + e.integratedTime : "each RFC 3161 timestamp time")
        : e.where + ": transparency log " + id + " is not in the trusted root");
  }

  /** The canonical JSON that a Rekor v1 SET signs. */
  static byte[] setPayload(Entry e) {
    return ("{\"body\":\"" + Base64.getEncoder().encodeToString(e.body) + "\",\"integratedTime\":"
        + e.integratedTime.getEpochSecond() + ",\"logID\":\"" + HexFormat.of().formatHex(e.logId)
        + "\",\"logIndex\":" + e.logIndex + "}").getBytes(StandardCharsets.US_ASCII);
  }

  /** RFC 6962 leaf hash: SHA-256(0x00 || body). */
  static byte[] leafHash(byte[] body) {
    MessageDigest sha = sha256();
    sha.update((byte) 0);
    return sha.digest(body);
  }

  /** True when {@code sig} is the log key's signature over {@code message} (its default scheme). */
  static boolean logSignatureVerifies(PublicKey key, byte[] message, byte[] sig) {
    try {
      SigningAlgorithm alg = SigningAlgorithm.defaultFor(key);
      if (alg.digestAlgorithm() == null) {
        return SignatureSchemes.verify(alg, key, message, message.length, sig);
      }
      byte[] digest = BundleSignatures.digest(alg.digestAlgorithm(), message);
      return SignatureSchemes.verify(alg, key, digest, digest.length, sig);
    } catch (KeyFormatException e) {
      return false;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  static VerificationException malformed(String message) {
    return new VerificationException(Reason.MALFORMED_SIGNATURE, message);
  }

  /** A non-negative int64 as protobuf JSON writes it (a decimal string, or a number). */
  static long int64(Map<String, Object> m, String name, String where, boolean required)
      throws VerificationException {
    Object v = m.get(name);
    if (v == null) {
      if (required) {
        throw malformed(where + " has no " + name);
      }
      return -1;
    }
    try {
      long n;
      if (v instanceof String s && s.length() <= 19 && s.matches("[0-9]+")) {
        n = Long.parseLong(s);
      } else if (v instanceof BigDecimal d) {
        n = d.longValueExact();
      } else {
        throw new NumberFormatException();
      }
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (ArithmeticException | NumberFormatException e) {
      throw malformed(where + " " + name + " is not a non-negative 64-bit integer");
    }
  }

  static byte[] boundedBase64(Map<String, Object> m, String name, String where, int maxChars)
      throws VerificationException {
    String s = BundleFields.string(m, name, where);
    if (s.length() > maxChars) {
      throw new VerificationException(Reason.TOO_LARGE, where + " " + name + " is longer than "
          + maxChars + " characters");
    }
    return BundleFields.base64(m, name, where);
  }

  /** One entry's fields, parsed and bounded. */
  static final class Entry {
    final int index;
    final String where;
    final byte[] logId;
    final long logIndex;
    final String kind;
    final String version;
    final boolean rekorV2;
    final Instant integratedTime;
    final byte[] set;
    final LogCheckpoint.Proof proof;
    final byte[] body;

    private Entry(int index, byte[] logId, long logIndex, String kind, String version, Instant integratedTime,
        byte[] set, LogCheckpoint.Proof proof, byte[] body) {
      this.index = index;
      this.where = "transparency log entry " + index;
      this.logId = logId;
      this.logIndex = logIndex;
      this.kind = kind;
      this.version = version;
      this.rekorV2 = "0.0.2".equals(version) && ("hashedrekord".equals(kind) || "dsse".equals(kind));
      this.integratedTime = integratedTime;
      this.set = set;
      this.proof = proof;
      this.body = body;
    }

    static Entry parse(int index, Map<String, Object> m) throws VerificationException {
      String where = "transparency log entry " + index;
      long logIndex = int64(m, "logIndex", where, true);
      byte[] logId = boundedBase64(BundleFields.object(m.get("logId"), where + " logId"), "keyId",
          where + " logId", 128);
      Map<String, Object> kv = BundleFields.object(m.get("kindVersion"), where + " kindVersion");
      String kind = BundleFields.string(kv, "kind", where + " kindVersion");
      String version = BundleFields.string(kv, "version", where + " kindVersion");
      byte[] body = boundedBase64(m, "canonicalizedBody", where, (MAX_BODY_BYTES / 3 + 1) * 4);
      long time = int64(m, "integratedTime", where, false);
      if (time > MAX_EPOCH_SECOND) {
        throw malformed(where + " integratedTime is beyond the year 9999");
      }
      byte[] set = null;
      if (m.get("inclusionPromise") != null) {
        set = boundedBase64(BundleFields.object(m.get("inclusionPromise"), where + " inclusionPromise"),
            "signedEntryTimestamp", where + " inclusionPromise", MAX_SIGNATURE_CHARS);
      }
      LogCheckpoint.Proof proof = m.get("inclusionProof") == null ? null
          : LogCheckpoint.Proof.parse(BundleFields.object(m.get("inclusionProof"), where + " inclusionProof"),
              where + " inclusionProof");
      Entry e = new Entry(index, logId, logIndex, kind, version, time > 0 ? Instant.ofEpochSecond(time) : null,
          set, proof, body);
      if (!e.rekorV2 && e.integratedTime == null) {
        throw malformed(where + " has no integrated time");
      }
      if (e.rekorV2 && e.integratedTime != null) {
        throw malformed(where + " is a Rekor v2 entry with an integrated time, which Rekor v2 never records");
      }
      return e;
    }
  }
}
