package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignedModel;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Pins the files an OpenSSF model signature lists, all in one mode, as the {@code pin} setting asks ({@link PinMode},
 * the same setting as for cosign-signed files, {@link ModelFilePins}), and checks them against the signed manifest.
 * {@code auto}: in place when every listed file's storage qualifies ({@link OmsInPlace}), else the whole model is
 * copied while it is hashed ({@link OmsCopier}, after checking that it fits), the decision line's {@code pinNote}
 * naming the first file that did not qualify. {@code in-place}: in place, labelled {@code in-place-forced} when a
 * file does not qualify (an error while deciding still copies). {@code clone}: every file cloned ({@link Cloner})
 * and the clones hashed; one that cannot be cloned refuses the load. {@code copy}: copied. {@code memory}: refused
 * (a load by path).
 */
final class OmsPinModes {
  /**
   * The pinned model: the decision line's {@code pin} and {@code pinNote} (null: nothing to say), and the in-place
   * descriptors (null unless in place).
   */
  record Pinned(String label, String note, OmsInPlace.Outcome inPlace) {
    /** Undoes what outlives the pin folder (in-place descriptors) after a refusal. */
    void release() {
      if (inPlace != null) {
        inPlace.release();
      }
    }
  }

  private final Pinner pinner;
  private final PinMode mode;
  private final OmsInPlace inPlace;
  private final Cloner cloner;

  OmsPinModes(Pinner pinner, ModelFilePins filePins) {
    this.pinner = pinner;
    this.mode = filePins.mode();
    this.inPlace = new OmsInPlace(filePins.inPlace());
    this.cloner = filePins.cloner();
  }

  /**
   * Pins {@code items} (each at its target, which must not exist; {@code pinned} is the pinned file, or the folder
   * holding every target) and checks them against {@code model}.
   *
   * @param signatureName names the signature in refusals
   * @param shownName names the model in refusals ({@code pin=memory}, clone failures, no room for a copy)
   * @throws NoRoomForCopy if a copy does not fit in the pin folder's file system
   */
  Pinned pinAndCheck(SignedModel model, List<OmsCopier.Item> items, Path pinned, String signatureName,
      String shownName) throws Rejection, IOException {
    if (mode == PinMode.MEMORY) {
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, shownName + ": pin=memory, but this runtime loads by path"
          + " (only in-memory loads can be pinned in memory; set pin=auto)");
    }
    String note = null;
    if (mode == PinMode.AUTO || mode == PinMode.IN_PLACE) {
      OmsInPlace.Outcome o = inPlace.pin(model, items, signatureName);
      if (o.pinned()) {
        return new Pinned(o.label(), o.note(), o);
      }
      note = "not pinned in place: " + o.note();
    }
    if (mode == PinMode.CLONE) {
      cloneAll(items, shownName);
      try {
        model.check(ModelManifest.compute(pinned, model.hashing(), ProgressListener.NONE), false);
      } catch (VerificationException e) {
        throw Rejection.of(signatureName, e);
      }
      return new Pinned(PinMode.CLONE.label, "pinned as copy-on-write clones", null);
    }
    long total = 0;
    for (OmsCopier.Item i : items) {
      total += i.size();
    }
    pinner.requireRoom(total, shownName);
    try {
      model.check(OmsCopier.pinAndHash(items, pinned, model.hashing()), false);
    } catch (VerificationException e) {
      throw Rejection.of(signatureName, e);
    }
    return new Pinned(PinMode.COPY.label, note, null);
  }

  /** Clones every item into its target, made read-only; refuses the load if one cannot be cloned. */
  private void cloneAll(List<OmsCopier.Item> items, String shownName) throws Rejection, IOException {
    pinner.pinRoot();
    for (OmsCopier.Item i : items) {
      try {
        Files.createDirectories(i.target().getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        cloner.cloneFile(i.source(), i.target());
      } catch (IOException e) {
        throw new Rejection(RejectReason.PATH_REFUSED, shownName + ": pin=clone, but "
            + (".".equals(i.name()) ? "it" : i.name()) + " could not be cloned into pin-dir " + pinner.pinDirectory()
            + ": " + e.getMessage());
      }
      Files.setPosixFilePermissions(i.target(), PosixFilePermissions.fromString("r--------"));
    }
  }
}
