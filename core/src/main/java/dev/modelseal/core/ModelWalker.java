package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Enumerates the files of a model as the reference does (§7 of oms-format.md): every regular file
 * below the root, hidden ones included, minus ignored paths; directories leave no trace. Symbolic
 * links are refused unless allowed; when allowed, a link to a file is listed under the link's name
 * (and read through it), a link to a directory is skipped. Special files and dangling links are
 * refused. The result is in canonical order (component-wise code-point path order).
 */
final class ModelWalker {
  /** One file to hash: its model-relative name, the path to read (a link's own path) and its size. */
  record FileRef(String name, Path path, long size) {}

  private static final int MAX_DEPTH = 512;
  // A class, not a lambda: a cold JVM pays milliseconds for its first lambda.
  private static final Comparator<FileRef> CANONICAL_ORDER = new Comparator<>() {
    @Override
    public int compare(FileRef a, FileRef b) {
      return ModelManifest.comparePaths(a.name(), b.name());
    }
  };

  private final ModelHashing hashing;
  private final List<FileRef> out = new ArrayList<>();

  private ModelWalker(ModelHashing hashing) {
    this.hashing = hashing;
  }

  static List<FileRef> walk(Path model, ModelHashing hashing) throws IOException, VerificationException {
    BasicFileAttributes root;
    try {
      root = Files.readAttributes(model, BasicFileAttributes.class);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new java.nio.file.NoSuchFileException(model.toString(), null, "model path does not exist");
    }
    if (root.isRegularFile()) {
      return List.of(new FileRef(".", model, root.size()));
    }
    if (!root.isDirectory()) {
      throw new VerificationException(Reason.PATH_REFUSED,
          "cannot use " + model + " as a model: not a regular file or directory");
    }
    ModelWalker w = new ModelWalker(hashing);
    w.directory(model, "", 0);
    w.out.sort(CANONICAL_ORDER);
    return w.out;
  }

  private void directory(Path dir, String prefix, int depth) throws IOException, VerificationException {
    if (depth > MAX_DEPTH) {
      throw new VerificationException(Reason.PATH_REFUSED, "model is nested deeper than " + MAX_DEPTH
          + " directories: " + prefix);
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path c : ds) {
        children.add(c);
      }
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      String rel = prefix.isEmpty() ? name : prefix + "/" + name;
      if (hashing.isIgnored(rel)) {
        continue;
      }
      BasicFileAttributes a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        link(child, rel);
      } else if (a.isDirectory()) {
        directory(child, rel, depth + 1);
      } else if (a.isRegularFile()) {
        out.add(new FileRef(rel, child, a.size()));
      } else {
        throw new VerificationException(Reason.PATH_REFUSED,
            "cannot use " + rel + " in a model: not a regular file or directory");
      }
    }
  }

  private void link(Path child, String rel) throws IOException, VerificationException {
    if (!hashing.allowSymlinks()) {
      throw new VerificationException(Reason.PATH_REFUSED,
          "symbolic link " + rel + " refused: symbolic links are not allowed in this model");
    }
    BasicFileAttributes t;
    try {
      t = Files.readAttributes(child, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new VerificationException(Reason.PATH_REFUSED,
          "cannot use " + rel + " in a model: dangling or unreadable symbolic link");
    }
    if (t.isRegularFile()) {
      out.add(new FileRef(rel, child, t.size()));
    } else if (!t.isDirectory()) {
      throw new VerificationException(Reason.PATH_REFUSED,
          "cannot use " + rel + " in a model: the link target is not a regular file or directory");
    }
  }
}
