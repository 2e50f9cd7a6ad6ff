package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelseal.testkit.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One JVM, 32 threads started together, each loading through every load kind LoadModel supports (LoadKinds) by
 * turns signed and bad, while another thread keeps swapping the attacker's model in and out of one signed
 * location: every signed load predicts its model's output, every bad one is refused with its exact reason and
 * message, a swapped location gives one or the other, never the attacker's output; the runtime only ever receives
 * pinned copies or verified bytes (probe); one decision line per check; no pin folder of a refused load stays;
 * all within a bound (no deadlock).
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class ConcurrentLoadsIT {
  private static final int THREADS = 32;
  private static final int ROUNDS = 2;
  private static final Pattern LOAD = Pattern.compile("LOAD (\\S+) (\\d+) (\\S+) (signed|bad) (.*)");
  private static final Pattern RECEIVED = Pattern.compile("PROBE runtime-received \\S+ (.*)");
  private static final Pattern PINNED = Pattern.compile(Pattern.quote(Fixtures.CHILD_TMP.toString())
      + "/modelseal-pins-[0-9]+-[0-9]+/[0-9]+/.+");

  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @Test
  void load_32ThreadsEveryKindSignedBadAndSwapped_eachOutcomeExactAndNoEvilBytesReachTheRuntime() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models")).toRealPath();
    List<LoadKinds.Kind> kinds = LoadKinds.create(root, trusted);
    Map<String, LoadKinds.Kind> byName = kinds.stream().collect(Collectors.toMap(LoadKinds.Kind::name, k -> k));
    Path swap = kinds.stream().filter(LoadKinds.Kind::swapped).findFirst().orElseThrow().signed();
    Path swapSigned = Fixtures.write(tmp.resolve("swap-signed.onnx"), Fixtures.read(swap));
    Path swapEvil = Fixtures.write(tmp.resolve("swap-evil.onnx"), LoadKinds.SWAP_EVIL);
    Path log = tmp.resolve("decisions.jsonl");
    List<String> args = new ArrayList<>(List.of(Integer.toString(THREADS), Integer.toString(ROUNDS), swap.toString(),
        tmp.resolve("swap-next.onnx").toString(), swapSigned.toString(), swapEvil.toString()));
    kinds.forEach(k -> args.add(k.arg()));

    ForkedJvm.Result r = Fixtures.child(jdk, "dev.modelseal.it.apps.ConcurrentLoads", args.toArray(String[]::new))
        // Sealed roots off: the subject is every runtime hook under contention, and with sealing the child's own
        // reads of the in-memory kinds' files would be checked first (SealedRootsIT).
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log) + ",sealed-roots=false")
        .timeout(Duration.ofSeconds(300)).run();

    assertEquals(0, r.exitCode(), r::toString);
    List<String> out = r.stdout().lines().toList();
    assertTrue(out.contains("DONE"), r::toString);
    assertTrue(out.stream().anyMatch(l -> l.matches("SWAPS [1-9][0-9]*")), r::toString);

    // Every load's outcome is exactly its kind's: a signed model's prediction or a bad one's refusal.
    int expectedDecisions = 0;
    int expectedDenials = 0;
    int expectedPins = 0;
    Map<String, Integer> swapOutcomes = new HashMap<>();
    List<String> loads = out.stream().filter(l -> l.startsWith("LOAD ")).toList();
    assertEquals(kinds.size() * (1 + THREADS * ROUNDS), loads.size(), r::toString);
    for (String line : loads) {
      var m = LOAD.matcher(line);
      assertTrue(m.matches(), line);
      LoadKinds.Kind k = byName.get(m.group(3));
      String outcome = m.group(5);
      boolean loaded = outcome.equals(k.prediction());
      if (k.swapped()) {
        assertTrue(loaded || outcome.equals(k.refused()), () -> line + "\nexpected " + k.prediction() + " or "
            + k.refused());
        swapOutcomes.merge(k.name() + (loaded ? " loaded" : " refused"), 1, Integer::sum);
      } else {
        assertEquals(m.group(4).equals("signed") ? k.prediction() : k.refused(), outcome, line);
      }
      expectedDecisions += loaded ? k.decisions() : k.refusedDecisions();
      expectedDenials += loaded ? 0 : 1;
      expectedPins += loaded ? k.pins() : k.refusedPins();
    }
    assertEquals(4, swapOutcomes.size(), () -> "the swap never showed both outcomes: " + swapOutcomes);

    // The runtime only ever received pinned copies or the verified bytes of signed models.
    List<String> signedDigests = LoadKinds.signedDigests();
    List<String> received = Fixtures.linesStarting(r.stderr(), "PROBE runtime-received ");
    assertTrue(received.size() >= loads.size() - expectedDenials, r::toString);
    for (String line : received) {
      var m = RECEIVED.matcher(line);
      assertTrue(m.matches(), line);
      String model = m.group(1);
      assertTrue(PINNED.matcher(model).matches() || signedDigests.contains(model.replaceAll("^\\S+ ", "")),
          () -> line + " is neither a pinned copy nor a signed model's bytes");
    }
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE error"), r::toString);

    // One decision line per check, one denial per refused load.
    List<Map<String, Object>> decisions = Fixtures.decisions(log);
    assertEquals(expectedDecisions, decisions.size(), r::toString);
    assertEquals(expectedDenials, decisions.stream().filter(d -> "deny".equals(d.get("decision"))).count());
    assertEquals(decisions.size() - expectedDenials,
        decisions.stream().filter(d -> "allow".equals(d.get("decision"))).count());

    // Only the pin folders of what was loaded remain.
    List<String> pins = out.stream().filter(l -> l.startsWith("PIN ")).toList();
    assertEquals(expectedPins, pins.size(), () -> String.join("\n", pins));
  }
}
