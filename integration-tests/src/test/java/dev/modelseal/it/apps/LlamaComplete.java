package dev.modelseal.it.apps;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

/**
 * {@code LlamaComplete FLAG VALUE...}: loads a model with java-llama.cpp through {@code ModelParameters}
 * ({@code --model} {@code setModel}, {@code --lora} {@code addLoraAdapter}, {@code --model-url}
 * {@code setModelUrl}), completes a prompt and prints {@code completed}. A refusal prints
 * {@code rejected: <class> <message>} on stderr and exits 3 for a {@link SecurityException}, 1 otherwise. It
 * always ends with {@link System#exit}: java-llama.cpp's native task thread stays attached to the JVM as a
 * non-daemon thread, so returning from {@code main} never ends the JVM.
 */
public final class LlamaComplete {
  private LlamaComplete() {}

  public static void main(String[] args) {
    ModelParameters parameters = new ModelParameters().setCtxSize(64).setThreads(1);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> parameters.setModel(args[i + 1]);
        case "--lora" -> parameters.addLoraAdapter(args[i + 1]);
        case "--model-url" -> parameters.setModelUrl(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    try (LlamaModel model = new LlamaModel(parameters)) {
      model.complete(new InferenceParameters("ab").setNPredict(4).setSeed(1));
      System.out.println("completed");
      System.out.flush();
      System.exit(0);
    } catch (RuntimeException e) {
      System.err.println("rejected: " + e.getClass().getName() + " " + e.getMessage());
      System.exit(e instanceof SecurityException ? 3 : 1);
    }
  }
}
