package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a verified OMS signature says: the signed manifest (in signed order), the signed serialization
 * as a {@link ModelHashing} (its signed {@code ignore_paths}, git defaults off; add the caller's ignores
 * before hashing), the informational model name and the signer's key id. Only
 * {@link ModelVerifier#readSigned} creates instances, after the signature has been verified.
 * Instances are immutable and thread-safe.
 */
public final class SignedModel {
  private static final int MAX_NAMES = 20;

  private final ModelManifest manifest;
  private final ModelHashing hashing;
  private final String modelName;
  private final String signerKeyId;

  SignedModel(ModelManifest manifest, ModelHashing hashing, String modelName, String signerKeyId) {
    this.manifest = manifest;
    this.hashing = hashing;
    this.modelName = modelName;
    this.signerKeyId = signerKeyId;
  }

  /** Returns the signed entries in listed order. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** Returns the signed serialization, as a configuration to re-hash a copy of the model with. */
  public ModelHashing hashing() {
    return hashing;
  }

  /** Returns the signed model name (informational; {@code compat-undefined-not-present} for v0.2). */
  public String modelName() {
    return modelName;
  }

  /** Returns the hex SHA-256 of the signer's SubjectPublicKeyInfo ({@link KeyId#hex}). */
  public String signerKeyId() {
    return signerKeyId;
  }

  /**
   * Compares a locally computed manifest with the signed one, as maps name to (algorithm, digest),
   * digests in constant time. The order of entries does not matter.
   *
   * @param actual the manifest of the model on disk, hashed with {@link #hashing()}
   * @param ignoreUnsignedFiles if true, entries that are not signed are not an error
   * @throws VerificationException {@code MANIFEST_MISMATCH} naming the missing, extra and modified
   *     entries, e.g. {@code model does not match its signature: missing files: b; extra files: c;
   *     modified files: a} (a renamed file is one missing and one extra)
   */
  public void check(ModelManifest actual, boolean ignoreUnsignedFiles) throws VerificationException {
    Map<String, ModelManifest.Entry> have = new LinkedHashMap<>();
    for (ModelManifest.Entry e : actual.entries()) {
      have.put(e.name(), e);
    }
    List<String> missing = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    for (ModelManifest.Entry want : manifest.entries()) {
      ModelManifest.Entry got = have.remove(want.name());
      if (got == null) {
        missing.add(want.name());
      } else if (!got.algorithm().equals(want.algorithm()) | !got.sameDigest(want)) {
        modified.add(want.name());
      }
    }
    List<String> extra = ignoreUnsignedFiles ? List.of() : new ArrayList<>(have.keySet());
    if (missing.isEmpty() && extra.isEmpty() && modified.isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    part(parts, "missing files", missing);
    part(parts, "extra files", extra);
    part(parts, "modified files", modified);
    throw new VerificationException(Reason.MANIFEST_MISMATCH,
        "model does not match its signature: " + String.join("; ", parts));
  }

  private static void part(List<String> parts, String label, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    List<String> shown = names.size() > MAX_NAMES ? names.subList(0, MAX_NAMES) : names;
    String more = names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "";
    parts.add(label + ": " + String.join(", ", shown) + more);
  }
}
