package dev.modelseal.agent.internal;

import java.io.FileDescriptor;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.Set;

/**
 * The kernel file descriptor number of a {@link FileChannel} this agent opened, on JDK 17 without native code:
 * {@code sun.nio.ch.FileChannelImpl.fd} and {@code java.io.FileDescriptor.fd} are read by reflection, after
 * {@link #enable} has opened those two packages of {@code java.base} to the agent's own (unnamed) module with
 * {@link Instrumentation#redefineModule} (to nothing else).
 *
 * <p>Failure: {@link #of} returns -1 when the number cannot be read (not enabled, another JDK's layout, a
 * security manager); callers then do not pin in place (fail closed to a copy).
 */
final class FdNumbers {
  private static volatile Instrumentation instrumentation;
  private static volatile Field channelFd;
  private static volatile Field descriptorFd;

  private FdNumbers() {}

  /** Remembers the instrumentation; the packages are opened on first use, not at start. */
  static void enable(Instrumentation inst) {
    instrumentation = inst;
  }

  /** Opens the packages ahead of the first in-place check (the start-up warm-up thread; failures wait for it). */
  static void warmUp() {
    try {
      init(Class.forName("sun.nio.ch.FileChannelImpl"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the first real use tries again and reports -1
    }
  }

  /** The descriptor number of {@code channel}, or -1. */
  static int of(FileChannel channel) {
    try {
      if (descriptorFd == null) {
        init(channel.getClass());
      }
      FileDescriptor fd = (FileDescriptor) channelFd.get(channel);
      int n = descriptorFd.getInt(fd);
      return n >= 0 && fd.valid() ? n : -1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  private static synchronized void init(Class<?> channelClass) throws ReflectiveOperationException {
    if (descriptorFd != null) {
      return;
    }
    Module java = Object.class.getModule();
    Module agent = FdNumbers.class.getModule();
    Instrumentation inst = instrumentation;
    if (inst != null && !(java.isOpen("sun.nio.ch", agent) && java.isOpen("java.io", agent))) {
      inst.redefineModule(java, Set.of(), Map.of(), Map.of("sun.nio.ch", Set.of(agent), "java.io", Set.of(agent)),
          Set.of(), Map.of());
    }
    Field c = channelClass.getDeclaredField("fd");
    c.setAccessible(true);
    Field d = FileDescriptor.class.getDeclaredField("fd");
    d.setAccessible(true);
    channelFd = c;
    descriptorFd = d;
  }
}
