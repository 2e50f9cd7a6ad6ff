package dev.modelseal.it.apps;

import dev.modelseal.examples.LoadModel;
import java.util.Arrays;

/**
 * An application that tries to loosen ModelSeal after start: {@code SetPropertyThenLoad OTHER_KEY MODE MODEL} sets
 * {@code modelseal.mode=audit} and {@code modelseal.key=OTHER_KEY} in main, then runs {@code LoadModel MODE MODEL}.
 */
public final class SetPropertyThenLoad {
  private SetPropertyThenLoad() {}

  public static void main(String[] args) {
    System.setProperty("modelseal.mode", "audit");
    System.setProperty("modelseal.key", args[0]);
    System.out.println("properties set: modelseal.mode=" + System.getProperty("modelseal.mode"));
    LoadModel.main(Arrays.copyOfRange(args, 1, args.length));
  }
}
