package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes and reads the in-toto statement of an OMS signature (v1.0 predicate and legacy v0.1). */
final class OmsStatement {
  static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  static final String PREDICATE_V1 = "https://model_signing/signature/v1.0";
  static final String PREDICATE_LEGACY = "https://model_signing/Digests/v0.1";
  static final String LEGACY_MODEL_NAME = "compat-undefined-not-present";
  /** Legacy v0.2 signatures hash every file with SHA-256 and no git-path defaults. */
  private static final ModelHashing LEGACY_HASHING = ModelHashing.files().ignoreGitPaths(false).build();

  /** What a statement says. */
  record Parsed(ModelManifest manifest, ModelHashing hashing, String modelName) {}

  private OmsStatement() {}

  /** Builds the v1.0 statement in the reference's member order. */
  static Map<String, Object> build(ModelManifest manifest, String modelName, ModelHashing h) {
    Map<String, Object> serialization = new LinkedHashMap<>();
    serialization.put("method", h.method());
    serialization.put("hash_type", h.hashAlgorithm());
    serialization.put("allow_symlinks", h.allowSymlinks());
    if ("shards".equals(h.method())) {
      serialization.put("shard_size", h.shardSize());
    }
    List<String> ignores = h.effectiveIgnorePaths();
    if (!ignores.isEmpty()) {
      serialization.put("ignore_paths", new ArrayList<Object>(ignores));
    }
    List<Object> resources = new ArrayList<>();
    for (ModelManifest.Entry e : manifest.entries()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("algorithm", e.algorithm());
      r.put("digest", e.digestHex());
      r.put("name", e.name());
      resources.add(r);
    }
    Map<String, Object> predicate = new LinkedHashMap<>();
    predicate.put("serialization", serialization);
    predicate.put("resources", resources);
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("name", modelName);
    subject.put("digest", new LinkedHashMap<>(Map.of("sha256", manifest.rootDigestHex())));
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("_type", STATEMENT_TYPE);
    st.put("subject", List.of(subject));
    st.put("predicateType", PREDICATE_V1);
    st.put("predicate", predicate);
    return st;
  }

  /**
   * The serialization an unverified payload claims, read without building its manifest (which
   * would hash on the caller's thread). Only for choosing how to hash ahead of verification: nothing
   * read here is trusted until {@link #parse} of the verified payload.
   */
  static ModelHashing claimedHashing(byte[] payload) throws VerificationException {
    Map<String, Object> st = statement(payload);
    if (PREDICATE_LEGACY.equals(BundleFields.string(st, "predicateType", "statement"))) {
      return LEGACY_HASHING;
    }
    Map<String, Object> predicate = BundleFields.object(st.get("predicate"), "predicate");
    return serialization(BundleFields.object(predicate.get("serialization"), "serialization"));
  }

  /** Parses and checks a verified payload. */
  static Parsed parse(byte[] payload) throws VerificationException {
    Map<String, Object> st = statement(payload);
    String type = BundleFields.string(st, "_type", "statement");
    if (!STATEMENT_TYPE.equals(type)) {
      throw malformed("statement _type is " + type + ", expected " + STATEMENT_TYPE);
    }
    String predicateType = BundleFields.string(st, "predicateType", "statement");
    List<Object> subjects = BundleFields.list(st, "subject", "statement");
    if (PREDICATE_LEGACY.equals(predicateType)) {
      return legacy(subjects);
    }
    if (!PREDICATE_V1.equals(predicateType)) {
      throw new VerificationException(Reason.UNSUPPORTED, "unsupported predicate type " + predicateType
          + " (supported: " + PREDICATE_V1 + ", " + PREDICATE_LEGACY + ")");
    }
    if (subjects.size() != 1) {
      throw malformed("expected exactly one subject, found " + subjects.size());
    }
    Map<String, Object> subject = BundleFields.object(subjects.get(0), "subject");
    Object nameValue = subject.get("name");
    String modelName = nameValue instanceof String s ? s : "";
    String root = BundleFields.string(BundleFields.object(subject.get("digest"), "subject digest"), "sha256",
        "subject digest").toLowerCase(java.util.Locale.ROOT);
    Map<String, Object> predicate = BundleFields.object(st.get("predicate"), "predicate");
    ModelHashing hashing = serialization(BundleFields.object(predicate.get("serialization"), "serialization"));
    List<ModelManifest.Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean shards = "shards".equals(hashing.method());
    for (Object o : BundleFields.list(predicate, "resources", "predicate")) {
      Map<String, Object> r = BundleFields.object(o, "resource");
      String name = BundleFields.string(r, "name", "resource");
      String algorithm = BundleFields.string(r, "algorithm", "resource " + name);
      checkName(name, shards ? hashing.shardSize() : 0);
      if (!algorithm.equals(hashing.resourceAlgorithm()) && !algorithm.equals(hashing.hashAlgorithm())) {
        throw malformed("resource " + name + " has algorithm " + algorithm + ", but the serialization says "
            + hashing.resourceAlgorithm());
      }
      byte[] digest = hex(BundleFields.string(r, "digest", "resource " + name), hashing.hashAlgorithm(), name);
      if (!names.add(name)) {
        throw malformed("resource " + name + " is listed twice");
      }
      entries.add(new ModelManifest.Entry(name, hashing.resourceAlgorithm(), digest));
    }
    ModelManifest manifest = new ModelManifest(entries);
    if (!manifest.rootDigestHex().equals(root)) {
      throw new VerificationException(Reason.DIGEST_MISMATCH, "manifest is inconsistent: root digest is "
          + root + ", but the included resources hash to " + manifest.rootDigestHex());
    }
    return new Parsed(manifest, hashing, modelName);
  }

  private static Parsed legacy(List<Object> subjects) throws VerificationException {
    List<ModelManifest.Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : subjects) {
      Map<String, Object> s = BundleFields.object(o, "subject");
      String name = BundleFields.string(s, "name", "subject");
      checkName(name, 0);
      byte[] digest = hex(BundleFields.string(BundleFields.object(s.get("digest"), "subject digest"), "sha256",
          "subject digest"), "sha256", name);
      if (!names.add(name)) {
        throw malformed("subject " + name + " is listed twice");
      }
      entries.add(new ModelManifest.Entry(name, "sha256", digest));
    }
    return new Parsed(new ModelManifest(entries), LEGACY_HASHING, LEGACY_MODEL_NAME);
  }

  private static Map<String, Object> statement(byte[] payload) throws VerificationException {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload)).toString();
      return BundleFields.object(Json.parse(text), "statement");
    } catch (CharacterCodingException e) {
      throw malformed("statement is not UTF-8");
    } catch (Json.ParseException e) {
      throw malformed("statement is not valid JSON: " + e.getMessage());
    }
  }

  private static ModelHashing serialization(Map<String, Object> s) throws VerificationException {
    String method = BundleFields.string(s, "method", "serialization");
    ModelHashing.Builder b;
    if ("files".equals(method)) {
      b = ModelHashing.files();
    } else if ("shards".equals(method)) {
      if (!(s.get("shard_size") instanceof BigDecimal size) || size.signum() <= 0
          || size.stripTrailingZeros().scale() > 0 || size.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw malformed("serialization shard_size must be a positive integer, found " + s.get("shard_size"));
      }
      b = ModelHashing.shards(size.longValueExact());
    } else {
      throw new VerificationException(Reason.UNSUPPORTED, "unsupported serialization method " + method);
    }
    String hashType = BundleFields.string(s, "hash_type", "serialization");
    if (!hashType.equals("sha256") && !hashType.equals("blake2b")) {
      throw new VerificationException(Reason.UNSUPPORTED,
          "unsupported model hash type " + hashType + " (supported: sha256, blake2b)");
    }
    b.hashAlgorithm(hashType);
    Object allow = s.get("allow_symlinks");
    if (allow != null && !(allow instanceof Boolean)) {
      throw malformed("serialization allow_symlinks must be a boolean");
    }
    b.allowSymlinks(Boolean.TRUE.equals(allow)).ignoreGitPaths(false);
    if (s.containsKey("ignore_paths")) {
      List<String> ignores = new ArrayList<>();
      for (Object o : BundleFields.list(s, "ignore_paths", "serialization")) {
        if (!(o instanceof String p)) {
          throw malformed("serialization ignore_paths must hold strings");
        }
        if (ModelHashing.normaliseIgnorePath(p) != null) {
          ignores.add(p); // paths outside the model are dropped, as the reference does
        }
      }
      b.ignorePaths(ignores);
    }
    return b.build();
  }

  /** Refuses resource names that are not relative paths inside the model ({@code "."} is the model file). */
  static void checkName(String name, long shardSize) throws VerificationException {
    String path = name;
    if (shardSize > 0) {
      int e = name.lastIndexOf(':');
      int s = e > 0 ? name.lastIndexOf(':', e - 1) : -1;
      if (s <= 0 || !isOffset(name.substring(s + 1, e), true) || !isOffset(name.substring(e + 1), false)) {
        throw malformed("shard resource name " + name + " is not <path>:<start>:<end>");
      }
      long start = Long.parseLong(name.substring(s + 1, e));
      long end = Long.parseLong(name.substring(e + 1));
      if (start >= end || start % shardSize != 0 || end - start > shardSize) {
        throw malformed("shard resource name " + name + " does not match shard size " + shardSize);
      }
      path = name.substring(0, s);
    }
    if (path.equals(".")) {
      return;
    }
    for (String c : path.split("/", -1)) {
      if (c.isEmpty() || c.equals(".") || c.equals("..") || c.indexOf('\0') >= 0) {
        throw new VerificationException(Reason.PATH_REFUSED,
            "refusing signed resource name " + name + ": not a relative path inside the model");
      }
    }
  }

  private static byte[] hex(String hex, String hashType, String name) throws VerificationException {
    int len = "blake2b".equals(hashType) ? 128 : 64;
    if (hex.length() != len || !Json.isHex(hex)) {
      throw malformed("digest of " + name + " is not " + len + " hex characters");
    }
    return HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
  }

  /** {@code 0|[1-9][0-9]{0,18}}, or without the 0 (checked by hand: no regex engine on the start path). */
  private static boolean isOffset(String s, boolean zeroAllowed) {
    if (s.isEmpty() || s.length() > 19 || (s.charAt(0) == '0' && (s.length() > 1 || !zeroAllowed))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static VerificationException malformed(String message) {
    return new VerificationException(Reason.MALFORMED_SIGNATURE, message);
  }
}
