package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedFileSearchTest {
  private static final byte[] MODEL = "the genuine model".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path root;

  private Path signedFile(String name, byte[] bytes) throws Exception {
    Path file = Files.write(root.resolve(name), bytes);
    Files.writeString(root.resolve(name + ".sig"), "MAYCAQECAQE=");
    return file;
  }

  private List<Path> found(int maxEntries) throws Exception {
    List<Path> out = new ArrayList<>();
    SignedFileSearch.collect(root, MODEL, out, maxEntries);
    return out;
  }

  @Test
  void collect_signedFileWithTheSameBytes_found() throws Exception {
    Path genuine = signedFile("model.onnx", MODEL);
    assertEquals(List.of(genuine), found(100));
  }

  @Test
  void collect_signedFileOfTheSameLengthWithOtherBytes_notACandidate() throws Exception {
    byte[] other = MODEL.clone();
    other[other.length - 1] ^= 1;
    signedFile("junk.onnx", other);
    assertEquals(List.of(), found(100));
  }

  @Test
  void collect_unsignedFileWithTheSameBytes_notACandidate() throws Exception {
    Files.write(root.resolve("copy.onnx"), MODEL);
    assertEquals(List.of(), found(100));
  }

  @Test
  void collect_fileBesideModelSig_found() throws Exception {
    Path genuine = Files.write(root.resolve("model.onnx"), MODEL);
    Files.writeString(root.resolve("model.sig"), "MAYCAQECAQE=");
    assertEquals(List.of(genuine), found(100));
  }

  @Test
  void collect_moreEntriesThanTheBound_saysWhereItStopped() throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.writeString(root.resolve("junk-" + i), "x");
    }
    assertEquals("the search under " + root + " stopped at 3 entries",
        SignedFileSearch.collect(root, MODEL, new ArrayList<>(), 3));
  }

  @Test
  void collect_withinTheBound_reportsNoCut() throws Exception {
    signedFile("model.onnx", MODEL);
    assertNull(SignedFileSearch.collect(root, MODEL, new ArrayList<>(), 100));
  }
}
