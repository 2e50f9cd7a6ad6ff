package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests of in-place files kept across restarts ({@link VerifiedResultCache}). */
class VerifiedResultCacheTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long CHECKED_AT = 1_800_000_000L * SECOND;
  private static final VerifiedResultCache.Key KEY =
      new VerifiedResultCache.Key(65024, 42, 11, CHECKED_AT - 5 * SECOND, CHECKED_AT - 5 * SECOND, 0, 0100444);
  private static final Map<String, byte[]> DIGESTS = Map.of("SHA-256", new byte[32]);
  private static final int EUID = InPlacePins.effectiveUid();

  @TempDir Path tmp;

  private VerifiedResultCache cache() {
    return new VerifiedResultCache(tmp, EUID, SECOND);
  }

  @Test
  void lookup_sameIdentityCheckedLongAfterItsLastChange_hit() {
    cache().record(KEY, CHECKED_AT, DIGESTS);

    assertArrayEquals(new byte[32], cache().lookup(KEY, Set.of("SHA-256")).get("SHA-256"));
  }

  @Test
  void lookup_otherInode_miss() {
    cache().record(KEY, CHECKED_AT, DIGESTS);

    assertNull(cache().lookup(new VerifiedResultCache.Key(65024, 43, 11, KEY.mtimeNanos(), KEY.ctimeNanos(), 0,
        0100444), Set.of("SHA-256")));
  }

  @Test
  void lookup_entryCheckedWithinGranularityOfItsChange_racilyCleanMiss() {
    VerifiedResultCache.Key changedJustBefore = new VerifiedResultCache.Key(65024, 42, 11, KEY.mtimeNanos(),
        CHECKED_AT - SECOND / 2, 0, 0100444);
    cache().record(changedJustBefore, CHECKED_AT, DIGESTS);

    assertNull(cache().lookup(changedJustBefore, Set.of("SHA-256")));
  }

  @Test
  void lookup_inPlaceWriteWithModificationTimeRestored_missByStatusChangeTime() throws Exception {
    Path model = Files.writeString(tmp.resolve("model.onnx"), "model bytes");
    FileTime mtime = Files.getLastModifiedTime(model);
    VerifiedResultCache.Key before = key(model);
    cache().record(before, CHECKED_AT, DIGESTS);
    org.junit.jupiter.api.Assertions.assertNotNull(cache().lookup(before, Set.of("SHA-256")), "hit before the write");
    Thread.sleep(50); // past the kernel's coarse timestamp tick
    Files.writeString(model, "MODEL BYTES");
    Files.setLastModifiedTime(model, mtime);
    VerifiedResultCache.Key after = key(model);

    assertNotEquals(before.ctimeNanos(), after.ctimeNanos());
    assertNull(cache().lookup(after, Set.of("SHA-256")));
  }

  @Test
  void lookup_cacheFileTampered_ignored() throws Exception {
    cache().record(KEY, CHECKED_AT, DIGESTS);
    Path file = cache().file();
    Files.writeString(file, Files.readString(file).replace("SHA-256=", "SHA-256=zz"));

    assertNull(cache().lookup(KEY, Set.of("SHA-256")));
  }

  @Test
  void lookup_cacheFileWritableByOthers_ignored() throws Exception {
    cache().record(KEY, CHECKED_AT, DIGESTS);
    Files.setPosixFilePermissions(cache().file(), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertNull(cache().lookup(KEY, Set.of("SHA-256")));
  }

  @Test
  void lookup_cacheFileOfAnotherUser_ignored() {
    cache().record(KEY, CHECKED_AT, DIGESTS);

    assertNull(new VerifiedResultCache(tmp, EUID + 1, SECOND).lookup(KEY, Set.of("SHA-256")));
  }

  @Test
  void lookup_cacheFileOverBound_ignored() throws Exception {
    cache().record(KEY, CHECKED_AT, DIGESTS);
    String line = Files.readString(cache().file());
    Files.writeString(cache().file(), line.repeat(VerifiedResultCache.MAX_BYTES / line.length() + 1),
        StandardCharsets.US_ASCII);

    assertNull(cache().lookup(KEY, Set.of("SHA-256")));
  }

  @Test
  void record_newCache_fileOwnerOnlyInOwnerOnlyDirectory() throws Exception {
    cache().record(KEY, CHECKED_AT, DIGESTS);

    org.junit.jupiter.api.Assertions.assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(cache().file(), LinkOption.NOFOLLOW_LINKS)));
    org.junit.jupiter.api.Assertions.assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cache().file().getParent(), LinkOption.NOFOLLOW_LINKS)));
  }

  @Test
  void lookup_modelSigningShardDigests_hit() {
    cache().record(KEY, CHECKED_AT, Map.of("oms:sha256-sharded-4", new byte[96]));

    assertArrayEquals(new byte[96], cache().lookup(KEY, Set.of("oms:sha256-sharded-4")).get("oms:sha256-sharded-4"));
  }

  @Test
  void lookup_unknownDigestNameInFile_wholeFileIgnored() throws Exception {
    cache().record(KEY, CHECKED_AT, Map.of("SHA-256", new byte[32], "oms:sha256", new byte[32]));
    Path file = cache().file();
    String before = Files.readString(file);
    Files.writeString(file, before.replace("SHA-256=", "oms:md5="));
    assertNotEquals(before, Files.readString(file));

    assertNull(cache().lookup(KEY, Set.of("oms:sha256")));
  }

  @Test
  void record_sameIdentityOtherAlgorithm_bothKept() {
    cache().record(KEY, CHECKED_AT, DIGESTS);

    cache().record(KEY, CHECKED_AT + SECOND, Map.of("oms:blake2b", new byte[64]));

    assertEquals(Set.of("SHA-256", "oms:blake2b"), cache().lookup(KEY, Set.of("SHA-256", "oms:blake2b")).keySet());
  }

  @Test
  void record_sameInodeOtherIdentity_earlierDigestsDropped() {
    cache().record(KEY, CHECKED_AT, DIGESTS);
    VerifiedResultCache.Key changed = new VerifiedResultCache.Key(65024, 42, 11, KEY.mtimeNanos(),
        KEY.ctimeNanos() + 1, 0, 0100444);

    cache().record(changed, CHECKED_AT + SECOND, Map.of("oms:sha256", new byte[32]));

    assertNull(cache().lookup(changed, Set.of("SHA-256")));
  }

  @Test
  void record_sameIdentityAsRacilyCleanEntry_racilyCleanDigestsDropped() {
    VerifiedResultCache.Key changedJustBefore = new VerifiedResultCache.Key(65024, 42, 11, KEY.mtimeNanos(),
        CHECKED_AT - SECOND / 2, 0, 0100444);
    cache().record(changedJustBefore, CHECKED_AT, DIGESTS);

    cache().record(changedJustBefore, CHECKED_AT + 5 * SECOND, Map.of("oms:sha256", new byte[32]));

    assertNull(cache().lookup(changedJustBefore, Set.of("SHA-256")));
  }

  @Test
  void record_resultsBeyondByteBound_oldestDroppedNewestKept() throws Exception {
    List<VerifiedResultCache.Result> results = new ArrayList<>();
    for (int ino = 1; ino <= 40; ino++) {
      results.add(new VerifiedResultCache.Result(new VerifiedResultCache.Key(65024, ino, 11, KEY.mtimeNanos(),
          KEY.ctimeNanos(), 0, 0100444), CHECKED_AT, Map.of("oms:sha256-sharded-1", new byte[16_000])));
    }

    cache().record(results);

    assertTrue(Files.size(cache().file()) <= VerifiedResultCache.MAX_BYTES);
    assertNull(cache().lookup(results.get(0).key(), Set.of("oms:sha256-sharded-1")));
    assertNotNull(cache().lookup(results.get(39).key(), Set.of("oms:sha256-sharded-1")));
  }

  @Test
  void record_resultAloneBeyondByteBound_notRecordedOthersKept() {
    cache().record(KEY, CHECKED_AT, DIGESTS);
    VerifiedResultCache.Key huge = new VerifiedResultCache.Key(65024, 7, 11, KEY.mtimeNanos(), KEY.ctimeNanos(), 0,
        0100444);

    cache().record(huge, CHECKED_AT, Map.of("oms:sha256-sharded-1", new byte[VerifiedResultCache.MAX_BYTES / 2]));

    assertNull(cache().lookup(huge, Set.of("oms:sha256-sharded-1")));
    assertNotNull(cache().lookup(KEY, Set.of("SHA-256")));
  }

  private static VerifiedResultCache.Key key(Path file) throws Exception {
    Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,uid,mode,size,lastModifiedTime,ctime");
    return new VerifiedResultCache.Key((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), (Integer) a.get("uid"), (Integer) a.get("mode"));
  }
}
