package dev.modelseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressBarTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong();

  private String text() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void progress_redrawsAtMostEvery100ms_andEndsWithNewline() {
    try (ProgressBar bar = new ProgressBar(err, "hashing m", true, now::get)) {
      bar.progress(10, 100);
      now.addAndGet(50_000_000L);
      bar.progress(20, 100); // too soon: skipped
      now.addAndGet(60_000_000L);
      bar.progress(50, 100);
      bar.progress(100, 100); // the end is always drawn
    }
    String t = text();
    assertEquals(3, t.chars().filter(c -> c == '\r').count(), t);
    assertTrue(t.contains("\rhashing m [===                           ]  10% 10 B / 100 B"), t);
    assertTrue(t.contains("\rhashing m [===============               ]  50% 50 B / 100 B"), t);
    assertTrue(t.endsWith("\rhashing m [==============================] 100% 100 B / 100 B\n"), t);
  }

  @Test
  void progress_disabled_printsNothing() {
    try (ProgressBar bar = new ProgressBar(err, "x", false, now::get)) {
      bar.progress(1, 2);
      bar.progress(2, 2);
    }
    assertEquals("", text());
  }

  @Test
  void progress_unknownTotal_printsNothing() {
    try (ProgressBar bar = new ProgressBar(err, "x", true, now::get)) {
      bar.progress(1, -1);
    }
    assertEquals("", text());
  }

  @Test
  void progress_modelBarBelowThreshold_printsNothing() {
    try (ProgressBar bar = ProgressBar.forModel(err, "x", now::get)) {
      bar.progress(10, ProgressBar.THRESHOLD_BYTES - 1);
    }
    assertEquals("", text());
  }

  @Test
  void progress_modelBarAtThreshold_draws() {
    try (ProgressBar bar = ProgressBar.forModel(err, "m", now::get)) {
      bar.progress(ProgressBar.THRESHOLD_BYTES, ProgressBar.THRESHOLD_BYTES);
    }
    assertEquals("\rm [==============================] 100% 64.0 MiB / 64.0 MiB\n", text());
  }

  @Test
  void human_units() {
    assertEquals("1023 B", ProgressBar.human(1023));
    assertEquals("1.0 KiB", ProgressBar.human(1024));
    assertEquals("64.0 MiB", ProgressBar.human(64L << 20));
    assertEquals("2.5 GiB", ProgressBar.human(5L << 29));
  }

  private void sparseFile(String name, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
      f.setLength(size);
    }
  }

  @Test
  void signAndVerify_64MiBOnTerminal_showBar() throws IOException {
    sparseFile("big.bin", ProgressBar.THRESHOLD_BYTES);
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    cli.stderrIsTerminal = true;
    CliRunner.Result s = cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "big.sig", "big.bin");
    assertEquals(0, s.status(), s.err());
    assertTrue(s.err().startsWith("\rsigning big.bin ["), s.err());
    assertTrue(s.err().endsWith(" 100% 64.0 MiB / 64.0 MiB\nWrote signature to file big.sig\n"), s.err());
    CliRunner.Result v = cli.run("verify-blob", "--key", "cosign.pub", "--signature", "big.sig", "big.bin");
    assertEquals(0, v.status(), v.err());
    assertTrue(v.err().startsWith("\rverifying big.bin ["), v.err());
    assertTrue(v.err().endsWith("100% 64.0 MiB / 64.0 MiB\nVerified OK\n"), v.err());
  }

  @Test
  void signAndVerify_notTerminalOrSmall_noBar() throws IOException {
    sparseFile("big.bin", ProgressBar.THRESHOLD_BYTES);
    sparseFile("small.bin", ProgressBar.THRESHOLD_BYTES - 1);
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    CliRunner.Result s = cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "big.sig", "big.bin");
    assertEquals("Wrote signature to file big.sig\n", s.err());
    cli.stderrIsTerminal = true;
    CliRunner.Result small = cli.run("sign-blob", "--key", "cosign.key", "--output-signature", "s.sig", "small.bin");
    assertEquals("Wrote signature to file s.sig\n", small.err());
    assertFalse(small.err().contains("\r"));
  }

  @Test
  void signAndVerifyModel_64MiBOnTerminal_showBarFromTheHashingTotal() throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve("m"));
    sparseFile("m/a.bin", ProgressBar.THRESHOLD_BYTES / 2);
    sparseFile("m/b.bin", ProgressBar.THRESHOLD_BYTES / 2);
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    cli.stderrIsTerminal = true;
    CliRunner.Result s = cli.run("sign-model", "--key", "cosign.key", "m");
    assertEquals(0, s.status(), s.err());
    assertTrue(s.err().startsWith("\rhashing m ["), s.err());
    assertTrue(s.err().endsWith(" 100% 64.0 MiB / 64.0 MiB\nWrote model signature to m/model.sig\n"), s.err());
    CliRunner.Result v = cli.run("verify-model", "--key", "cosign.pub", "m");
    assertEquals(0, v.status(), v.err());
    assertTrue(v.err().startsWith("\rverifying m ["), v.err());
    assertTrue(v.err().endsWith(" 100% 64.0 MiB / 64.0 MiB\nVerified OK\n"), v.err());
  }

  @Test
  void signModel_smallModelOnTerminal_noBar() throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve("m"));
    sparseFile("m/a.bin", ProgressBar.THRESHOLD_BYTES - 1);
    CliRunner cli = CliRunner.withPassword(dir, "pw");
    cli.copySharedKeyPair();
    cli.stderrIsTerminal = true;
    CliRunner.Result s = cli.run("sign-model", "--key", "cosign.key", "m");
    assertEquals("Wrote model signature to m/model.sig\n", s.err());
  }
}
