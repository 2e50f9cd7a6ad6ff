package dev.modelseal.it;

import dev.modelseal.testkit.TinyModels;
import java.nio.file.Path;
import java.util.List;

/**
 * Where each LoadModel mode finds its model: a single ONNX file, a DJL ONNX Runtime model directory or a DJL
 * PyTorch model directory, created under a models root, and what ModelSeal calls its location.
 */
enum ModelCase {
  CRITERIA("criteria", Kind.ONNX_DIR),
  MODEL_LOAD_PATH("model-load-path", Kind.ONNX_FILE),
  MODEL_LOAD_STREAM("model-load-stream", Kind.ONNX_FILE),
  ORT_PATH("ort-path", Kind.ONNX_FILE),
  ORT_BYTES("ort-bytes", Kind.ONNX_FILE),
  ORT_BUFFER("ort-buffer", Kind.ONNX_FILE),
  PYTORCH_CRITERIA("pytorch-criteria", Kind.PT_DIR);

  enum Kind { ONNX_FILE, ONNX_DIR, PT_DIR }

  final String mode;
  final Kind kind;

  ModelCase(String mode, Kind kind) {
    this.mode = mode;
    this.kind = kind;
  }

  static final List<String> MODES = List.of("criteria", "model-load-path", "model-load-stream", "ort-path",
      "ort-bytes", "ort-buffer", "pytorch-criteria");

  static ModelCase of(String mode) {
    for (ModelCase c : values()) {
      if (c.mode.equals(mode)) {
        return c;
      }
    }
    throw new IllegalArgumentException(mode);
  }

  /** Writes the (unsigned) model under {@code root} and returns the path given to LoadModel. */
  Path create(Path root) {
    return switch (kind) {
      case ONNX_FILE -> TinyModels.writeOnnx(root.resolve("add.onnx"));
      case ONNX_DIR -> TinyModels.onnxModelDir(root.resolve("onnx-dir"));
      case PT_DIR -> TinyModels.torchScriptModelDir(root.resolve("pt-dir"));
    };
  }

  /** The model file itself: the path, or the model file inside the directory. */
  Path modelFile(Path model) {
    return switch (kind) {
      case ONNX_FILE -> model;
      case ONNX_DIR -> model.resolve("model.onnx");
      case PT_DIR -> model.resolve("model.pt");
    };
  }

  /** The bytes of the model file. */
  byte[] modelBytes() {
    return kind == Kind.PT_DIR ? TinyModels.torchScript() : TinyModels.onnx();
  }

  /** The name ModelSeal shows for the model file in a rejection detail (relative to the loaded location). */
  String shownName() {
    return switch (kind) {
      case ONNX_FILE -> "add.onnx";
      case ONNX_DIR -> "model.onnx";
      case PT_DIR -> "model.pt";
    };
  }

  /** The location ModelSeal reports (decision log "model", exception location). */
  String location(Path model) {
    int n = modelBytes().length;
    return switch (this) {
      case MODEL_LOAD_STREAM -> "<stream>";
      case ORT_BYTES -> "<byte[] " + n + " bytes>";
      case ORT_BUFFER -> "<ByteBuffer " + n + " bytes>";
      default -> model.toAbsolutePath().toString();
    };
  }

  boolean inMemory() {
    return this == MODEL_LOAD_STREAM || this == ORT_BYTES || this == ORT_BUFFER;
  }
}
