package dev.modelseal.it;

import dev.modelseal.testkit.OrtAdapters;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Every load kind LoadModel supports, each with a signed model and a bad one (tampered or unsigned) under one
 * models root, and what each must give: the signed model's prediction, the bad one's exact refusal, how many
 * decision lines and pin folders a load leaves. Each bad model's bytes are its own, so an in-memory load of them
 * matches at most that one file. The swap kinds load one signed location that another thread keeps replacing with
 * the attacker's y = x + 2 and back: either outcome, never the attacker's output.
 */
final class LoadKinds {
  static final String ADAPTED = "prediction: [101.0, 102.0, 103.0, 104.0]";

  /**
   * One kind: LoadModel's {@code mode} on {@code signed} or {@code bad}; decision lines and pin folders per loaded
   * and per refused load (a refused load keeps only the folders of what it loaded before the refusal).
   */
  record Kind(String name, String mode, Path signed, Path bad, String prediction, String refused, int decisions,
      int refusedDecisions, int pins, int refusedPins) {
    boolean swapped() {
      return signed.equals(bad);
    }

    /** The app's argument {@code name|mode|signed|bad}. */
    String arg() {
      return name + "|" + mode + "|" + signed + "|" + bad;
    }
  }

  /** What the swap kinds' location holds when the attacker has swapped it. */
  static final byte[] SWAP_EVIL = Fixtures.onnxPlusTwo();

  private LoadKinds() {}

  /** Creates every kind's models under {@code root} (a real path), signed by {@code trusted}. */
  static List<Kind> create(Path root, Fixtures.Signer trusted) throws IOException {
    String invalid = ": signature does not verify with key " + trusted.keyId() + " (tried " + Expectations.ALGORITHMS
        + ")";
    int onnx = TinyModels.onnx().length;
    Path file = TinyModels.writeOnnx(root.resolve("file/add.onnx"));
    trusted.sig(file);
    Path badFile = TinyModels.writeOnnx(root.resolve("bad-file/add.onnx"));
    trusted.sig(badFile);
    Fixtures.write(badFile, Refusal.tamperedOnnx());
    Path dir = trusted.signTree(TinyModels.onnxModelDir(root.resolve("dir")));
    Path badDir = trusted.signTree(TinyModels.onnxModelDir(root.resolve("bad-dir")));
    Fixtures.write(badDir.resolve("libs/extra.jar"), "PK\u0005\u0006 not a jar".getBytes(StandardCharsets.UTF_8));
    Path pt = trusted.signTree(TinyModels.torchScriptModelDir(root.resolve("pt")));
    Path badPt = trusted.signTree(TinyModels.torchScriptModelDir(root.resolve("bad-pt")));
    Fixtures.write(badPt.resolve("model.pt"), Refusal.tampered(ModelCase.PYTORCH_CRITERIA));
    Path ext = externalData(root.resolve("ext"), trusted);
    Path badExt = externalData(root.resolve("bad-ext"), trusted);
    Fixtures.write(badExt.resolveSibling("weights.bin"), TinyModels.externalBias(100f, 100f, 100f, 100f));
    int extLength = Fixtures.read(ext).length;
    Path lora = adapter(root.resolve("lora"), 100f);
    trusted.signTree(lora.getParent());
    Path badLora = adapter(root.resolve("bad-lora"), 50f);
    trusted.sig(badLora.resolveSibling("model.onnx"));
    int loraLength = Fixtures.read(lora).length;
    Path zip = Archives.write(root.resolve("zip/model.zip"), TinyModels.onnx());
    trusted.sig(zip);
    Path badZip = Archives.write(root.resolve("bad-zip/model.zip"), TinyModels.onnx());
    trusted.sig(badZip);
    Archives.write(badZip, Fixtures.onnxPlusTwo());
    Path swap = TinyModels.writeOnnx(root.resolve("swap/model.onnx"));
    trusted.sig(swap);

    String p = Fixtures.PREDICTION;
    String unsignedAdapter = "no signed model of " + loraLength + " bytes under [" + root + "] matches ";
    String badWeights = "external data weights.bin: weights.bin" + invalid;
    // DJL's kinds first: its ONNX Runtime engine must create ORT's environment (with its thread pool options).
    return List.of(
        new Kind("model-load-path", "model-load-path", file, badFile, p,
            refused("SIGNATURE_INVALID", badFile, "add.onnx" + invalid), 1, 1, 1, 0),
        // DJL checks the stream, then ORT the byte[] DJL read from the verified stream.
        new Kind("model-load-stream", "model-load-stream", file, badFile, p,
            refused("SIGNATURE_INVALID", "<stream>", badFile + invalid), 2, 1, 0, 0),
        new Kind("criteria", "criteria", dir, badDir, p, refused("UNSIGNED", badDir,
            "libs/extra.jar: not signed (no libs/extra.jar.sigstore.json or libs/extra.jar.sig)"), 1, 1, 1, 0),
        new Kind("pytorch-criteria", "pytorch-criteria", pt, badPt, p,
            refused("SIGNATURE_INVALID", badPt, "model.pt" + invalid), 1, 1, 1, 0),
        new Kind("ort-path", "ort-path", file, badFile, p, refused("SIGNATURE_INVALID", badFile, "add.onnx" + invalid),
            1, 1, 1, 0),
        new Kind("ort-bytes", "ort-bytes", file, badFile, p,
            refused("SIGNATURE_INVALID", "<byte[] " + onnx + " bytes>", badFile + invalid), 1, 1, 0, 0),
        new Kind("ort-buffer", "ort-buffer", file, badFile, p,
            refused("SIGNATURE_INVALID", "<ByteBuffer " + onnx + " bytes>", badFile + invalid), 1, 1, 0, 0),
        // The weights are verified as a location of their own, linked beside the pinned model (or into the folder
        // the session option is pointed at), and their own pin folder deleted.
        new Kind("ort-path-external-data", "ort-path", ext, badExt, p,
            refused("SIGNATURE_INVALID", badExt, badWeights), 1, 1, 1, 0),
        new Kind("ort-bytes-folder", "ort-bytes-folder", ext, badExt, p,
            refused("SIGNATURE_INVALID", "<byte[] " + extLength + " bytes>", badWeights), 1, 1, 1, 0),
        // The LoRA modes load the model.onnx beside the adapter first (allowed, pinned), then the adapter.
        new Kind("ort-lora-path", "ort-lora-path", lora, badLora, ADAPTED, refused("UNSIGNED", badLora,
            "bias.onnx_adapter: not signed (no bias.onnx_adapter.sigstore.json or bias.onnx_adapter.sig)"),
            2, 2, 2, 1),
        new Kind("ort-lora-bytes", "ort-lora-bytes", lora, badLora, ADAPTED, refused("UNSIGNED",
            "<byte[] " + loraLength + " bytes>", unsignedAdapter + "<byte[] " + loraLength + " bytes>"
                + Expectations.ALLOW_IN_MEMORY), 2, 2, 1, 1),
        new Kind("ort-lora-buffer", "ort-lora-buffer", lora, badLora, ADAPTED, refused("UNSIGNED",
            "<ByteBuffer " + loraLength + " bytes>", unsignedAdapter + "<ByteBuffer " + loraLength + " bytes>"
                + Expectations.ALLOW_IN_MEMORY), 2, 2, 1, 1),
        // The pinned archive, and the folder the agent extracts it into.
        new Kind("criteria-url-zip", "criteria-url", zip, badZip, p,
            refused("SIGNATURE_INVALID", badZip, "model.zip" + invalid), 1, 1, 2, 0),
        new Kind("swap-ort-path", "ort-path", swap, swap, p, refused("SIGNATURE_INVALID", swap, "model.onnx" + invalid),
            1, 1, 1, 0),
        new Kind("swap-model-load-path", "model-load-path", swap, swap, p,
            refused("SIGNATURE_INVALID", swap, "model.onnx" + invalid), 1, 1, 1, 0));
  }

  private static String refused(String reason, Object location, String detail) {
    return Fixtures.REJECTED + reason + "): " + location + ": " + detail;
  }

  /** {@code dir/model.onnx} naming {@code weights.bin} (bias 1) for its bias, signed with it. */
  private static Path externalData(Path dir, Fixtures.Signer trusted) {
    Fixtures.write(dir.resolve("weights.bin"), TinyModels.externalBias(1f, 1f, 1f, 1f));
    Path model = Fixtures.write(dir.resolve("model.onnx"), TinyModels.onnxWithExternalBias("weights.bin"));
    trusted.signTree(dir);
    return model;
  }

  /** {@code dir/model.onnx} (bias overridable) and {@code dir/bias.onnx_adapter} (B = bias), unsigned. */
  private static Path adapter(Path dir, float bias) {
    Fixtures.write(dir.resolve("model.onnx"), TinyModels.onnxWithOverridableBias());
    return Fixtures.write(dir.resolve("bias.onnx_adapter"), OrtAdapters.loraAdapter("B",
        new float[] {bias, bias, bias, bias}));
  }

  /** The digests of every in-memory model the runtime may receive: the signed ONNX models and the adapter. */
  static List<String> signedDigests() {
    return List.of(Fixtures.sha256(TinyModels.onnx()), Fixtures.sha256(TinyModels.onnxWithExternalBias("weights.bin")),
        Fixtures.sha256(OrtAdapters.loraAdapter("B", new float[] {100f, 100f, 100f, 100f})));
  }
}
