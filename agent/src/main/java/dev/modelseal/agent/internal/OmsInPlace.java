package dev.modelseal.agent.internal;

import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignedModel;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pins the files an OpenSSF model signature lists in place, all or none ({@code pin=auto} or {@code in-place}): each
 * listed file is opened once and qualified on its opened descriptor by {@link InPlacePins#open} (the same rule as a
 * cosign-signed file), the opened files are hashed through their {@code /proc/self/fd/N} with the signed
 * serialization, shards on all cores ({@link ModelManifest#computeOpened}), each is re-{@code stat}ed after hashing
 * (a change fails the load), the manifest is compared with the signed one, and the pin folder is built as a tree of
 * links with the original relative names ({@code /proc/<pid>/fd/N}; folders real and owner-only): the runtime opens
 * exactly the inodes that were hashed, and sibling names still resolve. The descriptors stay open for the JVM's life.
 *
 * <p>In {@code auto}, one file that does not qualify means "not in place" (the caller copies the whole model); with
 * {@code in-place} forced, such files are pinned in place anyway and the pin is labelled {@code in-place-forced}. An
 * error while opening or deciding (a descriptor number, the mount table) is "not in place" in both modes: never an
 * unchecked in-place pin. The verified-result cache is not used: it records one file's digests by JCA algorithm, not the
 * entries of a manifest (shards), so every in-place OpenSSF model is hashed on each load.
 */
final class OmsInPlace {
  /**
   * The outcome: {@code pinned} false means "not in place", {@code note} saying why (the caller copies); else the
   * decision line's pin label and note, and the descriptors kept open.
   */
  record Outcome(boolean pinned, String label, String note, List<InPlacePins.Opened> kept) {
    /** Closes the kept descriptors of a load that was refused after pinning. */
    void release() {
      for (InPlacePins.Opened o : kept) {
        o.close();
      }
    }
  }

  private final InPlacePins inPlace;

  OmsInPlace(InPlacePins inPlace) {
    this.inPlace = inPlace;
  }

  /**
   * Tries to pin {@code items} in place, each as a link at its target (which must not exist), and checks them
   * against {@code model}'s manifest.
   *
   * @throws Rejection as {@link SignedModel#check} refuses the hashed files (named after {@code signatureName})
   * @throws IOException if a file cannot be opened or read, or changed while it was hashed
   */
  Outcome pin(SignedModel model, List<OmsCopier.Item> items, String signatureName) throws Rejection, IOException {
    List<InPlacePins.Opened> opened = new ArrayList<>();
    boolean pinned = false;
    try {
      Set<String> why = new LinkedHashSet<>();
      List<String> forcedWhy = new ArrayList<>();
      for (OmsCopier.Item item : items) {
        InPlacePins.Opened o;
        try {
          o = inPlace.open(item.source());
        } catch (IOException e) {
          // Not in place (too many open files, say); the copy reopens it and names a real failure.
          return new Outcome(false, null, shown(item) + "opening it failed: " + e, List.of());
        }
        if (!o.decided() || !o.qualifies() && !inPlace.forced()) {
          o.close();
          return new Outcome(false, null, shown(item) + o.why(), List.of());
        }
        opened.add(o);
        if (o.qualifies()) {
          why.add(o.why());
        } else {
          forcedWhy.add(shown(item) + o.why());
        }
      }
      List<ModelManifest.OpenedFile> files = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        files.add(new ModelManifest.OpenedFile(items.get(i).name(), opened.get(i).fdPath(), opened.get(i).size()));
      }
      ModelManifest actual = ModelManifest.computeOpened(files, model.hashing(), ProgressListener.NONE);
      for (int i = 0; i < items.size(); i++) {
        opened.get(i).requireUnchanged(items.get(i).source());
      }
      try {
        model.check(actual, false);
      } catch (VerificationException e) {
        throw Rejection.of(signatureName, e);
      }
      for (int i = 0; i < items.size(); i++) {
        Path link = items.get(i).target();
        Files.createDirectories(link.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        opened.get(i).linkAndKeep(link);
      }
      pinned = true;
      String note = forcedWhy.isEmpty()
          ? "pinned in place (" + String.join("; ", why) + ")"
          : "pinned in place (forced by pin=in-place although " + String.join("; ", forcedWhy) + ")";
      return new Outcome(true, forcedWhy.isEmpty() ? PinMode.IN_PLACE.label : PinMode.IN_PLACE_FORCED, note,
          List.copyOf(opened));
    } finally {
      if (!pinned) {
        for (InPlacePins.Opened o : opened) {
          o.close();
        }
      }
    }
  }

  /** {@code "name: "} for a file of a directory, nothing for a single-file model. */
  private static String shown(OmsCopier.Item item) {
    return ".".equals(item.name()) ? "" : item.name() + ": ";
  }
}
