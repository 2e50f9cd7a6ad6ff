package dev.modelseal.examples;

import java.nio.file.Path;

/**
 * Runs {@link LoadModel} under a SecurityManager that refuses Java reads of the model file, standing in for the
 * future agent's refusal: {@code DenyModelReadMain MODE MODEL}.
 */
public final class DenyModelReadMain {
    private DenyModelReadMain() {
    }

    @SuppressWarnings("removal")
    public static void main(String[] args) {
        String denied = Path.of(args[1]).toAbsolutePath().toString();
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkPermission(java.security.Permission perm) {
                // allow everything else
            }

            @Override
            public void checkRead(String file) {
                if (Path.of(file).toAbsolutePath().toString().equals(denied)) {
                    throw new SecurityException("read denied: " + file);
                }
            }
        });
        LoadModel.main(args);
    }
}
