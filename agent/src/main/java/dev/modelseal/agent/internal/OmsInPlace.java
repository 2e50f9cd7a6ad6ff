package dev.modelseal.agent.internal;

import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignedModel;
import dev.modelseal.core.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * unchecked in-place pin.
 *
 * <p>Verified-result cache ({@link VerifiedResultCache}, unless {@code verified-cache=false}): for each listed file that
 * qualifies (never one pinned only because {@code in-place} is forced), its manifest entries (one per shard) are
 * recorded under its opened identity after the model was verified, named {@code oms:<resource algorithm>}, and taken
 * from there on a later load whose opened file has the same identity and is not racily clean; only the other files
 * are hashed. The signature over the manifest is checked on every load, and the manifest compared as usual.
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
      VerifiedResultCache cache = inPlace.cache();
      String cacheName = cacheName(model.hashing());
      VerifiedResultCache.Snapshot recorded = cache == null ? null : cache.snapshot();
      List<ModelManifest.Entry> entries = new ArrayList<>();
      List<ModelManifest.OpenedFile> toHash = new ArrayList<>();
      List<Integer> hashed = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        InPlacePins.Opened o = opened.get(i);
        List<ModelManifest.Entry> hit = recorded != null && o.qualifies()
            ? cachedEntries(recorded.lookup(o.key(), Set.of(cacheName)), cacheName, items.get(i).name(), o.size(),
                model.hashing())
            : null;
        if (hit != null) {
          entries.addAll(hit);
        } else {
          toHash.add(new ModelManifest.OpenedFile(items.get(i).name(), o.fdPath(), o.size()));
          hashed.add(i);
        }
      }
      Map<String, ModelManifest.Entry> fresh = new HashMap<>();
      if (!toHash.isEmpty()) {
        for (ModelManifest.Entry e : ModelManifest.computeOpened(toHash, model.hashing(), ProgressListener.NONE).entries()) {
          entries.add(e);
          fresh.put(e.name(), e);
        }
      }
      for (int i = 0; i < items.size(); i++) {
        opened.get(i).requireUnchanged(items.get(i).source());
      }
      try {
        model.check(ModelManifest.of(entries), false);
      } catch (VerificationException e) {
        throw Rejection.of(signatureName, e);
      }
      if (cache != null) {
        List<VerifiedResultCache.Result> results = new ArrayList<>();
        for (int i : hashed) {
          InPlacePins.Opened o = opened.get(i);
          if (o.qualifies()) {
            byte[] digests = concatenated(fresh, entryNames(items.get(i).name(), o.size(), model.hashing()));
            if (digests != null) {
              results.add(new VerifiedResultCache.Result(o.key(), o.checkedAt(), Map.of(cacheName, digests)));
            }
          }
        }
        cache.record(results);
      }
      for (int i = 0; i < items.size(); i++) {
        Path link = items.get(i).target();
        Files.createDirectories(link.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        opened.get(i).linkAndKeep(link);
      }
      pinned = true;
      int hits = items.size() - hashed.size();
      String note = (forcedWhy.isEmpty()
          ? "pinned in place (" + String.join("; ", why) + ")"
          : "pinned in place (forced by pin=in-place although " + String.join("; ", forcedWhy) + ")")
          + (hits == 0 ? "" : hits == items.size() ? "; verified-result cache hit (not hashed)"
              : "; verified-result cache hit for " + hits + " of " + items.size() + " files (not hashed)");
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

  /** The cache's name for a listed file's manifest digests: {@code oms:} and the signed resource algorithm. */
  static String cacheName(ModelHashing hashing) {
    return "oms:" + resourceAlgorithm(hashing);
  }

  /** As core names entries' algorithm: the hash, or {@code <hash>-sharded-<shard size>}. */
  private static String resourceAlgorithm(ModelHashing hashing) {
    return "shards".equals(hashing.method())
        ? hashing.hashAlgorithm() + "-sharded-" + hashing.shardSize() : hashing.hashAlgorithm();
  }

  /**
   * The manifest entries of the file {@code name} of {@code size} bytes from its recorded digests (one per entry,
   * concatenated, in entry order); null when nothing is recorded or the record does not fit the file's entries.
   */
  private static List<ModelManifest.Entry> cachedEntries(Map<String, byte[]> recorded, String cacheName, String name,
      long size, ModelHashing hashing) {
    byte[] all = recorded == null ? null : recorded.get(cacheName);
    int length = "blake2b".equals(hashing.hashAlgorithm()) ? 64 : 32;
    boolean shards = "shards".equals(hashing.method());
    long count = !shards ? 1 : size == 0 ? 0 : (size - 1) / hashing.shardSize() + 1;
    if (all == null || all.length != count * length) {
      return null;
    }
    List<String> names = entryNames(name, size, hashing);
    List<ModelManifest.Entry> entries = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      entries.add(new ModelManifest.Entry(names.get(i), resourceAlgorithm(hashing),
          Arrays.copyOfRange(all, i * length, (i + 1) * length)));
    }
    return entries;
  }

  /** The names core gives the entries of the file {@code name} of {@code size} bytes: itself, or one per shard. */
  private static List<String> entryNames(String name, long size, ModelHashing hashing) {
    if (!"shards".equals(hashing.method())) {
      return List.of(name);
    }
    List<String> names = new ArrayList<>();
    for (long s = 0; s < size; s += hashing.shardSize()) {
      names.add(name + ":" + s + ":" + Math.min(size, s + hashing.shardSize()));
    }
    return names;
  }

  /** The digests of the entries {@code names}, concatenated in that order; null if one is missing (not recorded). */
  private static byte[] concatenated(Map<String, ModelManifest.Entry> entries, List<String> names) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String n : names) {
      ModelManifest.Entry e = entries.get(n);
      if (e == null) {
        return null;
      }
      out.writeBytes(e.digest());
    }
    return out.toByteArray();
  }

  /** {@code "name: "} for a file of a directory, nothing for a single-file model. */
  private static String shown(OmsCopier.Item item) {
    return ".".equals(item.name()) ? "" : item.name() + ": ";
  }
}
