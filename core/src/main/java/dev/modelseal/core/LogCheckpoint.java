package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A transparency log entry's inclusion proof (RFC 6962 Merkle audit path) and its checkpoint, a C2SP
 * signed note ({@code origin\nsize\nbase64(root)\n[extension lines]\n\n— name base64(keyhint||sig)\n...}),
 * verified as sigstore-go and rekor-tiles do.
 */
final class LogCheckpoint {
  /** The most audit-path hashes accepted (a tree of 2^64 leaves needs 64). */
  static final int MAX_HASHES = 64;
  /** The largest checkpoint envelope accepted, in characters. */
  static final int MAX_CHECKPOINT_CHARS = 64 * 1024;
  /** The most signature lines accepted in a checkpoint. */
  static final int MAX_SIGNATURE_LINES = 100;
  private static final String SIGNATURE_PREFIX = "\u2014 ";

  private LogCheckpoint() {}

  /** An inclusion proof: leaf index within the tree, tree size, root hash, audit path, checkpoint or null. */
  record Proof(long logIndex, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint) {
    static Proof parse(Map<String, Object> m, String where) throws VerificationException {
      long index = TransparencyLogEntries.int64(m, "logIndex", where, true);
      long size = TransparencyLogEntries.int64(m, "treeSize", where, true);
      byte[] root = TransparencyLogEntries.boundedBase64(m, "rootHash", where, 64);
      if (root.length != 32) {
        throw TransparencyLogEntries.malformed(where + " rootHash is " + root.length + " bytes, expected 32");
      }
      List<Object> list = m.get("hashes") == null ? List.of() : BundleFields.list(m, "hashes", where);
      if (list.size() > MAX_HASHES) {
        throw new VerificationException(Reason.TOO_LARGE, where + " has " + list.size()
            + " hashes, more than " + MAX_HASHES);
      }
      List<byte[]> hashes = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        byte[] h = TransparencyLogEntries.boundedBase64(Map.of("hash", list.get(i)), "hash",
            where + " hashes[" + i + "]", 64);
        if (h.length != 32) {
          throw TransparencyLogEntries.malformed(where + " hashes[" + i + "] is " + h.length + " bytes, expected 32");
        }
        hashes.add(h);
      }
      String checkpoint = null;
      if (m.get("checkpoint") != null) {
        checkpoint = BundleFields.string(BundleFields.object(m.get("checkpoint"), where + " checkpoint"),
            "envelope", where + " checkpoint");
        if (checkpoint.length() > MAX_CHECKPOINT_CHARS) {
          throw new VerificationException(Reason.TOO_LARGE, where + " checkpoint is longer than "
              + MAX_CHECKPOINT_CHARS + " characters");
        }
        if (checkpoint.isEmpty()) {
          checkpoint = null;
        }
      }
      return new Proof(index, size, root, List.copyOf(hashes), checkpoint);
    }
  }

  /** Checks that the audit path leads from {@code leaf} at the proof's index to its root hash (RFC 9162 2.1.3.2). */
  static void verifyInclusion(String where, Proof p, byte[] leaf) throws VerificationException {
    if (p.logIndex() >= p.treeSize()) {
      throw TransparencyLogEntries.malformed(where + ": inclusion proof index " + p.logIndex()
          + " is not below the tree size " + p.treeSize());
    }
    long fn = p.logIndex();
    long sn = p.treeSize() - 1;
    byte[] r = leaf;
    for (byte[] h : p.hashes()) {
      if (sn == 0) {
        throw invalidProof(where);
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(h, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = node(r, h);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0 || !MessageDigest.isEqual(r, p.rootHash())) {
      throw invalidProof(where);
    }
  }

  private static VerificationException invalidProof(String where) {
    return new VerificationException(Reason.SIGNATURE_INVALID,
        where + ": inclusion proof does not lead to its root hash");
  }

  private static byte[] node(byte[] left, byte[] right) {
    MessageDigest sha = TransparencyLogEntries.sha256();
    sha.update((byte) 1);
    sha.update(left);
    return sha.digest(right);
  }

  /**
   * Checks the checkpoint: its size and root hash equal the proof's, and a signature line by the log
   * verifies. For a Rekor v2 entry ({@code noteName}) the origin must be the log's base URL host, and
   * the line must carry that name and the C2SP key hint ({@link #noteKeyHint}); for a Rekor v1 entry the
   * line's name is not checked (Rekor v1 signs as its host, its origin is {@code <host> - <tree id>}) and
   * the hint is the first 4 bytes of SHA-256 of the key's DER, as in Rekor v1. Lines by other keys (witnesses) are ignored; a line by the
   * log's key that does not verify fails.
   */
  static void verifyCheckpoint(String where, Proof p, TrustedRoot.LogKey log, boolean noteName)
      throws VerificationException {
    String note = p.checkpoint();
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw malformedCheckpoint(where, "it is not a signed note");
    }
    String text = note.substring(0, split + 1);
    String[] lines = text.split("\n", -1); // ends with an empty string after the final newline
    if (lines.length < 4) {
      throw malformedCheckpoint(where, "it has fewer than 3 body lines");
    }
    String origin = lines[0];
    if (origin.isEmpty()) {
      throw malformedCheckpoint(where, "its origin is empty");
    }
    long size;
    byte[] root;
    try {
      if (!lines[1].matches("[0-9]{1,19}")) {
        throw new IllegalArgumentException();
      }
      size = Long.parseLong(lines[1]);
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw malformedCheckpoint(where, "its size or root hash line is not valid");
    }
    if (size != p.treeSize() || !MessageDigest.isEqual(root, p.rootHash())) {
      throw new VerificationException(Reason.SIGNATURE_INVALID, where
          + ": checkpoint's tree size or root hash differs from the inclusion proof's");
    }
    String name;
    byte[] hint;
    if (noteName) {
      String host = log.baseUrl() == null ? null : hostOf(log.baseUrl());
      if (host == null || !host.equals(origin)) {
        throw new VerificationException(Reason.UNTRUSTED_KEY, where + ": checkpoint origin \"" + origin
            + "\" is not the transparency log's host " + (host == null ? "(the log has no base URL)" : host));
      }
      name = origin;
      hint = noteKeyHint(origin, log.key());
    } else {
      name = null;
      hint = Arrays.copyOf(KeyId.sha256(log.key()), 4);
    }
    String[] sigLines = note.substring(split + 2).split("\n", -1);
    if (sigLines.length - 1 > MAX_SIGNATURE_LINES || sigLines.length < 2) {
      throw malformedCheckpoint(where, "it has no signature line or more than " + MAX_SIGNATURE_LINES);
    }
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    boolean verified = false;
    for (int i = 0; i < sigLines.length - 1; i++) {
      String line = sigLines[i];
      int space = line.lastIndexOf(' ');
      if (!line.startsWith(SIGNATURE_PREFIX) || space <= SIGNATURE_PREFIX.length()) {
        throw malformedCheckpoint(where, "signature line " + i + " is not \"\u2014 name signature\"");
      }
      String lineName = line.substring(SIGNATURE_PREFIX.length(), space);
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(line.substring(space + 1));
      } catch (IllegalArgumentException e) {
        throw malformedCheckpoint(where, "signature line " + i + " is not valid base64");
      }
      if (sig.length < 5) {
        throw malformedCheckpoint(where, "signature line " + i + " is too short");
      }
      if ((name != null && !name.equals(lineName)) || !MessageDigest.isEqual(hint, Arrays.copyOf(sig, 4))) {
        continue; // another key's signature, e.g. a witness cosignature
      }
      if (!TransparencyLogEntries.logSignatureVerifies(log.key(), message, Arrays.copyOfRange(sig, 4, sig.length))) {
        throw new VerificationException(Reason.SIGNATURE_INVALID,
            where + ": checkpoint signature by the log's key does not verify");
      }
      verified = true;
    }
    if (!verified) {
      throw new VerificationException(Reason.SIGNATURE_INVALID,
          where + ": checkpoint has no signature by the transparency log's key");
    }
  }

  /**
   * The C2SP/rekor-tiles key hint: Ed25519 SHA-256(name || 0x0A || 0x01 || raw key); ECDSA SHA-256(DER
   * SPKI); RSA SHA-256(name || 0x0A || 0xFF || "PKIX-RSA-PKCS#1v1.5" || DER SPKI); first 4 bytes.
   */
  static byte[] noteKeyHint(String name, PublicKey key) {
    MessageDigest sha = TransparencyLogEntries.sha256();
    byte[] der = key.getEncoded();
    if (key instanceof ECPublicKey) {
      sha.update(der);
    } else {
      sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
      if (key instanceof RSAPublicKey) {
        sha.update((byte) 0xff);
        sha.update("PKIX-RSA-PKCS#1v1.5".getBytes(StandardCharsets.US_ASCII));
        sha.update(der);
      } else {
        sha.update((byte) 0x01);
        sha.update(der, der.length - 32, 32);
      }
    }
    return Arrays.copyOf(sha.digest(), 4);
  }

  private static String hostOf(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static VerificationException malformedCheckpoint(String where, String why) {
    return TransparencyLogEntries.malformed(where + ": checkpoint is malformed: " + why);
  }
}
