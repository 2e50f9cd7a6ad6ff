package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a model location, a single file or a whole directory, and returns its pinned copy: it decides which
 * signature speaks for the location, requires the format its rule accepts ({@link AgentSettings#formatFor}), and
 * hands the check to {@link OmsPinner} (OpenSSF model signatures) or {@link ModelChecker} (cosign signatures), both
 * of which apply the {@link KeyRule}. The first that applies, in this order, speaks for it:
 *
 * <ol>
 *   <li>a directory whose {@code model.sig} is an OpenSSF model signature: that signature, over the directory;
 *   <li>a file {@code X} with {@code X.sigstore.json}: that bundle, an OpenSSF model signature of {@code X} or a
 *       cosign bundle (one that does not parse is refused, naming its precedence over an {@code X.sig} beside it);
 *   <li>a file {@code X} without {@code X.sig} under a directory (at most {@value #MAX_ANCESTORS} levels up) whose
 *       {@code model.sig} is an OpenSSF model signature: that signature, over its whole directory, which must list
 *       {@code X}; a {@code model.sig} beside {@code X} that is not one ends the search (it speaks as in 4);
 *   <li>a file {@code X}: its cosign signature {@code X.sig}, else a cosign {@code model.sig} beside it
 *       ({@link Sidecars#find}; a {@code model.sig} that is neither format is {@code MALFORMED_SIGNATURE});
 *   <li>a directory without an OpenSSF {@code model.sig}: each regular file in it, signed as in 4 (signature
 *       sidecars and {@code model.sig} are not model files).
 * </ol>
 *
 * <p>Failures ({@link Rejection}): {@code UNSIGNED} when no signature speaks for a file, or its format is not the
 * one its location accepts; {@code PATH_REFUSED} for a location that is neither a regular file nor a directory, and
 * for links and special files inside a directory (the location itself may be a link, resolved once by the caller);
 * {@code TOO_LARGE} for a directory of more than {@value #MAX_ENTRIES} entries, before any file is verified; and
 * whatever the signature checks refuse. A refused location leaves no pinned copy. The pinned copy keeps the
 * original file and directory names, because runtimes find files by name.
 */
final class LocationVerifier {
  private static final int MAX_ANCESTORS = 4;

  private final AgentSettings settings;
  private final ModelChecker checker;
  private final OmsPinner oms;

  LocationVerifier(AgentSettings settings, ModelChecker checker, OmsPinner oms) {
    this.settings = settings;
    this.checker = checker;
    this.oms = oms;
  }

  private void require(PathRule.Format found, Path real) throws Rejection {
    PathRule.Format wanted = settings.formatFor(real);
    if (wanted != PathRule.Format.ANY && wanted != found) {
      throw wanted.refusal();
    }
  }

  /**
   * Verifies and pins a model location.
   *
   * @param real the location's real path ({@link Path#toRealPath()}), which the caller resolved once
   */
  Verdict verifyAndPin(Path real) throws Rejection, IOException {
    return verifyAndPin(real, false);
  }

  /**
   * {@link #verifyAndPin(Path)}; {@code forSession}: the location is for an ONNX Runtime session (its model file, or
   * a DJL model directory), so a large {@code .onnx} file signed with a cosign signature may wait for its session
   * instead of being copied ({@link OnnxMemoryPins}; the verdict of such a file alone has pin {@code memory}, no key
   * id and no digest).
   */
  Verdict verifyAndPin(Path real, boolean forSession) throws Rejection, IOException {
    Path folder = checker.pinner().newPinFolder();
    boolean pinned = false;
    try {
      Verdict v = verifyAndPin(real, folder, forSession);
      pinned = true;
      return v;
    } catch (NoRoomForCopy e) {
      throw new Rejection(RejectReason.TOO_LARGE, e.getMessage());
    } finally {
      if (!pinned) {
        checker.pinner().discard(folder); // a refused load leaves no copy behind
      }
    }
  }

  /**
   * Sealed reads ({@link SealedReads}): verifies and pins one file (its real path). A file without a signature
   * of its own in a directory signed with an OpenSSF {@code model.sig} is checked against that manifest alone,
   * and only it is copied ({@link OmsListedFile}); anything else as {@link #verifyAndPin(Path)}. Tokenizer files
   * are verified this way too ({@link TokenizerGate}).
   */
  Verdict verifyAndPinFile(Path real) throws Rejection, IOException {
    FolderSignature enclosing = Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(real.resolveSibling(real.getFileName() + Sidecars.BUNDLE_SUFFIX), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(real.resolveSibling(real.getFileName() + Sidecars.SIG_SUFFIX), LinkOption.NOFOLLOW_LINKS)
        ? enclosingModelSignature(real) : null;
    if (enclosing == null) {
      return verifyAndPin(real);
    }
    require(PathRule.Format.MODEL_SIGNING, real);
    Path folder = checker.pinner().newPinFolder();
    boolean pinned = false;
    try {
      Verdict v = new OmsListedFile(checker.pinner(), oms).verify(enclosing.dir, enclosing.content, real,
          folder.resolve(real.getFileName().toString()));
      pinned = true;
      return v;
    } catch (NoRoomForCopy e) {
      throw new Rejection(RejectReason.TOO_LARGE, e.getMessage());
    } finally {
      if (!pinned) {
        checker.pinner().discard(folder);
      }
    }
  }

  private Verdict verifyAndPin(Path real, Path folder, boolean forSession) throws Rejection, IOException {
    Path target = folder.resolve(real.getFileName() == null ? "model" : real.getFileName().toString());
    boolean directory = Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS);
    FolderSignature top = directory ? FolderSignature.read(real) : null;
    if (top != null && top.modelSigning) {
      require(PathRule.Format.MODEL_SIGNING, real);
      return oms.verifyDirectory(real, top.content, target);
    }
    if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      Path bundle = real.resolveSibling(real.getFileName() + Sidecars.BUNDLE_SUFFIX);
      // The bundle is read once: a blob signature is checked from the same bytes that were looked at.
      byte[] content = null;
      if (Files.isRegularFile(bundle, LinkOption.NOFOLLOW_LINKS)) {
        content = OmsPinner.readSignature(bundle);
        if (OmsPinner.isModelSignature(content)) {
          require(PathRule.Format.MODEL_SIGNING, real);
          return oms.verifyFile(real, content, target);
        }
      } else if (!Files.exists(real.resolveSibling(real.getFileName() + Sidecars.SIG_SUFFIX),
          LinkOption.NOFOLLOW_LINKS)) {
        FolderSignature enclosing = enclosingModelSignature(real);
        if (enclosing != null) {
          Path signedDir = enclosing.dir;
          require(PathRule.Format.MODEL_SIGNING, real);
          Verdict dir = oms.verifyDirectory(signedDir, enclosing.content,
              folder.resolve(signedDir.getFileName().toString()));
          Path pinnedFile = dir.pinned().resolve(signedDir.relativize(real).toString());
          // A copy, a clone, or an in-place link to the file's own open descriptor (OmsInPlace).
          if (!Files.isRegularFile(pinnedFile, LinkOption.NOFOLLOW_LINKS)
              && !checker.pinner().isInPlacePin(pinnedFile)) {
            throw new Rejection(RejectReason.UNSIGNED, real.getFileName() + " is not covered by "
                + signedDir.resolve(OmsPinner.SIGNATURE));
          }
          return new Verdict(pinnedFile, dir.digest(), dir.keyId(), dir.detail(), dir.pin(), dir.pinNote());
        }
      }
      require(PathRule.Format.COSIGN, real);
      Map<String, byte[]> digests = new LinkedHashMap<>();
      String shownName = real.getFileName().toString();
      ModelChecker.Checked c = content != null
          ? checker.verifyAndPin(real, Sidecars.bundle(real, content, shownName), target, shownName, digests,
              forSession)
          : checker.verifyAndPin(real, target, shownName, digests, forSession);
      // A file that waits for its session (no digests yet) is logged by the gate when it is loaded, not here.
      return new Verdict(target, sha256(digests), c.keyId(), "verified " + real, c.pin(), c.note());
    }
    if (!directory) {
      throw new Rejection(RejectReason.PATH_REFUSED, "not a regular file or directory");
    }
    require(PathRule.Format.COSIGN, real);
    List<Path> files = listModelFiles(real);
    if (files.isEmpty()) {
      throw new Rejection(RejectReason.UNSIGNED, "model directory has no files");
    }
    String keyId = null;
    String digest = null;
    long largest = -1;
    java.util.Set<String> pins = new java.util.TreeSet<>();
    List<String> waiting = new ArrayList<>();
    for (Path file : files) {
      Path rel = real.relativize(file);
      Map<String, byte[]> digests = new LinkedHashMap<>();
      ModelChecker.Checked c = checker.verifyAndPin(file, target.resolve(rel.toString()), rel.toString(), digests,
          forSession);
      pins.add(c.pin());
      if (c.keyId() == null && digests.isEmpty()) {
        waiting.add(rel.toString()); // waits for its ONNX Runtime session (OnnxMemoryPins)
        continue;
      }
      keyId = keyId == null ? c.keyId() : keyId;
      long size = Files.size(file);
      if (size > largest) {
        largest = size;
        digest = sha256(digests);
      }
    }
    Files.createDirectories(target);
    String detail = "verified " + (files.size() - waiting.size()) + " files in " + real;
    if (!waiting.isEmpty()) {
      detail += "; verified when ONNX Runtime loads it, from memory: " + String.join(", ", waiting);
    }
    return new Verdict(target, digest, keyId, detail, String.join("+", pins), null);
  }

  /**
   * The {@code model.sig} of the nearest directory above {@code file} (a few levels at most) that is
   * an OpenSSF model signature; null if there is none, or if the {@code model.sig} beside the file is a
   * cosign signature (or neither), which then speaks for the file alone.
   */
  static FolderSignature enclosingModelSignature(Path file) throws Rejection, IOException {
    Path dir = file.getParent();
    for (int i = 0; dir != null && i < MAX_ANCESTORS; i++, dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FolderSignature.NAME), LinkOption.NOFOLLOW_LINKS)) {
        FolderSignature f = FolderSignature.read(dir);
        if (f.modelSigning) {
          return f;
        }
        if (i == 0) {
          return null;
        }
      }
    }
    return null;
  }

  /** A model directory with more entries than this is refused before any of them is verified. */
  static final int MAX_ENTRIES = 65_536;

  /** The refusal of a directory over {@link #MAX_ENTRIES}. */
  static Rejection tooManyEntries() {
    return new Rejection(RejectReason.TOO_LARGE, "model directory has more than " + MAX_ENTRIES + " entries");
  }

  private static List<Path> listModelFiles(Path dir) throws IOException, Rejection {
    List<Path> files = new ArrayList<>();
    Rejection[] refused = {null};
    int[] seen = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (++seen[0] > MAX_ENTRIES) {
          refused[0] = tooManyEntries();
          return FileVisitResult.TERMINATE;
        }
        String rel = dir.relativize(file).toString();
        if (attrs.isSymbolicLink()) {
          refused[0] = new Rejection(RejectReason.PATH_REFUSED, rel + ": symbolic links are not allowed in a model directory");
          return FileVisitResult.TERMINATE;
        }
        if (!attrs.isRegularFile()) {
          refused[0] = new Rejection(RejectReason.PATH_REFUSED, rel + ": not a regular file");
          return FileVisitResult.TERMINATE;
        }
        // model.sig is a signature (of a file beside it), never a model file itself.
        if (!Sidecars.isSidecar(file) && !file.getFileName().toString().equals(FolderSignature.NAME)) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (refused[0] != null) {
      throw refused[0];
    }
    files.sort(null);
    return files;
  }

  /** The decision line's digest: {@code sha256:<hex>} of the SHA-256 in {@code digests}, or null. */
  static String sha256(Map<String, byte[]> digests) {
    byte[] d = digests.get("SHA-256");
    return d == null ? null : "sha256:" + HexFormat.of().formatHex(d);
  }
}
