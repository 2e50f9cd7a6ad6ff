package dev.modelseal.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bridge's prefix test: which path strings a hooked JDK open hands to the agent. */
class SealedRootsTest {
  private final SealedRoots roots = new SealedRoots(new String[] {"/srv/models", "/data/m/"}, "/home/app",
      new String[] {"/srv/models/lib/modelseal-agent.jar"});

  @Test
  void underRoot_fileUnderRoot_returnsIt() {
    assertEquals("/srv/models/a/model.onnx", roots.underRoot("/srv/models/a/model.onnx"));
  }

  @Test
  void underRoot_rootItself_returnsIt() {
    assertEquals("/srv/models", roots.underRoot("/srv/models"));
  }

  @Test
  void underRoot_rootWrittenWithTrailingSlash_matchesComponentWise() {
    assertEquals("/data/m/x.bin", roots.underRoot("/data/m/x.bin"));
  }

  @Test
  void underRoot_siblingSharingTheRootsPrefix_returnsNull() {
    assertNull(roots.underRoot("/srv/models-old/model.onnx"));
  }

  @Test
  void underRoot_pathOutsideEveryRoot_returnsNull() {
    assertNull(roots.underRoot("/etc/passwd"));
  }

  @Test
  void underRoot_dotDotOutOfRoot_returnsNull() {
    assertNull(roots.underRoot("/srv/models/../secrets/key"));
  }

  @Test
  void underRoot_dotDotIntoRoot_returnsNormalisedPath() {
    assertEquals("/srv/models/m.bin", roots.underRoot("/tmp/../srv/./models//m.bin"));
  }

  @Test
  void underRoot_relativePath_resolvedAgainstWorkingDirectory() {
    SealedRoots cwd = new SealedRoots(new String[] {"/home/app/models"}, "/home/app", new String[0]);
    assertEquals("/home/app/models/m.bin", cwd.underRoot("models/m.bin"));
  }

  @Test
  void underRoot_relativeDotDotIntoRoot_returnsNormalisedPath() {
    assertEquals("/srv/models/m.bin", roots.underRoot("../../srv/models/m.bin"));
  }

  @Test
  void underRoot_agentJarUnderRoot_returnsNull() {
    assertNull(roots.underRoot("/srv/models/lib/modelseal-agent.jar"));
  }

  @Test
  void underRoot_emptyOrNullPath_returnsNull() {
    assertNull(roots.underRoot(""));
    assertNull(roots.underRoot(null));
  }

  @Test
  void underRoot_fileSystemRootAsRoot_coversEveryAbsolutePath() {
    SealedRoots all = new SealedRoots(new String[] {"/"}, "/", new String[0]);
    assertEquals("/etc/hosts", all.underRoot("/etc/hosts"));
  }

  @Test
  void underRoot_relativeRootEntry_isIgnored() {
    assertTrue(new SealedRoots(new String[] {"models", ""}, "/home/app", new String[0]).isEmpty());
  }

  @Test
  void normalize_normalPath_returnsSameInstance() {
    String p = "/srv/models/a.bin";
    assertSame(p, SealedRoots.normalize(p));
  }

  @Test
  void normalize_dotsSlashesAndTrailingSlash_removed() {
    assertEquals("/a/c", SealedRoots.normalize("/a/./b/..//c/"));
  }

  @Test
  void normalize_dotDotAboveFileSystemRoot_staysAtRoot() {
    assertEquals("/x", SealedRoots.normalize("/../../x"));
  }

  @Test
  void normalize_namesStartingWithDots_kept() {
    assertEquals("/a/.hidden/..data/...", SealedRoots.normalize("/a/.hidden/..data/..."));
  }
}
