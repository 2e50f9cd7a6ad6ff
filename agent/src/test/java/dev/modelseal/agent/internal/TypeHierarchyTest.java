package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * {@link TypeHierarchy} over class files generated here and served by a loader that only has them as
 * resources (nothing is ever defined), following the made-up runtime package {@code rt/}.
 */
class TypeHierarchyTest {
  private final TypeHierarchy hierarchy = new TypeHierarchy(new String[] {"rt/"});

  /** Serves class files as resources only, and records which were read. */
  private static final class ClassFiles extends ClassLoader {
    private final Map<String, byte[]> files = new HashMap<>();
    final List<String> reads = new ArrayList<>();

    ClassFiles(byte[]... classFiles) {
      super(null);
      for (byte[] f : classFiles) {
        files.put(new ClassReader(f).getClassName() + ".class", f);
      }
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      reads.add(name);
      byte[] f = files.get(name);
      return f == null ? null : new ByteArrayInputStream(f);
    }
  }

  private static byte[] type(int access, String name, String superName, String... interfaces) {
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, access, name, null, superName, interfaces);
    w.visitEnd();
    return w.toByteArray();
  }

  private static byte[] classFile(String name, String superName, String... interfaces) {
    return type(Opcodes.ACC_PUBLIC, name, superName, interfaces);
  }

  private static byte[] interfaceFile(String name, String... interfaces) {
    return type(Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, name, "java/lang/Object",
        interfaces);
  }

  private boolean isSubtype(ClassLoader loader, byte[] candidate, String target) throws IOException {
    return hierarchy.isSubtype(loader, new ClassReader(candidate), target);
  }

  @Test
  void isSubtype_superclassOfASuperclassIsTheTarget_true() throws IOException {
    ClassFiles loader = new ClassFiles(classFile("rt/Middle", "rt/Target"));
    assertTrue(isSubtype(loader, classFile("rt/Candidate", "rt/Middle"), "rt/Target"));
    assertEquals(List.of("rt/Middle.class"), loader.reads);
  }

  @Test
  void isSubtype_interfaceExtendingTheTarget_true() throws IOException {
    ClassFiles loader = new ClassFiles(interfaceFile("rt/Loadable", "rt/Target"));
    assertTrue(isSubtype(loader, classFile("rt/Candidate", "java/lang/Object", "rt/Loadable"), "rt/Target"));
  }

  @Test
  void isSubtype_interfaceOfTheSuperclass_true() throws IOException {
    ClassFiles loader = new ClassFiles(classFile("rt/Base", "java/lang/Object", "rt/Target"));
    assertTrue(isSubtype(loader, classFile("rt/Candidate", "rt/Base"), "rt/Target"));
  }

  @Test
  void isSubtype_supertypeClassFileOnlyInAnotherLoader_falseThroughTheLoaderWithout() throws IOException {
    byte[] candidate = classFile("rt/Candidate", "rt/Base");
    assertTrue(isSubtype(new ClassFiles(classFile("rt/Base", "java/lang/Object", "rt/Target")), candidate,
        "rt/Target"));
    ClassFiles without = new ClassFiles();
    assertFalse(isSubtype(without, candidate, "rt/Target"));
    assertEquals(List.of("rt/Base.class"), without.reads);
  }

  @Test
  void isSubtype_onlyThroughTypesOutsideTheFollowedPrefixes_falseWithoutReadingThem() throws IOException {
    ClassFiles loader = new ClassFiles(classFile("other/Base", "java/lang/Object", "rt/Target"),
        interfaceFile("other/Loadable", "rt/Target"));
    assertFalse(isSubtype(loader, classFile("rt/Candidate", "other/Base", "other/Loadable"), "rt/Target"));
    assertEquals(List.of(), loader.reads);
  }

  @Test
  void isSubtype_unrelatedTypeInTheFollowedPrefix_false() throws IOException {
    ClassFiles loader = new ClassFiles(classFile("rt/Base", "java/lang/Object", "rt/Other"),
        interfaceFile("rt/Other"));
    assertFalse(isSubtype(loader, classFile("rt/Candidate", "rt/Base"), "rt/Target"));
  }

  /** rt/C0 extends rt/C1 ... extends rt/C{n-1}, which extends {@code last}. */
  private static ClassFiles chain(int n, String last) {
    byte[][] files = new byte[n][];
    for (int i = 0; i < n; i++) {
      files[i] = classFile("rt/C" + i, i == n - 1 ? last : "rt/C" + (i + 1));
    }
    return new ClassFiles(files);
  }

  @Test
  void isSubtype_targetAtTheDepthBound_true() throws IOException {
    assertTrue(isSubtype(chain(TypeHierarchy.MAX_DEPTH, "rt/Target"), classFile("rt/Candidate", "rt/C0"),
        "rt/Target"));
  }

  @Test
  void isSubtype_hierarchyDeeperThanTheBound_throws() {
    IOException e = assertThrows(IOException.class,
        () -> isSubtype(chain(40, "rt/Target"), classFile("rt/Candidate", "rt/C0"), "rt/Target"));
    assertEquals("type hierarchy of rt/C32 is deeper than 32", e.getMessage());
  }

  @Test
  void isSubtype_cyclicHierarchy_throwsInsteadOfLooping() {
    ClassFiles loader = new ClassFiles(classFile("rt/A", "rt/B"), classFile("rt/B", "rt/A"));
    assertThrows(IOException.class, () -> isSubtype(loader, classFile("rt/Candidate", "rt/A"), "rt/Target"));
  }

  @Test
  void isSubtype_askedAgainWithTheSameLoader_readsNoClassFileAgain() throws IOException {
    ClassFiles loader = new ClassFiles(classFile("rt/Base", "java/lang/Object", "rt/Target"));
    assertTrue(isSubtype(loader, classFile("rt/Candidate", "rt/Base"), "rt/Target"));
    assertTrue(isSubtype(loader, classFile("rt/Other", "rt/Base"), "rt/Target"));
    assertEquals(List.of("rt/Base.class"), loader.reads);
  }

  @Test
  void isSubtype_sameNameInAnotherLoader_answeredFromThatLoadersClassFiles() throws IOException {
    byte[] candidate = classFile("rt/Candidate", "rt/Base");
    ClassFiles implementing = new ClassFiles(classFile("rt/Base", "java/lang/Object", "rt/Target"));
    ClassFiles notImplementing = new ClassFiles(classFile("rt/Base", "java/lang/Object"));
    assertTrue(isSubtype(implementing, candidate, "rt/Target"));
    assertFalse(isSubtype(notImplementing, candidate, "rt/Target"));
    assertTrue(isSubtype(implementing, candidate, "rt/Target"));
    assertEquals(List.of("rt/Base.class"), notImplementing.reads);
  }
}
