package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The key rule, the one place it is applied: the keys allowed for a file are those the settings give its own
 * location ({@link AgentSettings#keysFor}: the longest matching {@code rule.*.path}), whichever signature covers
 * it; a signature that verifies with a trusted key that is not allowed there is {@code UNTRUSTED_KEY}. Both
 * signature formats go through it: a cosign signature of one file ({@link ModelChecker}) and an OpenSSF model
 * signature of a file or directory ({@link OmsPinner}), which must also be allowed at each file it lists.
 *
 * <p>Failures, all {@link Rejection}s prefixed with the signature's shown name: {@code UNTRUSTED_KEY} when a trusted
 * key not allowed at the location verifies, when no usable key is allowed there, or when a cosign key hint names a
 * key that is not allowed; otherwise the first allowed key's own failure ({@link Rejection#of}).
 */
final class KeyRule {
  private final AgentSettings settings;

  KeyRule(AgentSettings settings) {
    this.settings = settings;
  }

  /**
   * One trusted key's check of one signature. A named class at each caller, not a lambda: the first
   * {@code invokedynamic} bootstrap would cost the first model load of a cold JVM milliseconds.
   *
   * @param <T> what a verification yields (the checked statement of a model signature, say)
   */
  interface Verification<T> {
    /**
     * Checks the signature with {@code key}.
     *
     * @return what it yields, or null if this key cannot check a signature of this kind at all (then another key
     *     may apply, and this one is not counted as having failed)
     * @throws VerificationException if the key can check it and it does not verify
     */
    T verify(TrustedKey key) throws VerificationException, IOException;
  }

  /** A signature that verified with {@code key}, a key allowed at its location, yielding {@code result}. */
  record Signer<T>(T result, TrustedKey key) {}

  /**
   * Verifies a signature with the keys allowed at {@code location}, in their configured order, and returns the
   * first that verifies.
   *
   * @param shownName what the failures are prefixed with (the file, or its signature's name)
   * @param keyHint the key id the signature names (a cosign bundle's hint), or null
   * @param usableKeys how the refusal names the keys that could have been allowed ("trusted key", "trusted ECDSA
   *     key"), when none is
   * @throws Rejection {@code UNTRUSTED_KEY} if only a key not allowed here verifies, if no usable key is allowed
   *     here, or if the hint names no allowed key and the signature is invalid; else the first allowed key's failure
   */
  <T> Signer<T> verify(Path location, String shownName, byte[] keyHint, String usableKeys,
      Verification<T> verification) throws Rejection, IOException {
    List<TrustedKey> allowed = settings.keysFor(location);
    VerificationException first = null;
    for (TrustedKey k : allowed) {
      try {
        T result = verification.verify(k);
        if (result != null) {
          return new Signer<>(result, k);
        }
      } catch (VerificationException e) {
        first = first == null ? e : first;
      }
    }
    for (TrustedKey k : settings.keys()) {
      if (allowed.contains(k)) {
        continue;
      }
      T result;
      try {
        result = verification.verify(k);
      } catch (VerificationException e) {
        continue; // not this key either
      }
      if (result != null) {
        throw new Rejection(RejectReason.UNTRUSTED_KEY, shownName + ": signed by key " + k.keyId()
            + ", which is not allowed to sign models at this location");
      }
    }
    if (first == null) {
      throw new Rejection(RejectReason.UNTRUSTED_KEY, shownName + ": no " + usableKeys
          + " may sign models at this location");
    }
    if (keyHint != null && first.reason() == VerificationException.Reason.SIGNATURE_INVALID
        && !namesAny(keyHint, allowed)) {
      throw new Rejection(RejectReason.UNTRUSTED_KEY, shownName + ": signed by key "
          + HexFormat.of().formatHex(keyHint) + ", which is not trusted");
    }
    throw Rejection.of(shownName, first);
  }

  /**
   * Requires the key {@code keyId}, which signed {@code signatureName} in {@code dir}, to be allowed at the location
   * of each file it lists: a {@code model.sig} signed with a key its directory allows does not cover a file under a
   * rule that names other keys.
   *
   * @param files the listed files, relative to {@code dir} with {@code /}; checked in name order, so that the
   *     refusal names the first
   * @throws Rejection {@code UNTRUSTED_KEY} naming the first file whose location does not allow the key
   */
  void requireAllowedAtEach(String keyId, Path dir, Collection<String> files, String signatureName)
      throws Rejection {
    List<String> sorted = new ArrayList<>(files);
    sorted.sort(null);
    for (String rel : sorted) {
      if (!allows(dir.resolve(rel), keyId)) {
        throw new Rejection(RejectReason.UNTRUSTED_KEY, signatureName + ": signed by key " + keyId
            + ", which is not allowed to sign " + rel + " at its location");
      }
    }
  }

  /** True if a key with id {@code keyId} is allowed at {@code location}. */
  private boolean allows(Path location, String keyId) {
    for (TrustedKey k : settings.keysFor(location)) {
      if (k.keyId().equals(keyId)) {
        return true;
      }
    }
    return false;
  }

  private static boolean namesAny(byte[] keyHint, List<TrustedKey> keys) {
    for (TrustedKey k : keys) {
      if (MessageDigest.isEqual(keyHint, HexFormat.of().parseHex(k.keyId()))) {
        return true;
      }
    }
    return false;
  }
}
