package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STRING;

import java.util.List;

/**
 * The JDK's file opens, woven only when sealed model roots are on ({@link Runtimes#withSealedRoots()}): every
 * {@code FileInputStream} constructor opens through {@code open(String)}, {@code RandomAccessFile} (and so
 * {@code ZipFile}/{@code JarFile}) through {@code open(String, int)}, and {@code Files.newInputStream},
 * {@code newByteChannel}, {@code readAllBytes}, {@code readString}, {@code lines}, {@code FileChannel.open} and
 * {@code AsynchronousFileChannel.open} through the default provider's three channel methods (javap on JDK 17
 * and 25). The bridge tests the path against the frozen roots before any agent code runs ({@link SealedReads}).
 * All are required: a JDK without them stops the agent when sealing is asked for.
 */
final class JdkReadHooks implements RuntimeHooks {
  private static final String SET = "Ljava/util/Set;";

  private static final List<TypeHooks> TYPES = List.of(
      TypeHooks.exact("java/io/FileInputStream").hooks(
          MethodHook.named("open").paramsStartWith(STRING).paramCount(1).instanceMethod()
              .argument(0).check(Check.SEALED_OPEN).required()),
      TypeHooks.exact("java/io/RandomAccessFile").hooks(
          MethodHook.named("open").paramsStartWith(STRING, "I").paramCount(2).instanceMethod()
              .argument(0).check(Check.SEALED_OPEN_MODE).required()),
      TypeHooks.exact("sun/nio/fs/UnixFileSystemProvider").hooks(
          MethodHook.named("newByteChannel").paramsStartWith(PATH, SET).paramCount(3).instanceMethod()
              .argument(0).check(Check.SEALED_CHANNEL).required(),
          MethodHook.named("newFileChannel").paramsStartWith(PATH, SET).paramCount(3).instanceMethod()
              .argument(0).check(Check.SEALED_CHANNEL).required(),
          MethodHook.named("newAsynchronousFileChannel").paramsStartWith(PATH, SET).paramCount(4).instanceMethod()
              .argument(0).check(Check.SEALED_CHANNEL).required()));

  @Override
  public String name() {
    return "JDK file reads (sealed model roots)";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("java/io/", "sun/nio/fs/");
  }

  @Override
  public String supportedVersions() {
    return "JDK 17 to 25";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
