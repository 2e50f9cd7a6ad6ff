package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long verifications in the decision log ({@link VerifyProgress}): {@code verify-start} before, {@code verify-end}
 * after the decision line, with an injected threshold and clock so that the lines are exact.
 */
class VerifyProgressTest {
  private static final long THRESHOLD = 4096;

  @TempDir Path tmp;
  private SignedModels m;
  private ByteArrayOutputStream out;
  private DecisionLog log;

  /** 1 s at the first call, 3 s at the second: every verification "takes" 2 s. */
  private static VerifyProgress.Nanos twoSeconds() {
    return new VerifyProgress.Nanos() {
      private long now = -1_000_000_000L;

      @Override
      public long now() {
        now += 2_000_000_000L;
        return now;
      }
    };
  }

  @BeforeEach
  void setUp() throws Exception {
    m = new SignedModels(tmp);
    out = new ByteArrayOutputStream();
    log = new DecisionLog(out, "test", AgentSettings.Mode.ENFORCE, DecisionLog.HALT);
  }

  private Gate gate() throws Exception {
    Path conf = Files.writeString(m.dir.resolve("agent.conf"), "key.prod = " + m.prodPub + "\npin-dir = "
        + m.dir.resolve("pins") + "\n");
    AgentSettings settings = AgentSettings.load("config=" + conf, Map.of(), Map.of());
    return new Gate(settings, log, new ModelChecker(settings, Pinner.create(settings.pinDir())),
        new VerifyProgress(log, THRESHOLD, twoSeconds()));
  }

  /** The log's lines, each with its time replaced by {@code T}. */
  private List<String> lines() {
    return List.of(out.toString(StandardCharsets.UTF_8).replaceAll("\"time\":\"[^\"]*\"", "\"time\":\"T\"")
        .split("\n"));
  }

  private Path model(int size) throws Exception {
    return Files.write(m.dir.resolve("models/big.onnx"), new byte[size]);
  }

  @Test
  void checkPath_fileAtTheThreshold_logsStartThenDecisionThenEndWithBytesPerSecond() throws Exception {
    Path f = model(4096);
    SignedModels.signSig(m.prod, f);

    gate().checkPath("test", f);

    List<String> lines = lines();
    assertEquals(3, lines.size(), lines.toString());
    assertEquals("{\"time\":\"T\",\"event\":\"verify-start\",\"runtime\":\"test\",\"model\":\"" + f
        + "\",\"bytes\":4096}", lines.get(0));
    assertTrue(lines.get(1).startsWith("{\"time\":\"T\",\"runtime\":\"test\",\"model\":\"" + f + "\""), lines.get(1));
    assertTrue(lines.get(1).contains("\"decision\":\"allow\""), lines.get(1));
    assertEquals("{\"time\":\"T\",\"event\":\"verify-end\",\"runtime\":\"test\",\"model\":\"" + f
        + "\",\"bytes\":4096,\"durationMs\":2000.0,\"bytesPerSecond\":2048}", lines.get(2));
  }

  @Test
  void checkPath_fileUnderTheThreshold_logsTheDecisionOnly() throws Exception {
    Path f = model(4095);
    SignedModels.signSig(m.prod, f);

    gate().checkPath("test", f);

    assertEquals(1, lines().size());
    assertTrue(lines().get(0).contains("\"decision\":\"allow\""));
  }

  @Test
  void checkPath_largeUnsignedFile_logsTheEndAfterTheDenyLine() throws Exception {
    Path f = model(5000);

    SignedModels.refused(() -> {
      try {
        gate().checkPath("test", f);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    List<String> lines = lines();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(1).contains("\"decision\":\"deny\",\"reason\":\"UNSIGNED\""), lines.get(1));
    assertEquals("{\"time\":\"T\",\"event\":\"verify-end\",\"runtime\":\"test\",\"model\":\"" + f
        + "\",\"bytes\":5000,\"durationMs\":2000.0,\"bytesPerSecond\":2500}", lines.get(2));
  }

  @Test
  void checkPath_directoryWhoseFilesTogetherReachTheThreshold_logsTheirTotal() throws Exception {
    Path dir = m.dir.resolve("models/dir");
    SignedModels.write(dir.resolve("a.bin"), "a".repeat(3000));
    SignedModels.write(dir.resolve("sub/b.bin"), "b".repeat(1100));
    SignedModels.signSig(m.prod, dir.resolve("a.bin"));
    SignedModels.signSig(m.prod, dir.resolve("sub/b.bin"));

    gate().checkPath("test", dir);

    List<String> lines = lines();
    // the signatures beside the files count too: they are regular files of the directory
    long sigs = Files.size(dir.resolve("a.bin.sig")) + Files.size(dir.resolve("sub/b.bin.sig"));
    assertEquals("{\"time\":\"T\",\"event\":\"verify-start\",\"runtime\":\"test\",\"model\":\"" + dir
        + "\",\"bytes\":" + (4100 + sigs) + "}", lines.get(0));
    assertTrue(lines.get(2).startsWith("{\"time\":\"T\",\"event\":\"verify-end\""), lines.get(2));
  }

  @Test
  void start_withAPinMode_writesItAfterTheSize() throws Exception {
    Path f = model(4096);
    VerifyProgress p = new VerifyProgress(log, THRESHOLD, twoSeconds());

    p.end(p.start("hook", "/models/big.onnx", f, "inplace"));

    assertEquals(List.of(
        "{\"time\":\"T\",\"event\":\"verify-start\",\"runtime\":\"hook\",\"model\":\"/models/big.onnx\",\"bytes\":4096,"
            + "\"pinMode\":\"inplace\"}",
        "{\"time\":\"T\",\"event\":\"verify-end\",\"runtime\":\"hook\",\"model\":\"/models/big.onnx\",\"bytes\":4096,"
            + "\"pinMode\":\"inplace\",\"durationMs\":2000.0,\"bytesPerSecond\":2048}"), lines());
  }
}
