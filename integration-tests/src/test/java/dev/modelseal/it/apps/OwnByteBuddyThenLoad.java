package dev.modelseal.it.apps;

import dev.modelseal.examples.LoadModel;
import java.nio.file.Path;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * An application with its own Byte Buddy: {@code OwnByteBuddyThenLoad MODE MODEL} defines and instantiates a class
 * with it, prints {@code app-bytebuddy <jar file> <class>}, then runs {@code LoadModel MODE MODEL}. Uses only API
 * that exists in old Byte Buddy versions.
 */
public final class OwnByteBuddyThenLoad {
  private OwnByteBuddyThenLoad() {}

  public static void main(String[] args) throws Exception {
    Class<?> made = new ByteBuddy(ClassFileVersion.JAVA_V17)
        .subclass(Object.class)
        .name("x.Y")
        .make()
        .load(OwnByteBuddyThenLoad.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
    Object instance = made.getDeclaredConstructor().newInstance();
    Path jar = Path.of(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    System.out.println("app-bytebuddy " + jar.getFileName() + " " + instance.getClass().getName());
    LoadModel.main(args);
  }
}
