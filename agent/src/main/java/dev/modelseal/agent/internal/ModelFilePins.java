package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Pins one model file in the mode the {@code pin} setting asks for ({@link PinMode}) and returns the digests of
 * exactly the bytes the runtime will read. In {@code auto}, per file: in place when its storage qualifies
 * ({@link InPlacePins}), else a clone when the pin folder is on the model's own file system and that file system can
 * clone ({@link Cloner}; a clone that fails is said on standard error and the file copied), else a copy
 * ({@link Pinner#copyAndHash}, after checking that it fits). Forced modes: {@code in-place} pins in place whatever the
 * storage (labelled {@code in-place-forced} where it does not qualify), {@code clone} refuses a file it cannot clone,
 * {@code copy} always copies, {@code memory} refuses a load by path.
 *
 * <p>Failure: {@link Rejection} for a forced mode that cannot be had; {@link NoRoomForCopy} for a copy that does not
 * fit; {@link IOException} for a file that cannot be read. Errors while deciding fall back to a copy (never to an
 * unchecked in-place pin).
 */
final class ModelFilePins {
  /** File-system types whose clones {@code auto} tries (elsewhere {@code cp --reflink=always} is known to fail). */
  private static final Set<String> CLONING_TYPES = Set.of("xfs", "btrfs", "bcachefs", "ocfs2", "zfs");

  /**
   * One pinned file.
   *
   * @param digests JCA digest name to digest of the bytes the runtime reads
   * @param label the decision line's {@code pin}
   * @param note the decision line's {@code pinNote}: how, or why not in place (null for a copy with nothing to say)
   */
  record Pinned(Map<String, byte[]> digests, String label, String note, InPlacePins.Pinned inPlace) {
    /** True for a placeholder that waits for its ONNX Runtime session ({@link OnnxMemoryPins}): nothing hashed yet. */
    boolean deferred() {
      return digests == null;
    }

    /** Undoes what outlives the pin folder (an in-place descriptor) after a refusal. */
    void release() {
      if (inPlace != null) {
        inPlace.release();
      }
    }
  }

  private final Pinner pinner;
  private final PinMode mode;
  private final InPlacePins inPlace;
  private final Cloner cloner;
  private final InPlacePins.Mounts mounts;
  private final OnnxMemoryPins memory;

  ModelFilePins(Pinner pinner, PinMode mode, InPlacePins inPlace, Cloner cloner, InPlacePins.Mounts mounts) {
    this(pinner, mode, inPlace, cloner, mounts, new OnnxMemoryPins(0));
  }

  ModelFilePins(Pinner pinner, PinMode mode, InPlacePins inPlace, Cloner cloner, InPlacePins.Mounts mounts,
      OnnxMemoryPins memory) {
    this.memory = memory;
    this.pinner = pinner;
    this.mode = mode;
    this.inPlace = inPlace;
    this.cloner = cloner;
    this.mounts = mounts;
  }

  /** The {@code pin} setting. */
  PinMode mode() {
    return mode;
  }

  /** How files are pinned in place (OpenSSF model signatures pin their listed files with it, {@link OmsInPlace}). */
  InPlacePins inPlace() {
    return inPlace;
  }

  /** The ONNX models that wait for their session, to be loaded from memory. */
  OnnxMemoryPins memory() {
    return memory;
  }

  /** How files are cloned. */
  Cloner cloner() {
    return cloner;
  }

  /** The pins the settings ask for, on this machine's mounts, with {@code cp --reflink=always}. */
  static ModelFilePins of(AgentSettings settings, Pinner pinner) {
    int euid = InPlacePins.effectiveUid();
    VerifiedResultCache cache = settings.verifiedCache()
        ? new VerifiedResultCache(pinner.pinDirectory(), euid, TimeUnit.SECONDS.toNanos(1)) : null;
    // An anonymous class, not a method reference: this runs in premain, where each first invokedynamic costs.
    InPlacePins.Mounts mounts = new InPlacePins.Mounts() {
      @Override
      public MountTable read() throws IOException {
        return MountTable.read();
      }
    };
    return new ModelFilePins(pinner, settings.pinMode(),
        new InPlacePins(settings.trustedOwners(), settings.pinMode() == PinMode.IN_PLACE, cache, mounts, euid),
        Cloner.REFLINK, mounts, new OnnxMemoryPins(settings.maxInMemoryBytes()));
  }

  /** Pins {@code source} (a real, regular file) at {@code target} (which must not exist) and hashes what was pinned. */
  Pinned pinAndHash(Path source, Path target, Set<String> algorithms, String shownName) throws Rejection, IOException {
    return pinAndHash(source, target, algorithms, shownName, false);
  }

  /**
   * {@link #pinAndHash(Path, Path, Set, String)}; with {@code forSession} (the file is for an ONNX Runtime session),
   * in {@code auto}, a file that would be copied and that {@link OnnxMemoryPins#eligible may wait} gets an empty
   * placeholder at {@code target} instead, nothing hashed ({@link Pinned#deferred}): the caller records it.
   */
  Pinned pinAndHash(Path source, Path target, Set<String> algorithms, String shownName, boolean forSession)
      throws Rejection, IOException {
    if (mode == PinMode.MEMORY) {
      if (forSession && memory.fits(source, Files.size(source))) {
        pinner.pinRoot();
        return new Pinned(null, PinMode.MEMORY.label, "loaded from memory by ONNX Runtime (pin=memory)", null);
      }
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, shownName + ": pin=memory, but this runtime loads by path"
          + " (only in-memory loads, and ONNX Runtime sessions of .onnx files, can be pinned in memory; set"
          + " pin=auto)");
    }
    String notInPlace = "";
    if (mode == PinMode.AUTO || mode == PinMode.IN_PLACE) {
      InPlacePins.Pinned p = inPlace.pin(source, target, algorithms);
      if (p.digests() != null) {
        return new Pinned(p.digests(), p.label(), p.note(), p);
      }
      notInPlace = "; not pinned in place: " + p.note();
    }
    long size = Files.size(source);
    // A small file is copied: cheaper than the clone's process (and its mount-table read) would be.
    if (mode == PinMode.CLONE || mode == PinMode.AUTO && size > Pinner.SMALL_FILE && cloneable(source)) {
      try {
        pinner.pinRoot();
        Files.createDirectories(target.getParent());
        cloner.cloneFile(source, target);
        Map<String, byte[]> digests = pinner.hashPinned(target, algorithms);
        return new Pinned(digests, PinMode.CLONE.label, "pinned as a copy-on-write clone" + notInPlace, null);
      } catch (IOException e) {
        Files.deleteIfExists(target);
        if (mode == PinMode.CLONE) {
          throw new Rejection(RejectReason.PATH_REFUSED, shownName + ": pin=clone, but it could not be cloned into"
              + " pin-dir " + pinner.pinDirectory() + ": " + e.getMessage());
        }
        System.err.println("modelseal: could not clone " + source + " (" + e.getMessage() + "); copying it instead");
        notInPlace += "; clone failed: " + e.getMessage();
      }
    }
    if (forSession && mode == PinMode.AUTO && memory.eligible(source, size)) {
      pinner.pinRoot();
      return new Pinned(null, PinMode.MEMORY.label, "loaded from memory by ONNX Runtime" + notInPlace, null);
    }
    Map<String, byte[]> digests = pinner.copyAndHash(source, target, algorithms);
    return new Pinned(digests, PinMode.COPY.label, notInPlace.isEmpty() ? null : notInPlace.substring(2), null);
  }

  /** True if the pin folder shares the model's file system and that file system can clone. */
  private boolean cloneable(Path source) {
    try {
      Object dev = Files.getAttribute(source, "unix:dev", LinkOption.NOFOLLOW_LINKS);
      Path root = pinner.pinRoot();
      if (!dev.equals(Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
        return false;
      }
      MountTable.Mount m = mounts.read().mountOf(source);
      return m != null && CLONING_TYPES.contains(m.fsType());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
