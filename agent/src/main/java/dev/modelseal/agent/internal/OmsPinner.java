package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ModelSignatureBundle;
import dev.modelseal.core.ModelVerifier;
import dev.modelseal.core.SignedModel;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a model signed with OpenSSF Model Signing (a directory with {@code model.sig}, or a single
 * file with an OMS bundle as {@code X.sigstore.json}) and pins it: the signature is checked with the
 * keys allowed at its location first ({@link KeyRule}, which also requires the signer to be allowed at each
 * listed file's location), then exactly the files the signed manifest lists are pinned in the mode the
 * {@code pin} setting asks for ({@link OmsPinModes}): in place when every one qualifies ({@link OmsInPlace}: links
 * to the descriptors that were hashed), else copied into the pin folder and the copies hashed with the signed
 * serialization while they are made, on all cores, shard by shard for the {@code shards} method
 * ({@link OmsCopier}), and the manifests are compared. Files the manifest does not list are never pinned, so the
 * runtime cannot read them; an unlisted file that the signer did not ignore fails the load, named. A keyless
 * signature (a Fulcio certificate, {@link ModelSignatureBundle#isKeyless}) is checked with the trusted
 * identities instead of the keys ({@link KeyRule#verifyKeyless}), each with its keyless {@link ModelVerifier}.
 */
final class OmsPinner {
  static final String SIGNATURE = "model.sig";

  private final AgentSettings settings;
  private final Pinner pinner;
  private final KeyRule keyRule;
  private final OmsPinModes modes;
  /**
   * One verifier per trusted key (by identity), null for a key model signing cannot use (not EC
   * P-256/384/521). Built once, on the first model signature, not here: this constructor runs in
   * premain, which should not load and link {@code ModelVerifier} for agents that never see one.
   */
  private volatile Map<TrustedKey, ModelVerifier> verifiers;

  OmsPinner(AgentSettings settings, Pinner pinner) {
    this(settings, pinner, ModelFilePins.of(settings, pinner));
  }

  /** A pinner that pins in the mode of {@code filePins}, in place with its {@link InPlacePins}. */
  OmsPinner(AgentSettings settings, Pinner pinner, ModelFilePins filePins) {
    this.settings = settings;
    this.pinner = pinner;
    this.keyRule = new KeyRule(settings);
    this.modes = new OmsPinModes(pinner, filePins);
  }

  /** Returns true if {@code bundle} is an OMS (DSSE) bundle rather than a blob signature. */
  static boolean isModelSignature(byte[] bundle) {
    return new String(bundle, java.nio.charset.StandardCharsets.UTF_8).contains("\"dsseEnvelope\"");
  }

  static byte[] readSignature(Path file) throws IOException, Rejection {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new Rejection(RejectReason.PATH_REFUSED, file.getFileName() + " is not a regular file");
    }
    try (InputStream in = java.nio.channels.Channels.newInputStream(RegularFiles.openForReading(file))) {
      byte[] b = in.readNBytes(ModelVerifier.MAX_BUNDLE_BYTES + 1);
      if (b.length > ModelVerifier.MAX_BUNDLE_BYTES) {
        throw new Rejection(RejectReason.TOO_LARGE, file.getFileName() + " is larger than "
            + ModelVerifier.MAX_BUNDLE_BYTES + " bytes");
      }
      return b;
    }
  }

  /**
   * Verifies and pins a directory with its {@code model.sig}, whose bytes the caller has read once
   * ({@link FolderSignature}); {@code target} must not exist.
   */
  Verdict verifyDirectory(Path dir, byte[] signature, Path target) throws Rejection, IOException {
    Signed s = readSigned(signature, dir, SIGNATURE);
    Set<String> listed = listedFiles(s.model);
    keyRule.requireAllowedAtEach(s.keyId, dir, listed, SIGNATURE);
    List<String> extra = new ArrayList<>();
    List<String> ignored = s.model.hashing().ignorePaths();
    List<OmsCopier.Item> copies = new ArrayList<>();
    Files.createDirectories(target, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    int[] seen = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (++seen[0] > LocationVerifier.MAX_ENTRIES) {
          return FileVisitResult.TERMINATE;
        }
        String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        if (rel.equals(SIGNATURE) || isIgnored(rel, ignored)) {
          return FileVisitResult.CONTINUE;
        }
        if (!listed.contains(rel)) {
          extra.add(rel);
        } else if (attrs.isRegularFile()) {
          copies.add(new OmsCopier.Item(rel, file, target.resolve(rel), attrs.size()));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (seen[0] > LocationVerifier.MAX_ENTRIES) {
      throw LocationVerifier.tooManyEntries();
    }
    Rejection mismatch = null;
    OmsPinModes.Pinned pinned = null;
    try {
      pinned = modes.pinAndCheck(s.model, copies, target, SIGNATURE, dir.getFileName() + " (" + copies.size()
          + " files)");
    } catch (Rejection r) {
      mismatch = r;
    }
    if (!extra.isEmpty() && (mismatch == null || mismatch.reason == RejectReason.MANIFEST_MISMATCH)) {
      if (pinned != null) {
        pinned.release();
      }
      extra.sort(null);
      String extras = "extra files: " + String.join(", ", extra);
      throw new Rejection(RejectReason.MANIFEST_MISMATCH, mismatch == null
          ? SIGNATURE + ": model does not match its signature: " + extras : mismatch.getMessage() + "; " + extras);
    }
    if (mismatch != null) {
      throw mismatch;
    }
    return new Verdict(target, "sha256:" + s.model.manifest().rootDigestHex(), s.keyId,
        "verified " + SIGNATURE + " over " + listed.size() + " files in " + dir, pinned.label(), pinned.note());
  }

  /** Verifies and pins a single file whose sidecar bundle is an OMS signature. */
  Verdict verifyFile(Path file, byte[] bundle, Path target) throws Rejection, IOException {
    Signed s = readSigned(bundle, file, file.getFileName() + Sidecars.BUNDLE_SUFFIX);
    long size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    OmsPinModes.Pinned pinned = modes.pinAndCheck(s.model, List.of(new OmsCopier.Item(".", file, target, size)),
        target, file.getFileName() + Sidecars.BUNDLE_SUFFIX, file.getFileName().toString());
    return new Verdict(target, "sha256:" + s.model.manifest().rootDigestHex(), s.keyId,
        "verified model signature of " + file, pinned.label(), pinned.note());
  }

  /**
   * A verified signature: what it says, and the id of the key that verified it (for a keyless signature, the
   * identity's signer string, {@link TrustedIdentity#signer}).
   */
  record Signed(SignedModel model, String keyId) {}

  /**
   * Checks the signature with each key allowed at {@code location} ({@link KeyRule}), parsing it once for all of
   * them: a signature that does not parse fails as it would with each key (and, with no usable key allowed, as
   * UNTRUSTED_KEY).
   */
  Signed readSigned(byte[] signature, Path location, String signatureName) throws Rejection, IOException {
    ModelSignatureBundle bundle = null;
    VerificationException unparsable = null;
    try {
      bundle = ModelSignatureBundle.parse(signature);
    } catch (VerificationException e) {
      unparsable = e;
    }
    if (bundle != null && bundle.isKeyless()) {
      KeyRule.IdentitySigner<SignedModel> s = keyRule.verifyKeyless(location, signatureName,
          new KeylessModelSignatureCheck(bundle));
      return new Signed(s.result(), s.identity().signer());
    }
    KeyRule.Signer<SignedModel> s = keyRule.verify(location, signatureName, null, "trusted ECDSA key",
        new ModelSignatureCheck(verifiers(), bundle, unparsable));
    return new Signed(s.result(), s.key().keyId());
  }

  /**
   * One trusted key's check of a parsed model signature (or of one that did not parse, which fails alike with
   * every key that can check one); null for a key model signing cannot use (EC keys only) or that its verifier
   * refuses.
   */
  private static final class ModelSignatureCheck implements KeyRule.Verification<SignedModel> {
    private final Map<TrustedKey, ModelVerifier> verifiers;
    private final ModelSignatureBundle bundle;
    private final VerificationException unparsable;

    ModelSignatureCheck(Map<TrustedKey, ModelVerifier> verifiers, ModelSignatureBundle bundle,
        VerificationException unparsable) {
      this.verifiers = verifiers;
      this.bundle = bundle;
      this.unparsable = unparsable;
    }

    @Override
    public SignedModel verify(TrustedKey key) throws VerificationException {
      ModelVerifier v = verifiers.get(key);
      if (v == null) {
        return null;
      }
      if (bundle == null) {
        throw unparsable;
      }
      try {
        return v.readSigned(bundle);
      } catch (IllegalArgumentException refused) {
        return null; // refused by this key's verifier; another trusted key may apply
      }
    }
  }

  /** One trusted identity's check of a parsed keyless model signature, with its keyless verifier. */
  private static final class KeylessModelSignatureCheck implements KeyRule.KeylessVerification<SignedModel> {
    private final ModelSignatureBundle bundle;

    KeylessModelSignatureCheck(ModelSignatureBundle bundle) {
      this.bundle = bundle;
    }

    @Override
    public SignedModel verify(TrustedIdentity identity) throws VerificationException {
      return identity.modelVerifier().readSigned(bundle);
    }
  }

  /** The verifiers, built on first use (see {@link #verifiers}). */
  private Map<TrustedKey, ModelVerifier> verifiers() {
    Map<TrustedKey, ModelVerifier> v = verifiers;
    if (v == null) {
      synchronized (this) {
        v = verifiers;
        if (v == null) {
          // Identity: the allowed keys of a location are these same instances (AgentSettings.keysFor).
          Map<TrustedKey, ModelVerifier> built = new IdentityHashMap<>();
          for (TrustedKey k : settings.keys()) {
            ModelVerifier mv;
            try {
              mv = ModelVerifier.builder().publicKey(k.key()).build();
            } catch (IllegalArgumentException notEc) {
              mv = null; // model signing uses EC keys only
            }
            built.put(k, mv);
          }
          v = Collections.unmodifiableMap(built);
          verifiers = v;
        }
      }
    }
    return v;
  }

  private static Set<String> listedFiles(SignedModel model) {
    Set<String> files = new HashSet<>();
    boolean shards = "shards".equals(model.hashing().method());
    for (ModelManifest.Entry e : model.manifest().entries()) {
      String name = e.name();
      if (shards) {
        int end = name.lastIndexOf(':');
        int start = end > 0 ? name.lastIndexOf(':', end - 1) : -1;
        name = start > 0 ? name.substring(0, start) : name;
      }
      files.add(name);
    }
    return files;
  }

  private static boolean isIgnored(String rel, List<String> ignored) {
    for (String i : ignored) {
      if (rel.equals(i) || rel.startsWith(i + "/")) {
        return true;
      }
    }
    return false;
  }


}
