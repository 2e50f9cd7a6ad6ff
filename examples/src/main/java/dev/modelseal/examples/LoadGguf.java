package dev.modelseal.examples;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

/**
 * Loads a GGUF model with java-llama.cpp ({@code ModelParameters.setModel}) and completes a short prompt: the
 * LLM load the large-model benchmark measures with and without the agent.
 *
 * <p>Usage: {@code LoadGguf MODEL}. Prints {@code completed: TEXT}; exits {@link LoadModel#EXIT_REJECTED} when
 * the load was refused with a {@link SecurityException}, {@link LoadModel#EXIT_FAILED} on any other failure and
 * {@link LoadModel#EXIT_USAGE} for bad usage. It always ends with {@link System#exit}: java-llama.cpp's native task
 * thread stays attached as a non-daemon thread, so returning from {@code main} would never end the JVM.
 */
public final class LoadGguf {
    private LoadGguf() {
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Loads and completes; returns the exit code instead of exiting. */
    static int run(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LoadGguf MODEL");
            return LoadModel.EXIT_USAGE;
        }
        ModelParameters parameters = new ModelParameters().setModel(args[0]).setCtxSize(64).setThreads(1);
        try (LlamaModel model = new LlamaModel(parameters)) {
            String text = model.complete(new InferenceParameters("ab").setNPredict(4).setSeed(1));
            System.out.println("completed: " + text.replaceAll("\\p{Cntrl}", " "));
            return 0;
        } catch (RuntimeException | LinkageError e) {
            System.err.println("rejected: " + ExampleSupport.describe(e));
            return ExampleSupport.findSecurityException(e) != null ? LoadModel.EXIT_REJECTED : LoadModel.EXIT_FAILED;
        }
    }
}
