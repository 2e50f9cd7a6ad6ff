package dev.modelseal.core;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transparency log made up for tests: its own key (ECDSA P-256 for Rekor v1, Ed25519 or ECDSA for v2),
 * a Merkle tree holding the entry, the entry's SET and signed checkpoint, all computed here from the
 * RFC 6962 / C2SP definitions. Fields are set before {@link #entry()}; the entry is then built from them.
 */
final class LogEntryFixture {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String HOST = "log.example.dev";
  static final Base64.Encoder B64 = Base64.getEncoder();

  final KeyPair logKeys;
  final boolean rekorV2;
  final byte[] logId;
  Instant keyStart = Instant.parse("2020-01-01T00:00:00Z");
  Instant keyEnd = null;

  // What the bundle holds.
  byte[] signature = random(71);
  byte[] material = random(91);
  byte[] artifactDigest = random(32);
  LoggedContent.Envelope dsse = null;

  // The entry.
  String kind = "hashedrekord";
  String version;
  byte[] body;
  long logIndex = 9001;
  Long integratedTime = 1_700_000_000L;
  boolean withSet = true;
  boolean withProof = true;
  boolean withCheckpoint = true;
  int leafIndex = 5;
  int treeSize = 11;
  String origin;
  String extensionLines = "";
  List<String> otherSignatureLines = new ArrayList<>();
  /** Set to sign a checkpoint whose size or root differs from the proof's. */
  Long checkpointSize = null;
  byte[] checkpointRoot = null;
  String signatureLineName = null;
  byte[] checkpointHint = null;

  // Computed by entry().
  List<byte[]> proofHashes;
  byte[] rootHash;

  private LogEntryFixture(boolean rekorV2, boolean ed25519) throws Exception {
    this.rekorV2 = rekorV2;
    if (ed25519) {
      logKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } else {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      logKeys = g.generateKeyPair();
    }
    if (rekorV2) {
      version = "0.0.2";
      integratedTime = null;
      withSet = false;
      origin = HOST;
    } else {
      version = "0.0.1";
      origin = HOST + " - 1234567";
    }
    logId = MessageDigest.getInstance("SHA-256").digest(logKeys.getPublic().getEncoded());
  }

  /** A Rekor v1 log with an ECDSA P-256 key and a hashedrekord 0.0.1 entry. */
  static LogEntryFixture rekorV1() throws Exception {
    return new LogEntryFixture(false, false);
  }

  /** A Rekor v2 log with an Ed25519 key and a hashedrekord 0.0.2 entry. */
  static LogEntryFixture rekorV2() throws Exception {
    return new LogEntryFixture(true, true);
  }

  /** A Rekor v2 log with an ECDSA P-256 key (C2SP key hint: SHA-256 of the key's DER). */
  static LogEntryFixture rekorV2Ecdsa() throws Exception {
    return new LogEntryFixture(true, false);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  LoggedContent content() {
    return dsse == null ? new LoggedContent(signature, "SHA2_256", artifactDigest, null, material, true)
        : new LoggedContent(signature, null, null, dsse, material, true);
  }

  TrustedRoot root() throws Exception {
    return new TrustedRoot(List.of(), List.of(), List.of(logKey()), List.of());
  }

  TrustedRoot.LogKey logKey() {
    return new TrustedRoot.LogKey("https://" + HOST, logId, logKeys.getPublic(), keyStart, keyEnd);
  }

  /** The body the bundle's content calls for, for the fixture's kind and version. */
  byte[] defaultBody() {
    String json;
    if (!rekorV2) {
      String pem = Pem.encode("CERTIFICATE", material);
      json = "{\"apiVersion\":\"" + version + "\",\"kind\":\"" + kind + "\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":"
          + "\"sha256\",\"value\":\"" + HexFormat.of().formatHex(artifactDigest) + "\"}},\"signature\":{\"content\":\""
          + B64.encodeToString(signature) + "\",\"publicKey\":{\"content\":\""
          + B64.encodeToString(pem.getBytes(StandardCharsets.US_ASCII)) + "\"}}}}";
    } else {
      byte[] digest = dsse == null ? artifactDigest : sha256(Dsse.pae(dsse.payloadType(), dsse.payload()));
      json = "{\"apiVersion\":\"" + version + "\",\"kind\":\"" + kind + "\",\"spec\":{\"hashedRekordV002\":{\"data\":"
          + "{\"algorithm\":\"SHA2_256\",\"digest\":\"" + B64.encodeToString(digest) + "\"},\"signature\":{\"content\":\""
          + B64.encodeToString(signature) + "\",\"verifier\":{\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\","
          + "\"x509Certificate\":{\"rawBytes\":\"" + B64.encodeToString(material) + "\"}}}}}}";
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Builds the entry as {@link Json#parse} would return it. */
  Map<String, Object> entry() throws Exception {
    byte[] entryBody = body != null ? body : defaultBody();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("logIndex", Long.toString(logIndex));
    e.put("logId", new LinkedHashMap<>(Map.of("keyId", B64.encodeToString(logId))));
    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("kind", kind);
    kv.put("version", version);
    e.put("kindVersion", kv);
    if (integratedTime != null) {
      e.put("integratedTime", Long.toString(integratedTime));
    }
    if (withSet) {
      String payload = "{\"body\":\"" + B64.encodeToString(entryBody) + "\",\"integratedTime\":" + integratedTime
          + ",\"logID\":\"" + HexFormat.of().formatHex(logId) + "\",\"logIndex\":" + logIndex + "}";
      e.put("inclusionPromise", new LinkedHashMap<>(Map.of("signedEntryTimestamp",
          B64.encodeToString(sign(payload.getBytes(StandardCharsets.UTF_8))))));
    }
    if (withProof) {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < treeSize; i++) {
        leaves.add(leafHash(i == leafIndex ? entryBody : ("other leaf " + i).getBytes(StandardCharsets.UTF_8)));
      }
      rootHash = mth(leaves);
      proofHashes = path(leafIndex, leaves);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("logIndex", Integer.toString(leafIndex));
      p.put("rootHash", B64.encodeToString(rootHash));
      p.put("treeSize", Integer.toString(treeSize));
      List<Object> hashes = new ArrayList<>();
      for (byte[] h : proofHashes) {
        hashes.add(B64.encodeToString(h));
      }
      p.put("hashes", hashes);
      if (withCheckpoint) {
        p.put("checkpoint", new LinkedHashMap<>(Map.of("envelope", checkpoint())));
      }
      e.put("inclusionProof", p);
    }
    e.put("canonicalizedBody", B64.encodeToString(entryBody));
    return e;
  }

  List<Instant> verify(int minor, List<Instant> timestampTimes) throws Exception {
    return TransparencyLogEntries.verify(List.of(entry()), content(), root(), minor, timestampTimes);
  }

  private String checkpoint() throws Exception {
    String text = origin + "\n" + (checkpointSize != null ? checkpointSize : treeSize) + "\n"
        + B64.encodeToString(checkpointRoot != null ? checkpointRoot : rootHash) + "\n" + extensionLines;
    byte[] hint = checkpointHint != null ? checkpointHint : hint();
    byte[] sig = sign(text.getBytes(StandardCharsets.UTF_8));
    byte[] hs = new byte[4 + sig.length];
    System.arraycopy(hint, 0, hs, 0, 4);
    System.arraycopy(sig, 0, hs, 4, sig.length);
    String name = signatureLineName != null ? signatureLineName : origin.split(" ")[0];
    StringBuilder note = new StringBuilder(text).append('\n');
    for (String line : otherSignatureLines) {
      note.append(line).append('\n');
    }
    note.append("\u2014 ").append(name).append(' ').append(B64.encodeToString(hs)).append('\n');
    return note.toString();
  }

  /** Rekor v1: SHA-256 of the key's DER; C2SP Ed25519: SHA-256(name || '\n' || 0x01 || raw key). */
  byte[] hint() throws Exception {
    if (!rekorV2 || !(logKeys.getPublic() instanceof java.security.interfaces.EdECKey)) {
      return Arrays.copyOf(logId, 4);
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update((origin + "\n").getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 1);
    byte[] spki = logKeys.getPublic().getEncoded();
    sha.update(spki, spki.length - 32, 32);
    return Arrays.copyOf(sha.digest(), 4);
  }

  byte[] sign(byte[] message) throws Exception {
    Signature s = Signature.getInstance(
        logKeys.getPublic() instanceof java.security.interfaces.EdECKey ? "Ed25519" : "SHA256withECDSA");
    s.initSign(logKeys.getPrivate());
    s.update(message);
    return s.sign();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] leafHash(byte[] data) {
    byte[] b = new byte[data.length + 1];
    System.arraycopy(data, 0, b, 1, data.length);
    return sha256(b);
  }

  private static byte[] nodeHash(byte[] l, byte[] r) {
    byte[] b = new byte[65];
    b[0] = 1;
    System.arraycopy(l, 0, b, 1, 32);
    System.arraycopy(r, 0, b, 33, 32);
    return sha256(b);
  }

  /** RFC 6962 MTH over leaf hashes. */
  static byte[] mth(List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    return nodeHash(mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
  }

  /** RFC 6962 PATH(m, D[n]). */
  static List<byte[]> path(int m, List<byte[]> leaves) {
    List<byte[]> out = new ArrayList<>();
    if (leaves.size() == 1) {
      return out;
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    if (m < k) {
      out.addAll(path(m, leaves.subList(0, k)));
      out.add(mth(leaves.subList(k, leaves.size())));
    } else {
      out.addAll(path(m - k, leaves.subList(k, leaves.size())));
      out.add(mth(leaves.subList(0, k)));
    }
    return out;
  }
}
