package dev.modelseal.agent.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Decides whether an opened model file may be verified and loaded in place: only when nobody but a trusted owner
 * can change it for as long as this JVM holds it open. Pure: every fact (the opened file's owner and mode, its
 * mount, the mount table, this JVM's effective uid, the trusted owners) is given, so the rules are tested with
 * made-up facts. It qualifies, in this order, when:
 *
 * <ol>
 *   <li>its file system is read-only everywhere (super block {@code ro}, or squashfs, erofs, iso9660, cramfs);
 *   <li>its own mount is read-only and no mount of the same file system that this mount namespace sees is
 *       writable (a read-only bind mount of a directory still writable elsewhere here does not qualify: a write
 *       there changes the same inode). Writers in other mount namespaces (the node, another pod sharing the volume)
 *       are trusted by this rule, as a Kubernetes {@code readOnly} volume trusts them. Not for overlayfs, whose open
 *       files follow a copy-up to the upper layer;
 *   <li>this JVM does not run as root (root ignores mode bits), the owner is a trusted owner and not this JVM's
 *       user, and neither group nor others may write it ({@code mode & 022 == 0}; with POSIX ACLs the group bits are
 *       the mask, so no named user or group may write either).
 * </ol>
 *
 * <p>Network and FUSE file systems (nfs*, cifs, smb*, fuse*, 9p, ceph, virtiofs, ...) never qualify: the server
 * writes behind the kernel's back. fs-verity is not detected (JDK 17 reaches neither {@code statx} nor the
 * {@code FS_IOC_MEASURE_VERITY} ioctl without native code), so a verity file qualifies only by these rules.
 * Residual risk, stated: a writer that opened the file before its mode or owner made it qualify keeps its
 * descriptor (only fs-verity excludes that).
 */
final class InPlaceQualifier {
  /** Mode bits that let group or others write. */
  private static final int GROUP_OTHER_WRITE = 0022;

  private static final Set<String> READ_ONLY_TYPES = Set.of("squashfs", "erofs", "iso9660", "cramfs");
  private static final Set<String> REMOTE_TYPES = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph",
      "glusterfs", "lustre", "afs", "virtiofs", "ncpfs", "coda", "gfs2", "ocfs2", "davfs", "sshfs", "beegfs", "gpfs");

  /**
   * The outcome: whether the file qualifies, and one phrase saying why (or why not) for the decision log.
   */
  record Qualification(boolean qualifies, String why) {}

  private InPlaceQualifier() {}

  /**
   * Decides for an opened file.
   *
   * @param mount the mount the file lies on (null: unknown, does not qualify)
   * @param table every mount this JVM sees
   * @param euid this JVM's effective uid (-1: unknown, only storage rules 1 and 2 apply)
   * @param trustedOwners the {@code trusted-owners} setting
   * @param owner the opened file's owner uid
   * @param mode the opened file's {@code st_mode}
   */
  static Qualification decide(MountTable.Mount mount, MountTable table, int euid, Set<Integer> trustedOwners,
      int owner, int mode) {
    if (mount == null) {
      return new Qualification(false, "its mount was not found in /proc/self/mountinfo");
    }
    String type = mount.fsType().toLowerCase(Locale.ROOT);
    if (isRemote(type)) {
      return new Qualification(false, "it is on a network or FUSE file system (" + type + ")");
    }
    if (mount.readOnlySuper() || READ_ONLY_TYPES.contains(type)) {
      return new Qualification(true, "its file system (" + type + " " + mount.device() + ") is read-only");
    }
    String notByMount;
    if (mount.readOnlyMount() && !type.equals("overlay")) {
      MountTable.Mount writable = table.writableMountOf(mount.device());
      if (writable == null) {
        return new Qualification(true, "its mount " + mount.mountPoint() + " is read-only and no mount of "
            + mount.device() + " here is writable");
      }
      notByMount = "its mount " + mount.mountPoint() + " is read-only but the same file system is writable at "
          + writable.mountPoint();
    } else {
      notByMount = "its mount " + mount.mountPoint() + " is " + (mount.readOnlyMount() ? "a read-only overlay" : "writable");
    }
    if (euid == 0) {
      return new Qualification(false, notByMount + ", and this JVM runs as root, which may write any file there");
    }
    if (euid < 0) {
      return new Qualification(false, notByMount + ", and this JVM's user is unknown");
    }
    if (!trustedOwners.contains(owner)) {
      return new Qualification(false, notByMount + ", and its owner (uid " + owner + ") is not a trusted owner "
          + trustedOwners);
    }
    if (owner == euid) {
      return new Qualification(false, notByMount + ", and it is owned by this JVM's own user (uid " + owner + ")");
    }
    if ((mode & GROUP_OTHER_WRITE) != 0) {
      return new Qualification(false, notByMount + ", and group or others may write it (mode "
          + Integer.toOctalString(mode & 07777) + ")");
    }
    return new Qualification(true, "it is owned by trusted uid " + owner + " and writable by no one else (mode "
        + Integer.toOctalString(mode & 07777) + ")");
  }

  private static boolean isRemote(String type) {
    return REMOTE_TYPES.contains(type) || type.startsWith("nfs") || type.startsWith("smb") || type.startsWith("fuse");
  }
}
