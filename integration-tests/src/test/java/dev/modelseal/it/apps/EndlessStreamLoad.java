package dev.modelseal.it.apps;

import ai.djl.Model;
import java.io.InputStream;
import java.util.Arrays;

/**
 * {@code EndlessStreamLoad}: hands DJL's ONNX Runtime engine an endless model stream
 * ({@code Model.load(InputStream)}) and prints {@code rejected: <message>}, or {@code loaded}.
 */
public final class EndlessStreamLoad {
  private EndlessStreamLoad() {}

  public static void main(String[] args) throws Exception {
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
    dev.modelseal.examples.ExampleSupport.keepOrtStandalone();
    try (Model m = Model.newInstance("endless", "OnnxRuntime")) {
      m.load(endless);
      System.out.println("loaded");
    } catch (RuntimeException e) {
      System.out.println("rejected: " + e.getMessage());
    }
  }
}
