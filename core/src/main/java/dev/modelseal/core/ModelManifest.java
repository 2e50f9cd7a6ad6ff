package dev.modelseal.core;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The manifest of a model: one {@link Entry} per file ({@code files}) or per shard ({@code shards}),
 * and the root digest, SHA-256 over the concatenated raw digests in listed order (OMS v1.0 subject
 * digest). Computed manifests are in canonical order: paths compared component by component by
 * Unicode code point, shard offsets numerically. Manifests read from a signature keep the signed
 * order. Instances are immutable and thread-safe.
 */
public final class ModelManifest {
  private final List<Entry> entries;
  private final byte[] rootDigest;

  ModelManifest(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    MessageDigest md = ManifestSha.sha256();
    for (Entry e : this.entries) {
      md.update(e.digest);
    }
    this.rootDigest = md.digest();
  }

  /**
   * Hashes a model: a directory (resources named by their POSIX path relative to it) or a single
   * regular file (one resource named {@code "."}), on {@code hashing.threads()} workers.
   *
   * @param model the model directory or file
   * @param hashing how to hash
   * @param progress told of bytes hashed so far, from the worker threads
   * @throws IOException if a file cannot be read or changes size while it is hashed
   * @throws VerificationException {@code PATH_REFUSED} for special files, dangling links, and links
   *     when {@code hashing.allowSymlinks()} is false
   */
  public static ModelManifest compute(Path model, ModelHashing hashing, ProgressListener progress)
      throws IOException, VerificationException {
    return compute(model, hashing, progress, new AtomicBoolean());
  }

  /**
   * As {@link #compute(Path, ModelHashing, ProgressListener)}, for a model whose files are still being
   * written (at their final sizes already): every read waits until {@code written} says its bytes are
   * there, so the files are hashed in parallel (per shard, for {@code shards}) while they are written, and
   * each byte hashed is read after it was written.
   *
   * @throws IOException also if a file's writing ends before its size
   */
  public static ModelManifest compute(Path model, ModelHashing hashing, ProgressListener progress,
      WrittenBytes written) throws IOException, VerificationException {
    Objects.requireNonNull(written, "written");
    return compute(model, hashing, progress, new AtomicBoolean(), written);
  }

  /**
   * One file of a model that the caller has chosen and opened already: its model-relative POSIX
   * name ({@code "."} for a single-file model), the path to read it through (for a file the caller holds
   * open, its {@code /proc/self/fd/N}, which reopens that very inode) and its size as the caller saw it.
   */
  public record OpenedFile(String name, Path path, long size) {
    /** All fields are required; the size is not negative. */
    public OpenedFile {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      if (size < 0) {
        throw new IllegalArgumentException("negative size " + size);
      }
    }
  }

  /**
   * Hashes exactly {@code files} (no walk: names, read paths and sizes are the caller's), in canonical order,
   * on {@code hashing.threads()} workers, per shard for {@code shards}, as
   * {@link #compute(Path, ModelHashing, ProgressListener)} hashes the files its walk finds. Ignored paths
   * and links are the caller's business: every file given is hashed.
   *
   * @throws IOException if a file cannot be read, or is not {@code size} bytes long when it is read
   */
  public static ModelManifest computeOpened(List<OpenedFile> files, ModelHashing hashing, ProgressListener progress)
      throws IOException {
    Objects.requireNonNull(hashing, "hashing");
    Objects.requireNonNull(progress, "progress");
    List<ModelWalker.FileRef> refs = new java.util.ArrayList<>(files.size());
    for (OpenedFile f : files) {
      refs.add(new ModelWalker.FileRef(f.name(), f.path(), f.size()));
    }
    refs.sort(new java.util.Comparator<ModelWalker.FileRef>() {
      @Override
      public int compare(ModelWalker.FileRef a, ModelWalker.FileRef b) {
        return comparePaths(a.name(), b.name());
      }
    });
    return new ModelManifest(ManifestHasher.hash(refs, hashing, progress, new AtomicBoolean()));
  }

  /**
   * A manifest of {@code entries}, in the given order: for a caller that hashed some files itself
   * ({@link #computeOpened}) and took the digests of others from a record of an earlier hash (the agent's
   * verified-result cache), to {@link SignedModel#check} them together. Its root digest follows the given order.
   */
  public static ModelManifest of(List<Entry> entries) {
    return new ModelManifest(Objects.requireNonNull(entries, "entries"));
  }

  /**
   * As {@link #compute(Path, ModelHashing, ProgressListener)}; setting {@code cancel} stops every
   * worker within one buffer, and the call then throws {@link java.io.InterruptedIOException}.
   */
  static ModelManifest compute(Path model, ModelHashing hashing, ProgressListener progress, AtomicBoolean cancel)
      throws IOException, VerificationException {
    return compute(model, hashing, progress, cancel, null);
  }

  private static ModelManifest compute(Path model, ModelHashing hashing, ProgressListener progress,
      AtomicBoolean cancel, WrittenBytes written) throws IOException, VerificationException {
    Objects.requireNonNull(hashing, "hashing");
    Objects.requireNonNull(progress, "progress");
    List<ModelWalker.FileRef> files = ModelWalker.walk(Objects.requireNonNull(model, "model"), hashing);
    return new ModelManifest(ManifestHasher.hash(files, hashing, progress, cancel, written));
  }

  /** Returns the entries in listed order. */
  public List<Entry> entries() {
    return entries;
  }

  /** Returns the 32-byte root digest. */
  public byte[] rootDigest() {
    return rootDigest.clone();
  }

  /** Returns the root digest as 64 lower-case hex characters. */
  public String rootDigestHex() {
    return HexFormat.of().formatHex(rootDigest);
  }

  @Override
  public String toString() {
    return "ModelManifest[" + entries.size() + " entries, root " + rootDigestHex() + "]";
  }

  /**
   * Compares two model-relative POSIX paths component by component, each by Unicode code point; a
   * proper prefix sorts first. This is the reference's {@code PurePosixPath} order.
   */
  static int comparePaths(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = compareCodePoints(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * One resource: {@code name} is a POSIX path ({@code "a/b"}, or {@code "."} for a single-file model),
   * with {@code ":<start>:<end>"} appended for shards; {@code algorithm} is {@code sha256},
   * {@code blake2b} or {@code <hash>-sharded-<N>}; {@code digest} is the raw digest (copied in and out).
   */
  public record Entry(String name, String algorithm, byte[] digest) {
    /** Copies the digest; all fields are required. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(algorithm, "algorithm");
      digest = Objects.requireNonNull(digest, "digest").clone();
    }

    /** Returns a copy of the raw digest. */
    @Override
    public byte[] digest() {
      return digest.clone();
    }

    /** Returns the digest as lower-case hex. */
    public String digestHex() {
      return HexFormat.of().formatHex(digest);
    }

    boolean sameDigest(Entry other) {
      return MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && name.equals(e.name) && algorithm.equals(e.algorithm)
          && Arrays.equals(digest, e.digest);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, algorithm, Arrays.hashCode(digest));
    }

    @Override
    public String toString() {
      return name + ":" + algorithm + ":" + digestHex();
    }
  }

  /** SHA-256 helper. */
  static final class ManifestSha {
    private ManifestSha() {}

    static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }
  }
}
