package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code /proc/self/mountinfo} lines and device numbers ({@link MountTable}). */
class MountTableTest {
  private static final String TABLE = String.join("\n",
      "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
      "90 26 254:0 /srv/src /srv/my\\040models ro,relatime shared:5 master:1 - ext4 /dev/vda rw,discard",
      "91 26 0:50 / /mnt/sq ro,relatime - squashfs /dev/loop0 ro", "");

  @Test
  void mountOf_pathUnderBindMountWithEscapedSpace_isThatReadOnlyMount() throws Exception {
    MountTable t = MountTable.parse(TABLE);

    assertEquals(new MountTable.Mount("254:0", "/srv/my models", true, "ext4", false),
        t.mountOf(Path.of("/srv/my models/m.onnx")));
  }

  @Test
  void writableMountOf_deviceAlsoMountedReadWrite_isTheWritableMount() throws Exception {
    assertEquals("/", MountTable.parse(TABLE).writableMountOf("254:0").mountPoint());
  }

  @Test
  void writableMountOf_readOnlySuperBlock_isNull() throws Exception {
    assertNull(MountTable.parse(TABLE).writableMountOf("0:50"));
  }

  @Test
  void parse_lineWithoutSeparator_refused() {
    IOException e = assertThrows(IOException.class, () -> MountTable.parse("26 1 254:0 / / rw ext4 /dev/vda rw x y"));

    assertEquals("unparsable mountinfo line: 26 1 254:0 / / rw ext4 /dev/vda rw x y", e.getMessage());
  }

  @Test
  void device_linuxStDev_isMajorColonMinor() {
    assertEquals("254:0", MountTable.device(65024L));
    assertEquals("0:45", MountTable.device(45L));
    assertEquals("259:65537", MountTable.device((259L << 8) | 1L | (256L << 20)));
  }
}
