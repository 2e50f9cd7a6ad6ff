package dev.modelseal.it.apps;

/** Prints {@code MAIN-STARTED}: proves whether the JVM got as far as main. */
public final class MainStarted {
  private MainStarted() {}

  public static void main(String[] args) {
    System.out.println("MAIN-STARTED");
  }
}
