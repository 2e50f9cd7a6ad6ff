package dev.modelseal.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelseal.it.apps.SealedRead;
import dev.modelseal.testkit.ForkedJvm;
import dev.modelseal.testkit.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sealed model roots (the default, {@code sealed-roots} unset): every Java read API, in a JVM started with the
 * packaged agent, gets a signed file's bytes under a model root, is refused a tampered or unsigned one (exact
 * message, logged {@code deny}), reads an exempt file (logged {@code exempt}), a file outside the roots and a
 * signature sidecar (neither logged); {@code FileChannel.map} of a large file under a root maps the verified bytes;
 * a runtime given bytes the application read under a root gets them only if that read passed;
 * {@code sealed-roots=false} leaves reads to the runtime hooks.
 */
@ParameterizedClass(name = "jdk {0}")
@ValueSource(strings = {"17", "25"})
class SealedRootsIT {
  @Parameter
  String jdk;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "fis, java.io.FileInputStream.open",
      "fis-file, java.io.FileInputStream.open",
      "raf, java.io.RandomAccessFile.open",
      "new-input-stream, sun.nio.fs.UnixFileSystemProvider.newByteChannel",
      "new-byte-channel, sun.nio.fs.UnixFileSystemProvider.newByteChannel",
      "read-all-bytes, sun.nio.fs.UnixFileSystemProvider.newByteChannel",
      "read-string, sun.nio.fs.UnixFileSystemProvider.newByteChannel",
      "lines, sun.nio.fs.UnixFileSystemProvider.newFileChannel",
      "file-channel, sun.nio.fs.UnixFileSystemProvider.newFileChannel",
      "map, sun.nio.fs.UnixFileSystemProvider.newFileChannel",
      "async, sun.nio.fs.UnixFileSystemProvider.newAsynchronousFileChannel"})
  void read_eachApiUnderAndOutsideRoot_signedReadsRefusalsExactExemptLoggedOutsideUntouched(String api, String hook)
      throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path signedFile = Fixtures.write(root.resolve("signed.bin"), content(1, 40_000));
    Path sidecar = trusted.sig(signedFile);
    Path tampered = Fixtures.write(root.resolve("tampered.bin"), content(2, 40_000));
    trusted.sig(tampered);
    byte[] changed = content(2, 40_000);
    changed[123] ^= 1;
    Fixtures.write(tampered, changed);
    Path unsigned = Fixtures.write(root.resolve("unsigned.bin"), content(3, 40_000));
    Path exempt = Fixtures.write(Files.createDirectories(root.resolve("exempt")).resolve("free.bin"), content(4, 5000));
    Path outside = Fixtures.write(Files.createDirectories(tmp.resolve("elsewhere")).resolve("plain.bin"), content(5, 5000));
    Path log = tmp.resolve("decisions.jsonl");
    Path config = Fixtures.write(tmp.resolve("agent.conf"), "key.trusted = " + trusted.publicKeyFile + "\nmodels = "
        + root + "\nexempt = " + root.resolve("exempt") + "\naudit-log = " + log + "\n");

    ForkedJvm.Result r = Fixtures.child(jdk, SealedRead.class.getName(), api, signedFile.toString(),
            tampered.toString(), unsigned.toString(), exempt.toString(), outside.toString(), sidecar.toString())
        .jvmArgs(Fixtures.agent("config=" + config)).run();

    assertEquals(String.join(Fixtures.NL,
        "read " + signedFile + " " + SealedRead.digest(api, signedFile),
        "rejected: model rejected (SIGNATURE_INVALID): " + tampered + ": tampered.bin: signature does not verify with key "
            + trusted.keyId() + " (tried [ECDSA_P256_SHA256])",
        "rejected: model rejected (UNSIGNED): " + unsigned + ": unsigned.bin: not signed (no unsigned.bin.sigstore.json"
            + " or unsigned.bin.sig)",
        "read " + exempt + " " + SealedRead.digest(api, exempt),
        "read " + outside + " " + SealedRead.digest(api, outside),
        "read " + sidecar + " " + SealedRead.digest(api, sidecar)) + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of(
        hook + " allow null " + signedFile,
        hook + " deny SIGNATURE_INVALID " + tampered,
        hook + " deny UNSIGNED " + unsigned,
        hook + " exempt null " + exempt), summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void map_largeSignedFileUnderRoot_mapsVerifiedBytes() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path large = Fixtures.write(root.resolve("large.bin"), content(6, 64 << 20));
    trusted.sig(large);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, SealedRead.class.getName(), "map", large.toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals("read " + large + " " + Fixtures.sha256(Fixtures.read(large)) + Fixtures.NL, r.stdout(), r::toString);
    assertEquals(List.of("sun.nio.fs.UnixFileSystemProvider.newFileChannel allow null " + large),
        summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void read_unsignedFileUnderRootInAuditMode_readsOriginalAndLogsAuditDeny() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path unsigned = Fixtures.write(root.resolve("unsigned.bin"), content(7, 1000));
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, SealedRead.class.getName(), "read-all-bytes", unsigned.toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "audit", log)).run();

    assertEquals("read " + unsigned + " " + Fixtures.sha256(Fixtures.read(unsigned)) + Fixtures.NL, r.stdout(),
        r::toString);
    assertEquals(List.of("sun.nio.fs.UnixFileSystemProvider.newByteChannel audit-deny UNSIGNED " + unsigned),
        summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void read_filesInOmsSignedDirectory_eachCheckedAgainstManifestAlone() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path dir = Files.createDirectories(root.resolve("oms"));
    Path good = Fixtures.write(dir.resolve("a.bin"), content(8, 3000));
    Path changed = Fixtures.write(dir.resolve("b.bin"), content(9, 3000));
    OmsFixtures.signDirectory(trusted, dir);
    Fixtures.write(changed, content(10, 3000));
    Path extra = Fixtures.write(dir.resolve("c.bin"), content(11, 3000));
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, SealedRead.class.getName(), "read-all-bytes", good.toString(),
            changed.toString(), extra.toString(), dir.resolve("model.sig").toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(String.join(Fixtures.NL,
        "read " + good + " " + Fixtures.sha256(Fixtures.read(good)),
        "rejected: model rejected (MANIFEST_MISMATCH): " + changed + ": model.sig: model does not match its signature:"
            + " modified files: b.bin",
        "rejected: model rejected (UNSIGNED): " + extra + ": c.bin is not covered by " + dir.resolve("model.sig"),
        "read " + dir.resolve("model.sig") + " " + Fixtures.sha256(Fixtures.read(dir.resolve("model.sig"))))
        + Fixtures.NL, r.stdout(), r::toString);
    String hook = "sun.nio.fs.UnixFileSystemProvider.newByteChannel";
    assertEquals(List.of(hook + " allow null " + good, hook + " deny MANIFEST_MISMATCH " + changed,
        hook + " deny UNSIGNED " + extra), summary(Fixtures.decisions(log)), r::toString);
  }

  @Test
  void read_tamperedFileUnderRootWithSealedRootsFalse_readsOriginalUnlogged() throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path tampered = Fixtures.write(root.resolve("tampered.bin"), content(12, 1000));
    trusted.sig(tampered);
    Fixtures.write(tampered, content(13, 1000));
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.child(jdk, SealedRead.class.getName(), "read-all-bytes", tampered.toString())
        .jvmArgs(Fixtures.agent(trusted.publicKeyFile, root, "enforce", log) + ",sealed-roots=false").run();

    assertEquals("read " + tampered + " " + Fixtures.sha256(Fixtures.read(tampered)) + Fixtures.NL, r.stdout(),
        r::toString);
    assertEquals(List.of(), Fixtures.decisions(log), r::toString);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ort-bytes, ai.onnxruntime.OrtEnvironment.createSession", "model-load-stream,"
      + " ai.djl.onnxruntime.engine.OrtModel.load ai.onnxruntime.OrtEnvironment.createSession"})
  void load_signedModelReadByTheApplicationUnderRoot_readCheckedThenRuntimeHookAllows(String mode, String hooks)
      throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path model = Fixtures.write(root.resolve("add.onnx"), TinyModels.onnx());
    trusted.sig(model);
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(Fixtures.PREDICTION + Fixtures.NL, r.stdout(), r::toString);
    List<String> expected = new ArrayList<>(List.of("sun.nio.fs.UnixFileSystemProvider.newByteChannel allow null "
        + model));
    String location = mode.equals("ort-bytes") ? "<byte[] 133 bytes>" : "<stream>";
    for (String hook : hooks.split(" ")) {
      expected.add(hook + " allow null " + (hook.endsWith("createSession") ? "<byte[] 133 bytes>" : location));
    }
    assertEquals(expected, summary(Fixtures.decisions(log)), r::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ort-bytes", "model-load-stream"})
  void load_tamperedModelReadByTheApplicationUnderRoot_refusedAtTheReadBeforeTheRuntimeGetsBytes(String mode)
      throws Exception {
    Fixtures.Signer trusted = new Fixtures.Signer(tmp, "trusted");
    Path root = Files.createDirectories(tmp.resolve("models"));
    Path model = Fixtures.write(root.resolve("add.onnx"), TinyModels.onnx());
    trusted.sig(model);
    Fixtures.write(model, Fixtures.onnxPlusTwo());
    Path log = tmp.resolve("decisions.jsonl");

    ForkedJvm.Result r = Fixtures.loadModel(jdk, mode, model)
        .jvmArgs(ProbeJar.agentArg(), Fixtures.agent(trusted.publicKeyFile, root, "enforce", log)).run();

    assertEquals(3, r.exitCode(), r::toString);
    assertEquals(List.of(Fixtures.REJECTED + "SIGNATURE_INVALID): " + model + ": add.onnx: signature does not verify"
        + " with key " + trusted.keyId() + " (tried " + Expectations.ALGORITHMS + ")"),
        Fixtures.linesStarting(r.stderr(), "rejected: "), r::toString);
    assertEquals(List.of(), Fixtures.linesStarting(r.stderr(), "PROBE runtime-received"), r::toString);
    assertEquals(List.of("sun.nio.fs.UnixFileSystemProvider.newByteChannel deny SIGNATURE_INVALID " + model),
        summary(Fixtures.decisions(log)), r::toString);
  }

  /** {@code runtime decision reason model} of each decision. */
  private static List<String> summary(List<Map<String, Object>> decisions) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> d : decisions) {
      out.add(d.get("runtime") + " " + d.get("decision") + " " + d.get("reason") + " " + d.get("model"));
    }
    return out;
  }

  /** Deterministic bytes with line breaks of both kinds among them, so that {@code lines} has lines to split. */
  private static byte[] content(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    for (int i = 0; i < size; i += 97) {
      b[i] = (byte) (i % 2 == 0 ? '\n' : '\r');
    }
    return b;
  }
}
