package dev.modelseal.agent.internal;

import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Tells, from a class file's raw bytes, whether it declares a method with a hook's name, without
 * decoding any string. {@link HookTransformer} asks before it reads a class's hierarchy or rewrites it:
 * reading supertypes opens their class files, rewriting with ASM decodes the whole constant pool
 * (most of the weaving's cost at start-up), and a class that inherits the guarded method without
 * overriding it has nothing to rewrite (the method is guarded in the class that declares it).
 */
final class MethodNameScan {
  private MethodNameScan() {}

  /**
   * Returns true if the class declares a method (of any descriptor) named like one of {@code hooks}.
   *
   * @throws ArrayIndexOutOfBoundsException on a truncated class file (the transformer reports it)
   */
  static boolean declaresAny(ClassReader r, List<MethodHook> hooks) {
    int u = r.header + 6; // access_flags, this_class, super_class
    u += 2 + 2 * r.readUnsignedShort(u); // interfaces
    int fields = r.readUnsignedShort(u);
    u += 2;
    for (int i = 0; i < fields; i++) {
      u = skipAttributes(r, u + 6);
    }
    int methods = r.readUnsignedShort(u);
    u += 2;
    for (int i = 0; i < methods; i++) {
      int name = r.getItem(r.readUnsignedShort(u + 2));
      for (MethodHook h : hooks) {
        if (utf8Equals(r, name, h.name())) {
          return true;
        }
      }
      u = skipAttributes(r, u + 6);
    }
    return false;
  }

  /** {@code u} is at an attributes_count; returns the offset just after the attributes. */
  private static int skipAttributes(ClassReader r, int u) {
    int attributes = r.readUnsignedShort(u);
    u += 2;
    for (int i = 0; i < attributes; i++) {
      u += 6 + r.readInt(u + 2);
    }
    return u;
  }

  /** Compares the CONSTANT_Utf8 whose content starts at {@code item} with an ASCII name. */
  private static boolean utf8Equals(ClassReader r, int item, String ascii) {
    int length = r.readUnsignedShort(item);
    if (length != ascii.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (r.readByte(item + 2 + i) != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
