package dev.modelseal.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** DJL model archives made in code: a .zip or a .tar.gz (POSIX ustar) holding one {@code model.onnx}. */
final class Archives {
  private Archives() {}

  /** Writes {@code archive}, a .zip or .tar.gz (by its name) holding {@code model.onnx} with the given bytes. */
  static Path write(Path archive, byte[] onnx) throws IOException {
    String name = archive.getFileName().toString();
    Files.createDirectories(archive.getParent());
    try (OutputStream out = Files.newOutputStream(archive)) {
      if (name.endsWith(".zip")) {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
          zip.putNextEntry(new ZipEntry("model.onnx"));
          zip.write(onnx);
          zip.closeEntry();
        }
      } else {
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
          gz.write(tarHeader("model.onnx", onnx.length));
          gz.write(onnx);
          gz.write(new byte[(512 - onnx.length % 512) % 512 + 1024]); // padding, then the two end blocks
        }
      }
    }
    return archive;
  }

  /** A POSIX ustar header for a regular file (mode 0644), with its checksum. */
  private static byte[] tarHeader(String name, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "00000000000");
    put(h, 148, "        ");
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int at, String ascii) {
    byte[] b = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
