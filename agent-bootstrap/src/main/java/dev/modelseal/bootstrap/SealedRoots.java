package dev.modelseal.bootstrap;

/**
 * The frozen model roots of sealed reads and the bridge's prefix test: which path strings a hooked JDK
 * read hands to the agent. Pure string operations on the JDK's own types, so that the test runs inside
 * {@code FileInputStream}, {@code RandomAccessFile} and the NIO provider without opening a file, loading
 * an agent class or recursing into itself.
 *
 * <p>A path is made absolute against the working directory frozen at start-up (the JDK resolves
 * relative paths against the {@code user.dir} it read at start-up too) and normalised lexically
 * ({@code //}, {@code .} and {@code ..} removed) before it is compared, component-wise, with each root.
 * Symbolic links are not resolved here: a path that reaches a root through a link outside every root
 * is not covered (the agent configures each root both as given and as its real path).
 */
public final class SealedRoots {
  /** Normalised absolute roots, without a trailing slash; the file system root is the empty string. */
  private final String[] roots;
  private final String userDir;
  /** Exact normalised paths never handed to the agent (its own jar). */
  private final String[] passThrough;

  /**
   * Freezes the roots.
   *
   * @param roots absolute root paths; relative or empty entries are ignored
   * @param userDir the absolute working directory relative paths are resolved against
   * @param passThrough absolute paths that are never checked, even under a root
   */
  public SealedRoots(String[] roots, String userDir, String[] passThrough) {
    this.userDir = normalize(userDir);
    String[] kept = new String[roots.length];
    int n = 0;
    for (String r : roots) {
      if (r != null && r.startsWith("/")) {
        String root = normalize(r);
        kept[n++] = root.equals("/") ? "" : root;
      }
    }
    this.roots = new String[n];
    System.arraycopy(kept, 0, this.roots, 0, n);
    this.passThrough = new String[passThrough.length];
    for (int i = 0; i < passThrough.length; i++) {
      this.passThrough[i] = normalize(passThrough[i]);
    }
  }

  /** Returns true if no root is configured (then nothing is ever checked). */
  public boolean isEmpty() {
    return roots.length == 0;
  }

  /**
   * Returns the absolute, normalised form of {@code path} if it lies under a root (or is one), else
   * null. An empty or null path is never under a root (the JDK refuses it itself).
   */
  public String underRoot(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    String abs = normalize(path.charAt(0) == '/' ? path : userDir + "/" + path);
    for (String root : roots) {
      if (abs.startsWith(root) && (abs.length() == root.length() || abs.charAt(root.length()) == '/')) {
        for (String p : passThrough) {
          if (abs.equals(p)) {
            return null;
          }
        }
        return abs;
      }
    }
    return null;
  }

  /**
   * Normalises an absolute path lexically: repeated slashes, {@code .} and a trailing slash go,
   * {@code ..} removes the component before it ({@code /..} is {@code /}). Returns the same string,
   * without allocating, when it is already normal (the common case).
   */
  static String normalize(String abs) {
    if (isNormal(abs)) {
      return abs;
    }
    String[] parts = new String[abs.length()];
    int depth = 0;
    int i = 0;
    int n = abs.length();
    while (i < n) {
      int end = abs.indexOf('/', i);
      if (end < 0) {
        end = n;
      }
      String part = abs.substring(i, end);
      if (part.equals("..")) {
        depth = depth > 0 ? depth - 1 : 0;
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts[depth++] = part;
      }
      i = end + 1;
    }
    if (depth == 0) {
      return "/";
    }
    StringBuilder b = new StringBuilder(abs.length());
    for (int k = 0; k < depth; k++) {
      b.append('/').append(parts[k]);
    }
    return b.toString();
  }

  private static boolean isNormal(String p) {
    int n = p.length();
    if (n == 0 || p.charAt(0) != '/' || (n > 1 && p.charAt(n - 1) == '/')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (p.charAt(i) != '/' || i + 1 >= n) {
        continue;
      }
      char c = p.charAt(i + 1);
      if (c == '/') {
        return false;
      }
      if (c == '.') {
        int k = i + 2;
        if (k == n || p.charAt(k) == '/' || (p.charAt(k) == '.' && (k + 1 == n || p.charAt(k + 1) == '/'))) {
          return false;
        }
      }
    }
    return true;
  }
}
