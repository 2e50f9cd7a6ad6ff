package dev.modelseal.it.apps;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ConcurrentLoads THREADS ROUNDS SWAP_TARGET SWAP_NEXT SWAP_SIGNED SWAP_EVIL KIND...}, each KIND
 * {@code name|mode|signedModel|badModel}: loads every kind once with its signed model ({@code warm}), then starts
 * THREADS threads together, each loading every kind ROUNDS times with LoadModel's mode, the signed or the bad model
 * by turns ({@code (thread + round + kind) % 2}), while another thread keeps renaming a copy of SWAP_EVIL, then of
 * SWAP_SIGNED, made at SWAP_NEXT (outside the model roots), over SWAP_TARGET. Prints {@code LOAD <thread> <round> <kind> <signed|bad> <outcome>} per load (the
 * outcome line LoadModel prints), then {@code DONE} or {@code TIMEOUT} (with the stuck threads' stacks) after at
 * most 240 s, {@code SWAPS <n>}, and {@code PIN <folder> <files>} for each folder of this JVM's pin root.
 */
public final class ConcurrentLoads {
  private ConcurrentLoads() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path swapTarget = Path.of(args[2]);
    Path next = Path.of(args[3]);
    Path[] swapFrom = {Path.of(args[5]), Path.of(args[4])}; // evil first, then signed again
    List<String[]> kinds = Stream.of(args).skip(6).map(k -> k.split("\\|")).toList();
    for (String[] k : kinds) {
      print("warm", 0, k, true);
    }
    long[] swaps = {0};
    Thread swapper = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Files.copy(swapFrom[(int) (swaps[0] % 2)], next, StandardCopyOption.REPLACE_EXISTING);
          Files.move(next, swapTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          swaps[0]++;
        }
      } catch (Exception e) {
        System.out.println("SWAPPER " + e);
      }
    }, "swapper");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      String thread = Integer.toString(t);
      int offset = t;
      pool.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < kinds.size(); k++) {
            print(thread, r, kinds.get(k), (offset + r + k) % 2 == 0);
          }
        }
      });
    }
    swapper.start();
    start.countDown();
    pool.shutdown();
    boolean done = pool.awaitTermination(240, TimeUnit.SECONDS);
    swapper.interrupt();
    swapper.join();
    System.out.println(done ? "DONE" : "TIMEOUT");
    if (!done) {
      for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        System.out.print(info);
      }
    }
    System.out.println("SWAPS " + swaps[0]);
    listPins();
    System.out.flush();
    if (!done) {
      Runtime.getRuntime().halt(1); // a stuck loader thread must not keep the JVM up
    }
    System.exit(0);
  }

  private static void print(String thread, int round, String[] kind, boolean signed) {
    String outcome = FlipWhileLoading.LoadOutcome.of(kind[1], Path.of(signed ? kind[2] : kind[3]));
    System.out.println("LOAD " + thread + " " + round + " " + kind[0] + " " + (signed ? "signed" : "bad") + " "
        + outcome);
  }

  /** {@code PIN <folder> [<files, relative, sorted>]} for each numbered folder of this JVM's pin root. */
  private static void listPins() throws Exception {
    String prefix = "modelseal-pins-" + ProcessHandle.current().pid() + "-";
    try (Stream<Path> roots = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      for (Path root : roots.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        try (Stream<Path> folders = Files.list(root)) {
          for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
            try (Stream<Path> files = Files.walk(folder)) {
              System.out.println("PIN " + folder.getFileName() + " " + files.filter(Files::isRegularFile)
                  .map(f -> folder.relativize(f).toString()).sorted().toList());
            }
          }
        }
      }
    }
  }
}
