package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-place rules, on made-up mount, owner and mode facts ({@link InPlaceQualifier}). */
class InPlaceQualifierTest {
  private static final int SERVICE = 1000;
  private static final Set<Integer> ROOT_TRUSTED = Set.of(0);

  private static MountTable.Mount mount(String dev, String point, boolean roMount, String type, boolean roSuper) {
    return new MountTable.Mount(dev, point, roMount, type, roSuper);
  }

  private static InPlaceQualifier.Qualification decide(MountTable.Mount m, List<MountTable.Mount> all, int euid,
      int owner, int mode) {
    return InPlaceQualifier.decide(m, new MountTable(all), euid, ROOT_TRUSTED, owner, mode);
  }

  @Test
  void decide_readOnlySuperBlock_qualifiesEvenForRoot() {
    MountTable.Mount m = mount("0:50", "/models", true, "tmpfs", true);

    assertEquals(new InPlaceQualifier.Qualification(true, "its file system (tmpfs 0:50) is read-only"),
        decide(m, List.of(m), 0, 0, 0100666));
  }

  @Test
  void decide_readOnlyMountAloneInNamespace_qualifies() {
    MountTable.Mount m = mount("8:1", "/models", true, "ext4", false);

    assertEquals(new InPlaceQualifier.Qualification(true,
        "its mount /models is read-only and no mount of 8:1 here is writable"), decide(m, List.of(m), 0, 1000, 0100666));
  }

  @Test
  void decide_readOnlyBindMountOfFileSystemWritableElsewhereHere_doesNotQualifyForRoot() {
    MountTable.Mount rw = mount("8:1", "/", false, "ext4", false);
    MountTable.Mount ro = mount("8:1", "/models", true, "ext4", false);

    assertEquals(new InPlaceQualifier.Qualification(false, "its mount /models is read-only but the same file system"
        + " is writable at /, and this JVM runs as root, which may write any file there"),
        decide(ro, List.of(rw, ro), 0, 0, 0100444));
  }

  @Test
  void decide_networkFileSystemReadOnly_doesNotQualify() {
    MountTable.Mount m = mount("0:60", "/models", true, "nfs4", true);

    assertEquals(new InPlaceQualifier.Qualification(false, "it is on a network or FUSE file system (nfs4)"),
        decide(m, List.of(m), SERVICE, 0, 0100444));
  }

  @Test
  void decide_fuseFileSystemRootOwned_doesNotQualify() {
    MountTable.Mount m = mount("0:61", "/models", false, "fuse.sshfs", false);

    assertEquals(false, decide(m, List.of(m), SERVICE, 0, 0100444).qualifies());
  }

  @Test
  void decide_readOnlyOverlay_doesNotQualifyByMount() {
    MountTable.Mount m = mount("0:70", "/", true, "overlay", false);

    assertEquals(new InPlaceQualifier.Qualification(false, "its mount / is a read-only overlay, and this JVM runs as"
        + " root, which may write any file there"), decide(m, List.of(m), 0, 0, 0100444));
  }

  @Test
  void decide_rootOwnedNotGroupOrOtherWritableServiceUser_qualifies() {
    MountTable.Mount m = mount("8:1", "/", false, "ext4", false);

    assertEquals(new InPlaceQualifier.Qualification(true,
        "it is owned by trusted uid 0 and writable by no one else (mode 644)"), decide(m, List.of(m), SERVICE, 0, 0100644));
  }

  @Test
  void decide_groupWritable_doesNotQualify() {
    MountTable.Mount m = mount("8:1", "/", false, "ext4", false);

    assertEquals(new InPlaceQualifier.Qualification(false,
        "its mount / is writable, and group or others may write it (mode 664)"), decide(m, List.of(m), SERVICE, 0, 0100664));
  }

  @Test
  void decide_ownedByServiceUser_doesNotQualify() {
    MountTable.Mount m = mount("8:1", "/", false, "ext4", false);

    assertEquals(new InPlaceQualifier.Qualification(false, "its mount / is writable, and it is owned by this JVM's own"
        + " user (uid 1000)"), InPlaceQualifier.decide(m, new MountTable(List.of(m)), SERVICE, Set.of(0, SERVICE),
            SERVICE, 0100444));
  }

  @Test
  void decide_untrustedOwner_doesNotQualify() {
    MountTable.Mount m = mount("8:1", "/", false, "ext4", false);

    assertEquals(new InPlaceQualifier.Qualification(false,
        "its mount / is writable, and its owner (uid 1001) is not a trusted owner [0]"),
        decide(m, List.of(m), SERVICE, 1001, 0100444));
  }

  @Test
  void decide_rootJvmOnWritableMount_doesNotQualify() {
    MountTable.Mount m = mount("8:1", "/", false, "ext4", false);

    assertEquals(false, decide(m, List.of(m), 0, 0, 0100444).qualifies());
  }

  @Test
  void decide_unknownMount_doesNotQualify() {
    assertEquals(new InPlaceQualifier.Qualification(false, "its mount was not found in /proc/self/mountinfo"),
        decide(null, List.of(), SERVICE, 0, 0100444));
  }
}
