package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Extracts a DJL model archive ({@code .zip}, {@code .tar}, {@code .tgz}, {@code .tar.gz}: the names DJL's
 * {@code FilenameUtils.isArchiveFile} treats as archives) that the gate has already verified and pinned, into a
 * new owner-only pin folder, so that DJL loads the extracted directory in place and never extracts into, or
 * reads from, its own cache (where a folder that already exists is trusted as is). Only regular files and
 * directories are extracted; an entry that is absolute, climbs out with {@code ..}, repeats a name, or is a
 * link or special file refuses the archive.
 */
final class ArchiveExtractor {
  private static final int TAR_BLOCK = 512;

  private ArchiveExtractor() {}

  /** True for the file names DJL extracts into its cache instead of using in place. */
  static boolean isArchive(Path path) {
    Path name = path.getFileName();
    return name != null && !kind(name.toString()).isEmpty();
  }

  private static String kind(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".zip") || n.endsWith(".mar")) {
      return "zip";
    }
    if (n.endsWith(".tgz") || n.endsWith(".tar.gz") || n.endsWith(".tar.z")) {
      return "tgz";
    }
    return n.endsWith(".tar") ? "tar" : "";
  }

  /** The directory name DJL gives an archive's model ({@code FilenameUtils.getNamePart}): model.zip → model. */
  static String namePart(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    int cut = n.endsWith(".tar.gz") ? 7 : n.endsWith(".tar.z") ? 6 : 4;
    return fileName.substring(0, fileName.length() - cut);
  }

  /** Extracts {@code archive} (a pinned copy) into {@code folder/<name part>} and returns that directory. */
  static Path extract(Path archive, Path folder) throws IOException, Rejection {
    String name = archive.getFileName().toString();
    Path dir = Files.createDirectory(folder.resolve(namePart(name)));
    String kind = kind(name);
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      if (kind.equals("zip")) {
        unzip(file, dir);
      } else {
        untar(kind.equals("tgz") ? new GZIPInputStream(file, 1 << 16) : file, dir);
      }
    }
    return dir;
  }

  private static void unzip(InputStream in, Path dir) throws IOException, Rejection {
    ZipInputStream zip = new ZipInputStream(in);
    Set<String> seen = new HashSet<>();
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      write(dir, e.getName(), e.isDirectory(), zip, seen);
    }
  }

  private static void untar(InputStream in, Path dir) throws IOException, Rejection {
    Set<String> seen = new HashSet<>();
    byte[] header = new byte[TAR_BLOCK];
    String longName = null;
    while (in.readNBytes(header, 0, TAR_BLOCK) == TAR_BLOCK && !allZero(header)) {
      char type = (char) header[156];
      String name = longName != null ? longName : prefixed(field(header, 345, 155), field(header, 0, 100));
      long size = octal(name, field(header, 124, 12).trim());
      longName = null;
      InputStream body = new Bounded(in, size);
      if (type == 'L') {
        longName = field(body.readAllBytes(), 0, (int) size);
      } else if (type == 'x') {
        longName = paxPath(new String(body.readAllBytes(), StandardCharsets.UTF_8));
      } else if (type == 'g') {
        body.readAllBytes();
      } else if (type == '0' || type == '\0' || type == '5') {
        write(dir, name, type == '5', body, seen);
        body.readAllBytes();
      } else {
        throw refused(name, "is a link or special file (tar type " + type + ")");
      }
      in.skipNBytes((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
    }
  }

  private static void write(Path dir, String name, boolean isDirectory, InputStream body, Set<String> seen)
      throws IOException, Rejection {
    String clean = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    if (clean.startsWith("./")) {
      clean = clean.substring(2);
    }
    if (clean.isEmpty() || clean.equals(".")) {
      return;
    }
    if (clean.startsWith("/") || clean.contains("\\") || clean.contains("\0")
        || ("/" + clean + "/").contains("/../") || ("/" + clean + "/").contains("/./")) {
      throw refused(name, "is not a plain relative name");
    }
    if (!seen.add(clean)) {
      throw refused(name, "appears twice");
    }
    Path target = dir.resolve(clean);
    if (isDirectory) {
      Files.createDirectories(target);
    } else {
      Files.createDirectories(target.getParent());
      Files.copy(body, target);
    }
  }

  private static Rejection refused(String entry, String why) {
    return new Rejection(RejectReason.UNSUPPORTED_SOURCE, "archive entry " + entry + " " + why);
  }

  /** A tar size field: octal digits only (the base-256 form for sizes of 8 GiB and more is refused). */
  private static long octal(String entry, String digits) throws Rejection {
    if (digits.isEmpty()) {
      return 0;
    }
    if (digits.length() > 11 || !digits.matches("[0-7]+")) {
      throw refused(entry, "has an unreadable size field");
    }
    return Long.parseLong(digits, 8);
  }

  private static String prefixed(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String paxPath(String records) {
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 6);
      }
    }
    return null;
  }

  private static String field(byte[] b, int from, int length) {
    int end = from;
    while (end < from + length && end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, from, end - from, StandardCharsets.UTF_8);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** The next {@code size} bytes of a tar stream; never closes it. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("truncated tar entry");
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new java.io.EOFException("truncated tar entry");
      }
      left -= n;
      return n;
    }
  }
}
