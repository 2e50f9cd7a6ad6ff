package dev.modelseal.it.apps;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code SealedRead API PATH...}: reads each PATH with one named Java read API and prints, per path,
 * {@code read PATH sha256:<hex of what was read>} or {@code rejected: <message>} (a {@code SecurityException})
 * or {@code error: <class>: <message>}. APIs: {@code fis}, {@code fis-file}, {@code raf}, {@code new-input-stream},
 * {@code new-byte-channel}, {@code read-all-bytes}, {@code read-string}, {@code lines} (ISO-8859-1, lines joined
 * by {@code \n}), {@code file-channel}, {@code map}, {@code async}.
 */
public final class SealedRead {
  private SealedRead() {}

  public static void main(String[] args) {
    for (int i = 1; i < args.length; i++) {
      try {
        System.out.println("read " + args[i] + " " + digest(args[0], Path.of(args[i])));
      } catch (SecurityException e) {
        System.out.println("rejected: " + e.getMessage());
      } catch (Exception e) {
        System.out.println("error: " + e.getClass().getName() + ": " + e.getMessage());
      }
    }
  }

  /** What {@code api} reads from {@code file}, as {@code sha256:<hex>}; the tests compute expectations with it. */
  public static String digest(String api, Path file) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(read(api, file)));
  }

  private static byte[] read(String api, Path file) throws Exception {
    switch (api) {
      case "fis":
        try (InputStream in = new FileInputStream(file.toString())) {
          return in.readAllBytes();
        }
      case "fis-file":
        try (InputStream in = new FileInputStream(new File(file.toString()))) {
          return in.readAllBytes();
        }
      case "raf":
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
          byte[] b = new byte[(int) raf.length()];
          raf.readFully(b);
          return b;
        }
      case "new-input-stream":
        try (InputStream in = Files.newInputStream(file)) {
          return in.readAllBytes();
        }
      case "new-byte-channel":
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
          return Channels.newInputStream(ch).readAllBytes();
        }
      case "read-all-bytes":
        return Files.readAllBytes(file);
      case "read-string":
        return Files.readString(file, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
      case "lines":
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
          return lines.collect(Collectors.joining("\n")).getBytes(StandardCharsets.ISO_8859_1);
        }
      case "file-channel":
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
          return Channels.newInputStream(ch).readAllBytes();
        }
      case "map":
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
          MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
          byte[] b = new byte[m.remaining()];
          m.get(b);
          return b;
        }
      case "async":
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, StandardOpenOption.READ)) {
          ByteBuffer b = ByteBuffer.allocate((int) ch.size());
          while (b.hasRemaining() && ch.read(b, b.position()).get() > 0) {
            // until full
          }
          return b.array();
        }
      default:
        throw new IllegalArgumentException("unknown API " + api);
    }
  }
}
