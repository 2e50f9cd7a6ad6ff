package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.KeylessVerifier;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.VerificationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies one model file against the cosign signature that speaks for it ({@link Sidecars}) with the keys allowed
 * at its location ({@link KeyRule}), pinning it on the way: the file is copied into the pin folder while it is
 * hashed, and the signature is checked against the digests of the copied bytes. A keyless signature (a Sigstore
 * bundle with a Fulcio certificate) is checked the same way with the trusted identities instead of the keys
 * ({@link KeyRule#verifyKeyless}), against the digest its bundle names. Also verifies in-memory content
 * against the signed files under the model roots with the same bytes ({@link SignedFileSearch}). Failures are
 * {@link Rejection}s: {@code UNSIGNED} without a signature, {@code MALFORMED_SIGNATURE} for one that does not
 * parse, and the key rule's and the signature check's own.
 */
final class ModelChecker {
  /** How an in-memory model with no signed copy under the model roots (a model bundled in a jar) is allowed. */
  static final String ALLOW_IN_MEMORY = "; to allow a model loaded from memory (as from a jar),"
      + " keep a signed copy of its bytes under a models= root";


  private final AgentSettings settings;
  private final Pinner pinner;
  private final ModelFilePins filePins;
  private final KeyRule keyRule;
  private final Map<TrustedKey, BlobVerifier> verifiers = new IdentityHashMap<>();
  /** Every digest any trusted key's signatures may need: fixed once the keys are. */
  private final Set<String> algorithms = new LinkedHashSet<>();

  ModelChecker(AgentSettings settings, Pinner pinner) throws KeyFormatException {
    this(settings, pinner, ModelFilePins.of(settings, pinner));
  }

  /** A checker that pins files with {@code filePins} (tests inject mounts, cloner and free space there). */
  ModelChecker(AgentSettings settings, Pinner pinner, ModelFilePins filePins) throws KeyFormatException {
    this.settings = settings;
    this.pinner = pinner;
    this.filePins = filePins;
    this.keyRule = new KeyRule(settings);
    algorithms.add("SHA-256"); // the decision line's digest, also with identities and no keys
    for (TrustedKey k : settings.keys()) {
      BlobVerifier v = BlobVerifier.builder(k.key()).acceptLegacySha256(settings.acceptLegacySha256()).build();
      verifiers.put(k, v);
      algorithms.addAll(v.digestAlgorithms());
    }
  }

  Pinner pinner() {
    return pinner;
  }

  /** How this checker pins files (its pin mode, in-place pins and cloner serve OpenSSF model signatures too). */
  ModelFilePins filePins() {
    return filePins;
  }

  /**
   * Runs the signature check once on made-up input, so that its classes are loaded and the JCA
   * signature provider is set up, and creates the pin folder, before the first real model arrives.
   * The result is thrown away.
   */
  void warmUp() {
    try {
      // The signature provider first (the first real verification needs it soonest), then the pin
      // folder (seeds a SecureRandom). One round: more would get the EC arithmetic compiled sooner
      // but, on two cores, cost the application's own start-up more than they save (bench/RESULTS.md).
      SignatureMaterial fake = SignatureMaterial.parseDetached(
          "MAYCAQECAQE=" /* DER (r=1, s=1): well-formed, never valid */
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      Map<String, byte[]> zeros = Map.of("SHA-256", new byte[32], "SHA-384", new byte[48], "SHA-512", new byte[64]);
      for (BlobVerifier v : verifiers.values()) {
        try {
          v.verifyDigests(zeros, fake);
        } catch (VerificationException expected) {
          // made-up signature: failing is the point
        }
      }
      pinner.prepare();
    } catch (Exception e) {
      // warm-up only; real verifications report their own errors
    }
  }

  /**
   * Gets SHA-256 compiled before the first large model is hashed. Runs after {@link #warmUp}
   * and the weaving warm-up: a small model does not need it; a large one loaded right at start-up
   * would otherwise be hashed at interpreter speed (bench/RESULTS.md).
   */
  void warmUpHashing() {
    try {
      // Many small updates, not a few large ones: it is the call count that gets the whole chain, from
      // MessageDigest.update down to the SHA-NI intrinsic, compiled by C2. Only every 32nd call hashes
      // blocks (128 bytes, the multi-block path); the others add one byte, so little time goes into
      // interpreting the pure-Java block function.
      byte[] chunk = new byte[128];
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < 20_000; i++) {
        md.update(chunk, 0, i % 32 == 0 ? chunk.length : 1);
      }
      md.digest();
    } catch (Exception e) {
      // warm-up only; real verifications report their own errors
    }
  }

  /**
   * Verifies {@code file} (a real, regular file, whose path also decides the allowed keys) and pins
   * it at {@code target}.
   *
   * @return the hex id of the key that verified, and how the file was pinned
   */
  Checked verifyAndPin(Path file, Path target, String shownName, Map<String, byte[]> digestsOut)
      throws Rejection, IOException {
    return verifyAndPin(file, target, shownName, digestsOut, false);
  }

  /**
   * {@link #verifyAndPin(Path, Path, String, Map)}; {@code forSession}: the file is for an ONNX Runtime session, so
   * it may wait for it ({@link OnnxMemoryPins}), its signature found but not yet checked: the result then has no key
   * id, pin {@code memory}, and nothing in {@code digestsOut}.
   */
  Checked verifyAndPin(Path file, Path target, String shownName, Map<String, byte[]> digestsOut, boolean forSession)
      throws Rejection, IOException {
    Sidecars.Found found = Sidecars.find(file, shownName);
    if (found.coveredByModelSigning()) {
      throw new Rejection(RejectReason.UNSIGNED, shownName + ": not signed (no " + shownName
          + Sidecars.BUNDLE_SUFFIX + " or " + shownName + Sidecars.SIG_SUFFIX + "; the " + FolderSignature.NAME
          + " beside it is an OpenSSF model signature, which covers its directory when that directory is loaded)");
    }
    return pinAndCheck(file, found, target, digestsOut, forSession);
  }

  /** {@link #check(SignatureMaterial, Map, Object, Path, String)}, naming what was tried for a {@code model.sig}. */
  private String check(Sidecars.Found found, Map<String, byte[]> digests, Object privateCopy, Path location)
      throws Rejection, IOException {
    try {
      return check(found.material(), digests, privateCopy, location, found.label());
    } catch (Rejection r) {
      // A signature of the wrong shape for every trusted key: the model.sig was no cosign signature after all.
      if (found.besideName() != null && r.reason == RejectReason.MALFORMED_SIGNATURE
          && r.getMessage().startsWith(found.label() + ": ")) {
        throw FolderSignature.neither(found.besideName(), r.getMessage().substring(found.label().length() + 2));
      }
      throw r;
    }
  }

  /**
   * Verifies {@code file} with its already parsed sidecar {@code sig} (see {@link Sidecars#bundle})
   * and pins it at {@code target}.
   *
   * @return the hex id of the key that verified, and how the file was pinned
   */
  Checked verifyAndPin(Path file, SignatureMaterial sig, Path target, String shownName,
      Map<String, byte[]> digestsOut, boolean forSession) throws Rejection, IOException {
    return pinAndCheck(file, new Sidecars.Found(sig, shownName, null, false), target, digestsOut, forSession);
  }

  /**
   * A verified file: the key that verified it, the decision line's {@code pin} ({@link PinMode}) and {@code pinNote}
   * (how, or why not in place; may be null).
   */
  record Checked(String keyId, String pin, String note) {}

  /**
   * Pins {@code file} at {@code target} ({@link ModelFilePins}: in place, a clone or a copy) and checks {@code found}
   * against the digests of what was pinned; a refused file's in-place descriptor is released.
   */
  private Checked pinAndCheck(Path file, Sidecars.Found found, Path target, Map<String, byte[]> digestsOut,
      boolean forSession) throws Rejection, IOException {
    Set<String> needed = KeylessBundles.isKeyless(found.material()) ? KeylessBundles.digestsFor(found.material())
        : algorithms;
    ModelFilePins.Pinned pinned = filePins.pinAndHash(file, target, needed, file.getFileName().toString(),
        forSession);
    if (pinned.deferred()) {
      filePins.memory().defer(target, new OnnxMemoryPins.Deferred(file, found, needed, pinned.note()));
      return new Checked(null, pinned.label(), pinned.note());
    }
    boolean verified = false;
    try {
      digestsOut.putAll(pinned.digests());
      String keyId = check(found, pinned.digests(), target, file);
      verified = true;
      return new Checked(keyId, pinned.label(), pinned.note());
    } finally {
      if (!verified) {
        pinned.release();
      }
    }
  }

  /**
   * Checks the bytes {@link OnnxMemoryPins#read} read for a file that waited for its session, with the signature
   * found for it and the keys (or identities) allowed at its original location.
   *
   * @return the hex id of the key that verified, or the identity's signer string
   */
  String verifyRead(OnnxMemoryPins.Deferred d, OnnxMemoryPins.Read read) throws Rejection, IOException {
    return check(d.signature(), read.digests(), read.bytes(), d.source());
  }

  /**
   * Checks a signature against digests (and, for pure Ed25519, the private copy's bytes) with the keys allowed at
   * {@code location} ({@link KeyRule}), or a keyless one with the identities allowed there.
   *
   * @return the hex id of the key that verified, or the identity's signer string ({@link TrustedIdentity#signer})
   */
  private String check(SignatureMaterial sig, Map<String, byte[]> digests, Object privateCopy, Path location,
      String shownName) throws Rejection, IOException {
    if (KeylessBundles.isKeyless(sig)) {
      return keyRule.verifyKeyless(location, shownName, new KeylessCheck(sig, digests, privateCopy))
          .identity().signer();
    }
    return keyRule.verify(location, shownName, sig.keyHint(), "trusted key",
        new CosignCheck(sig, digests, privateCopy)).key().keyId();
  }

  /**
   * What one signature check works on: the signature, the model's digests, and its private copy (or null), shared
   * by {@link CosignCheck} and {@link KeylessCheck}.
   */
  private abstract static class SignatureCheckInputs {
    final SignatureMaterial sig;
    final Map<String, byte[]> digests;
    final Object privateCopy;

    SignatureCheckInputs(SignatureMaterial sig, Map<String, byte[]> digests, Object privateCopy) {
      this.sig = sig;
      this.digests = digests;
      this.privateCopy = privateCopy;
    }
  }

  /** One trusted key's check of a cosign signature ({@link #verifyOne}); never null: every key can check one. */
  private final class CosignCheck extends SignatureCheckInputs implements KeyRule.Verification<TrustedKey> {
    CosignCheck(SignatureMaterial sig, Map<String, byte[]> digests, Object privateCopy) {
      super(sig, digests, privateCopy);
    }

    @Override
    public TrustedKey verify(TrustedKey key) throws VerificationException, IOException {
      verifyOne(verifiers.get(key), sig, digests, privateCopy);
      return key;
    }
  }

  /**
   * One trusted identity's check of a keyless bundle: against the digests, or (a digest they lack, as for a private
   * copy hashed for the keys) the copy itself.
   */
  private static final class KeylessCheck extends SignatureCheckInputs
      implements KeyRule.KeylessVerification<TrustedIdentity> {
    KeylessCheck(SignatureMaterial sig, Map<String, byte[]> digests, Object privateCopy) {
      super(sig, digests, privateCopy);
    }

    @Override
    public TrustedIdentity verify(TrustedIdentity identity) throws VerificationException, IOException {
      KeylessVerifier v = identity.blobVerifier();
      Map<String, byte[]> d = digests;
      if (privateCopy instanceof byte[] b && !d.keySet().containsAll(KeylessBundles.digestsFor(sig))) {
        d = new LinkedHashMap<>(digests);
        for (String a : KeylessBundles.digestsFor(sig)) {
          if (!d.containsKey(a)) {
            d.put(a, digest(a, b));
          }
        }
      }
      try {
        v.verifyDigests(d, sig);
      } catch (VerificationException e) {
        if (e.reason() != VerificationException.Reason.UNSUPPORTED || d.keySet().containsAll(v.digestAlgorithms())) {
          throw e;
        }
        if (privateCopy instanceof Path p) {
          v.verify(p, sig);
        } else {
          v.verify(contentOf(privateCopy), lengthOf(privateCopy), sig, ProgressListener.NONE);
        }
      }
      return identity;
    }
  }

  /** A private copy in memory (a {@code byte[]}, or a buffer {@link OnnxMemoryPins} read) as a stream. */
  private static InputStream contentOf(Object privateCopy) {
    if (privateCopy instanceof ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      return new InputStream() {
        @Override
        public int read() {
          return view.hasRemaining() ? view.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          if (!view.hasRemaining()) {
            return len == 0 ? 0 : -1;
          }
          int n = Math.min(len, view.remaining());
          view.get(b, off, n);
          return n;
        }
      };
    }
    return new ByteArrayInputStream((byte[]) privateCopy);
  }

  private static long lengthOf(Object privateCopy) {
    return privateCopy instanceof ByteBuffer buffer ? buffer.remaining() : ((byte[]) privateCopy).length;
  }

  private static byte[] digest(String algorithm, byte[] content) {
    try {
      return MessageDigest.getInstance(algorithm).digest(content);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void verifyOne(BlobVerifier v, SignatureMaterial sig, Map<String, byte[]> digests,
      Object privateCopy) throws VerificationException, IOException {
    try {
      v.verifyDigests(digests, sig);
    } catch (VerificationException e) {
      if (e.reason() != VerificationException.Reason.UNSUPPORTED) {
        throw e;
      }
      if (privateCopy instanceof Path p) {
        v.verify(p, sig);
      } else {
        v.verify(contentOf(privateCopy), lengthOf(privateCopy), sig, ProgressListener.NONE);
      }
    }
  }

  /**
   * Verifies in-memory content (already a private copy) against the signed files of the same length
   * under the model roots.
   *
   * @return the verdict naming the signed file it matched
   */
  Verdict verifyContent(byte[] content, String shownLocation) throws Rejection, IOException {
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (String a : algorithms) {
      try {
        digests.put(a, MessageDigest.getInstance(a).digest(content));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    String digest = "sha256:" + HexFormat.of().formatHex(digests.get("SHA-256"));
    List<Path> found = new ArrayList<>();
    String cut = null;
    for (Path root : settings.modelRoots()) {
      String c = SignedFileSearch.collect(root, content, found);
      cut = cut == null ? c : cut;
    }
    // Model roots may nest (rule prefixes /m and /m/beta): try each signed file once, in first-found order.
    Set<Path> candidates = new LinkedHashSet<>(found);
    Rejection firstFailure = null;
    for (Path candidate : candidates) {
      try {
        if (settings.formatFor(candidate) == PathRule.Format.MODEL_SIGNING) {
          // An in-memory copy can only match a cosign-signed file, which this location does not accept.
          Rejection r = PathRule.Format.MODEL_SIGNING.refusal();
          throw new Rejection(r.reason, candidate + ": " + r.getMessage());
        }
        Sidecars.Found signature = Sidecars.find(candidate, candidate.toString());
        if (signature.coveredByModelSigning()) {
          continue; // signed as part of its directory, which an in-memory load is not
        }
        String keyId = check(signature, digests, content, candidate);
        return new Verdict(null, digest, keyId, "matches signed " + candidate);
      } catch (Rejection r) {
        firstFailure = firstFailure == null ? r : firstFailure;
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
    throw new Rejection(RejectReason.UNSIGNED, "no signed model of " + content.length + " bytes under "
        + (settings.modelRoots().isEmpty() ? "any model root (none configured: set models=...)" : settings.modelRoots())
        + " matches " + shownLocation + (cut == null ? "" : " (" + cut + ")") + ALLOW_IN_MEMORY);
  }
}
