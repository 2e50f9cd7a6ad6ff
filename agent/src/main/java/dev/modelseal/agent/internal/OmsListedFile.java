package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignedModel;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies ONE file of a directory signed with OpenSSF Model Signing ({@code model.sig}) and pins only that file,
 * without copying the rest of the directory (a tokenizer beside multi-GB weights): the signature is checked with the
 * keys allowed at the file's own location, the file is copied into the pin folder and the copy hashed with the
 * signed serialization ({@code files} or {@code shards}, {@code sha256} or {@code blake2b}), and its digests are
 * compared, in constant time, with the manifest's entries for the file's relative path. A file the manifest does not
 * list (or that the signer ignored) is not covered.
 */
final class OmsListedFile {
  private final Pinner pinner;
  private final OmsPinner oms;

  OmsListedFile(Pinner pinner, OmsPinner oms) {
    this.pinner = pinner;
    this.oms = oms;
  }

  /**
   * Verifies {@code file} (a real, regular file under {@code dir}) against {@code dir}'s {@code model.sig}, whose
   * bytes the caller read once, and pins it at {@code target} (which must not exist).
   *
   * @return the verdict; its digest is the SHA-256 of the pinned copy
   */
  Verdict verify(Path dir, byte[] signature, Path file, Path target) throws Rejection, IOException {
    String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    Path shown = dir.resolve(OmsPinner.SIGNATURE);
    OmsPinner.Signed s = oms.readSigned(signature, file, OmsPinner.SIGNATURE);
    Map<String, ModelManifest.Entry> signed = entriesOf(s.model(), rel);
    if (signed.isEmpty()) {
      throw new Rejection(RejectReason.UNSIGNED, file.getFileName() + " is not covered by " + shown);
    }
    Map<String, byte[]> sha256 = pinner.copyAndHash(file, target, Set.of("SHA-256"));
    ModelManifest actual;
    try {
      actual = ModelManifest.compute(target, s.model().hashing(), ProgressListener.NONE);
    } catch (VerificationException e) {
      throw Rejection.of(OmsPinner.SIGNATURE, e);
    }
    if (!matches(signed, actual)) {
      throw new Rejection(RejectReason.MANIFEST_MISMATCH, OmsPinner.SIGNATURE
          + ": model does not match its signature: modified files: " + rel);
    }
    return new Verdict(target, "sha256:" + HexFormat.of().formatHex(sha256.get("SHA-256")), s.keyId(),
        "verified " + rel + " against " + shown + " (only this file pinned)");
  }

  /**
   * The signed entries of {@code rel}, keyed as a single-file manifest names them: {@code "."} for the
   * {@code files} serialization, {@code ".:start:end"} for each shard.
   */
  private static Map<String, ModelManifest.Entry> entriesOf(SignedModel model, String rel) {
    boolean shards = "shards".equals(model.hashing().method());
    Map<String, ModelManifest.Entry> entries = new HashMap<>();
    for (ModelManifest.Entry e : model.manifest().entries()) {
      String name = e.name();
      if (!shards && name.equals(rel)) {
        entries.put(".", e);
      } else if (shards && name.startsWith(rel + ":") && isShardSuffix(name.substring(rel.length()))) {
        entries.put("." + name.substring(rel.length()), e);
      }
    }
    return entries;
  }

  /** True for {@code ":<start>:<end>"}. */
  private static boolean isShardSuffix(String s) {
    return s.matches(":[0-9]+:[0-9]+");
  }

  /** Same names, algorithms and digests (constant-time), nothing missing or extra. */
  private static boolean matches(Map<String, ModelManifest.Entry> signed, ModelManifest actual) {
    List<ModelManifest.Entry> got = new ArrayList<>(actual.entries());
    if (got.size() != signed.size()) {
      return false;
    }
    boolean same = true;
    for (ModelManifest.Entry e : got) {
      ModelManifest.Entry want = signed.get(e.name());
      same &= want != null && want.algorithm().equals(e.algorithm())
          && MessageDigest.isEqual(want.digest(), e.digest());
    }
    return same;
  }
}
