package dev.modelseal.it.apps;

/**
 * Loads the class named by {@code args[0]} without initialising it (so no native library is needed), and
 * prints {@code LOADING} before and {@code LOADED <name>} after: proves whether the JVM survived the load.
 */
public final class LoadClassOnly {
  private LoadClassOnly() {}

  public static void main(String[] args) throws ClassNotFoundException {
    System.out.println("LOADING");
    System.out.flush();
    Class.forName(args[0], false, LoadClassOnly.class.getClassLoader());
    System.out.println("LOADED " + args[0]);
  }
}
