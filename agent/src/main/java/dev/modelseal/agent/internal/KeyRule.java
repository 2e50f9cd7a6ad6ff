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
 * <p>Keyless signatures (a Fulcio certificate instead of a key) are checked the same way with the trusted identities
 * ({@link #verifyKeyless}, {@link AgentSettings#identitiesFor}), never with a key; key signatures never with an
 * identity.
 *
 * <p>Failures, all {@link Rejection}s prefixed with the signature's shown name: {@code UNTRUSTED_KEY} when a trusted
 * key (identity) not allowed at the location verifies, when no usable key (identity) is allowed there, when no
 * identity is configured at all for a keyless signature, or when a cosign key hint names a key that is not allowed;
 * otherwise the first allowed key's (identity's) own failure ({@link Rejection#of}).
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

  /** One trusted identity's check of one keyless signature; as {@link Verification}, a named class at each caller. */
  interface KeylessVerification<T> {
    /**
     * Checks the keyless signature as signed by {@code identity}.
     *
     * @return what it yields (never null)
     * @throws VerificationException if it does not verify for this identity
     */
    T verify(TrustedIdentity identity) throws VerificationException, IOException;
  }

  /** A keyless signature that verified for {@code identity}, one allowed at its location, yielding {@code result}. */
  record IdentitySigner<T>(T result, TrustedIdentity identity) {}

  /**
   * How a keyless signature is refused when the settings trust no identity: it names the settings that would.
   */
  static final String NO_IDENTITY = "signed keyless (a Fulcio certificate, no key), and no trusted identity is"
      + " configured: set identity.<name>.san (or .san-regexp) and identity.<name>.issuer (or .issuer-regexp)"
      + " in the config file";

  /**
   * Verifies a keyless signature with the identities allowed at {@code location}, in their configured order, and
   * returns the first that verifies; as {@link #verify} does with keys.
   *
   * @throws Rejection {@code UNTRUSTED_KEY} if no identity is configured ({@link #NO_IDENTITY}), if only an identity
   *     not allowed here verifies, or if no identity is allowed here; else the first allowed identity's failure
   */
  <T> IdentitySigner<T> verifyKeyless(Path location, String shownName, KeylessVerification<T> verification)
      throws Rejection, IOException {
    if (settings.identities().isEmpty()) {
      throw new Rejection(RejectReason.UNTRUSTED_KEY, shownName + ": " + NO_IDENTITY);
    }
    List<TrustedIdentity> allowed = settings.identitiesFor(location);
    VerificationException first = null;
    for (TrustedIdentity i : allowed) {
      try {
        return new IdentitySigner<>(verification.verify(i), i);
      } catch (VerificationException e) {
        first = first == null ? e : first;
      }
    }
    for (TrustedIdentity i : settings.identities()) {
      if (allowed.contains(i)) {
        continue;
      }
      try {
        verification.verify(i);
      } catch (VerificationException e) {
        continue; // not this identity either
      }
      throw new Rejection(RejectReason.UNTRUSTED_KEY, shownName + ": signed by identity " + i.name()
          + ", which is not allowed to sign models at this location");
    }
    if (first == null) {
      throw new Rejection(RejectReason.UNTRUSTED_KEY, shownName + ": no trusted identity may sign models at this"
          + " location");
    }
    throw Rejection.of(shownName, first);
  }

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
   * Requires the signer {@code signer} (a key id, or {@link TrustedIdentity#signer}), which signed {@code
   * signatureName} in {@code dir}, to be allowed at the location of each file it lists: a {@code model.sig} signed
   * with a key its directory allows does not cover a file under a rule that names other keys.
   *
   * @param files the listed files, relative to {@code dir} with {@code /}; checked in name order, so that the
   *     refusal names the first
   * @throws Rejection {@code UNTRUSTED_KEY} naming the first file whose location does not allow the signer
   */
  void requireAllowedAtEach(String signer, Path dir, Collection<String> files, String signatureName)
      throws Rejection {
    List<String> sorted = new ArrayList<>(files);
    sorted.sort(null);
    for (String rel : sorted) {
      if (!allows(dir.resolve(rel), signer)) {
        throw new Rejection(RejectReason.UNTRUSTED_KEY, signatureName + ": signed by "
            + TrustedIdentity.describeSigner(signer) + ", which is not allowed to sign " + rel + " at its location");
      }
    }
  }

  /** True if the signer {@code signer} (a key id or an identity's signer string) is allowed at {@code location}. */
  private boolean allows(Path location, String signer) {
    if (TrustedIdentity.isIdentitySigner(signer)) {
      for (TrustedIdentity i : settings.identitiesFor(location)) {
        if (i.signer().equals(signer)) {
          return true;
        }
      }
      return false;
    }
    for (TrustedKey k : settings.keysFor(location)) {
      if (k.keyId().equals(signer)) {
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
