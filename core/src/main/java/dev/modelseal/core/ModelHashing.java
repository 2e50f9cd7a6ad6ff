package dev.modelseal.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a model directory is turned into a manifest, as recorded in an OpenSSF Model Signing (OMS v1.0)
 * statement's {@code serialization}: method ({@code files} or {@code shards}), content hash
 * ({@code sha256} or {@code blake2b}), shard size, symlink policy and ignored paths; plus the number
 * of worker threads, which never changes the result.
 *
 * <p>Ignore paths are relative POSIX paths, matched lexically against model-relative paths: a path is
 * skipped when it equals an ignore path or lies below it (no globs). A {@code \} in an ignore path is
 * read as a separator, because bundles signed on Windows record host separators (resource names, in
 * contrast, are matched literally). The git defaults {@code .git .gitattributes .github .gitignore}
 * apply at the top level only, when {@link Builder#ignoreGitPaths(boolean)} is on.
 *
 * <p>Instances are immutable and thread-safe. {@link Builder#build()} refuses invalid settings with
 * {@link IllegalArgumentException}.
 */
public final class ModelHashing {
  /** The reference implementation's default shard size: 1,000,000,000 bytes. */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;
  /** The ignore paths added by {@link Builder#ignoreGitPaths(boolean)}. */
  public static final List<String> GIT_PATHS = List.of(".git", ".gitattributes", ".github", ".gitignore");

  private final String method;
  private final String hashAlgorithm;
  private final long shardSize;
  private final List<String> ignorePaths;
  private final boolean ignoreGitPaths;
  private final List<String> effectiveIgnorePaths;
  private final boolean allowSymlinks;
  private final int threads;

  private ModelHashing(Builder b) {
    this.method = b.method;
    this.hashAlgorithm = b.hashAlgorithm;
    this.shardSize = b.shardSize;
    this.ignorePaths = List.copyOf(b.ignorePaths);
    this.ignoreGitPaths = b.ignoreGitPaths;
    Set<String> all = new TreeSet<>(ignorePaths);
    if (ignoreGitPaths) {
      all.addAll(GIT_PATHS);
    }
    this.effectiveIgnorePaths = List.copyOf(all);
    this.allowSymlinks = b.allowSymlinks;
    this.threads = b.threads;
  }

  /** Starts a {@code files} configuration: one resource per regular file. */
  public static Builder files() {
    return new Builder("files", 0);
  }

  /**
   * Starts a {@code shards} configuration: one resource per {@code shardSize}-byte slice of each
   * non-empty file.
   *
   * @throws IllegalArgumentException if {@code shardSize < 1}
   */
  public static Builder shards(long shardSize) {
    if (shardSize < 1) {
      throw new IllegalArgumentException("shard size must be at least 1 byte, got " + shardSize);
    }
    return new Builder("shards", shardSize);
  }

  /** Returns {@code "files"} or {@code "shards"}. */
  public String method() {
    return method;
  }

  /** Returns {@code "sha256"} or {@code "blake2b"}. */
  public String hashAlgorithm() {
    return hashAlgorithm;
  }

  /** Returns the shard size in bytes, or 0 for {@code files}. */
  public long shardSize() {
    return shardSize;
  }

  /** Returns the caller's ignore paths, normalised, without the git defaults. */
  public List<String> ignorePaths() {
    return ignorePaths;
  }

  /** Returns true if the top-level git paths are ignored. */
  public boolean ignoreGitPaths() {
    return ignoreGitPaths;
  }

  /** Returns true if symbolic links are hashed (with their target's content) rather than refused. */
  public boolean allowSymlinks() {
    return allowSymlinks;
  }

  /** Returns the number of worker threads. */
  public int threads() {
    return threads;
  }

  /** Returns the resource algorithm name: the hash name, or {@code <hash>-sharded-<N>} for shards. */
  String resourceAlgorithm() {
    return "shards".equals(method) ? hashAlgorithm + "-sharded-" + shardSize : hashAlgorithm;
  }

  /** Returns the ignore paths in effect (caller's plus git defaults), sorted, without duplicates. */
  List<String> effectiveIgnorePaths() {
    return effectiveIgnorePaths;
  }

  /** Returns true if the model-relative POSIX path is ignored. */
  boolean isIgnored(String relative) {
    for (String p : effectiveIgnorePaths) {
      if (relative.equals(p) || relative.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Returns a builder preset to this configuration. */
  Builder toBuilder() {
    Builder b = new Builder(method, shardSize);
    b.hashAlgorithm = hashAlgorithm;
    b.ignorePaths.addAll(ignorePaths);
    b.ignoreGitPaths = ignoreGitPaths;
    b.allowSymlinks = allowSymlinks;
    b.threads = threads;
    return b;
  }

  /**
   * Normalises one ignore path: {@code \} and {@code /} separate, {@code .} and empty components are
   * dropped. Returns null for a path that would escape the root or is the root itself.
   */
  static String normaliseIgnorePath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.startsWith("\\") || path.indexOf('\0') >= 0
        || (path.length() >= 2 && path.charAt(1) == ':')) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String c : path.replace('\\', '/').split("/")) {
      if (c.equals("..")) {
        return null;
      }
      if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /** Builds a {@link ModelHashing}; every setter validates its argument. */
  public static final class Builder {
    private final String method;
    private final long shardSize;
    private String hashAlgorithm = "sha256";
    private final Set<String> ignorePaths = new LinkedHashSet<>();
    private boolean ignoreGitPaths = true;
    private boolean allowSymlinks;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder(String method, long shardSize) {
      this.method = method;
      this.shardSize = shardSize;
    }

    /**
     * Sets the content hash: {@code "sha256"} (default) or {@code "blake2b"} (BLAKE2b-512, unkeyed).
     *
     * @throws IllegalArgumentException for any other name
     */
    public Builder hashAlgorithm(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.equals("sha256") && !name.equals("blake2b")) {
        throw new IllegalArgumentException(
            "unsupported model hash algorithm " + name + " (supported: sha256, blake2b)");
      }
      this.hashAlgorithm = name;
      return this;
    }

    /**
     * Adds paths to ignore, relative to the model root (POSIX {@code /}, or {@code \}).
     *
     * @throws IllegalArgumentException for an absolute path, a path with {@code ..}, or the root itself
     */
    public Builder ignorePaths(List<String> relativePosixPaths) {
      for (String p : relativePosixPaths) {
        String n = normaliseIgnorePath(Objects.requireNonNull(p, "ignore path"));
        if (n == null) {
          throw new IllegalArgumentException(
              "ignore path must be relative to the model root, inside it, and not the root: " + p);
        }
        ignorePaths.add(n);
      }
      return this;
    }

    /** Ignores {@code .git .gitattributes .github .gitignore} at the top level (default true). */
    public Builder ignoreGitPaths(boolean ignore) {
      this.ignoreGitPaths = ignore;
      return this;
    }

    /**
     * Allows symbolic links (default false: any link that is not ignored is refused). When allowed, a
     * link to a file is hashed with its target's content under the link's name, wherever the target
     * is (reference behaviour); a link to a directory is not descended and leaves no entry.
     */
    public Builder allowSymlinks(boolean allow) {
      this.allowSymlinks = allow;
      return this;
    }

    /**
     * Sets the number of hashing threads (default: available processors).
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 1024}
     */
    public Builder threads(int n) {
      if (n < 1 || n > 1024) {
        throw new IllegalArgumentException("threads must be between 1 and 1024, got " + n);
      }
      this.threads = n;
      return this;
    }

    /** Builds the immutable configuration. */
    public ModelHashing build() {
      return new ModelHashing(this);
    }
  }

  @Override
  public String toString() {
    return "ModelHashing[" + method + ", " + hashAlgorithm + (shardSize > 0 ? ", shard " + shardSize : "")
        + ", symlinks " + allowSymlinks + ", ignore " + effectiveIgnorePaths + "]";
  }
}
