package dev.modelseal.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/** One way a model can be unacceptable, and how to build it on disk. */
enum Refusal {
  /** Signed, then one byte of the model changed. */
  TAMPERED("SIGNATURE_INVALID"),
  /** Signed with a detached .sig by a key that is not trusted. */
  WRONG_KEY_SIG("SIGNATURE_INVALID"),
  /** Signed with a .sigstore.json bundle by a key that is not trusted; the bundle's hint names that key. */
  WRONG_KEY_BUNDLE("UNTRUSTED_KEY"),
  /** No signature for the model file. */
  UNSIGNED("UNSIGNED"),
  /** The .sig is not base64. */
  MALFORMED_NOT_BASE64("MALFORMED_SIGNATURE"),
  /** The .sigstore.json is not JSON. */
  MALFORMED_BUNDLE("MALFORMED_SIGNATURE"),
  /** The .sig is the base64 of a DER signature cut in half. */
  TRUNCATED_DER("MALFORMED_SIGNATURE"),
  /** The .sig is a valid signature by the trusted key, of another model. */
  OTHER_MODELS_SIGNATURE("SIGNATURE_INVALID"),
  /** A DJL model directory with an unsigned jar in libs/. */
  UNSIGNED_EXTRA_JAR("UNSIGNED");

  final String reason;

  Refusal(String reason) {
    this.reason = reason;
  }

  /**
   * Creates the model for {@code c} under {@code root}, broken in this way.
   *
   * @return the path to give LoadModel
   */
  Path prepare(ModelCase c, Path root, Fixtures.Signer trusted, Fixtures.Signer other) {
    Path model = c.create(root);
    Path file = c.modelFile(model);
    Path dir = Files2.isDirectory(model) ? model : root;
    switch (this) {
      case TAMPERED -> {
        trusted.signTree(dir);
        Fixtures.write(file, tampered(c));
      }
      case WRONG_KEY_SIG -> other.signTree(dir);
      case WRONG_KEY_BUNDLE -> {
        trusted.signTree(dir);
        Files2.delete(Fixtures.sidecar(file, ".sig"));
        other.bundle(file);
      }
      case UNSIGNED -> {
        trusted.signTree(dir);
        Files2.delete(Fixtures.sidecar(file, ".sig"));
      }
      case MALFORMED_NOT_BASE64 -> {
        trusted.signTree(dir);
        Fixtures.write(Fixtures.sidecar(file, ".sig"), "not base64!!");
      }
      case MALFORMED_BUNDLE -> {
        trusted.signTree(dir);
        Files2.delete(Fixtures.sidecar(file, ".sig"));
        Fixtures.write(Fixtures.sidecar(file, ".sigstore.json"), "{\"mediaType\": ");
      }
      case TRUNCATED_DER -> {
        trusted.signTree(dir);
        byte[] der = trusted.signature(file).signature();
        Fixtures.write(Fixtures.sidecar(file, ".sig"),
            Base64.getEncoder().encodeToString(Arrays.copyOf(der, der.length / 2)));
      }
      case OTHER_MODELS_SIGNATURE -> {
        trusted.signTree(dir);
        Path otherModel = Fixtures.write(root.getParent().resolve("elsewhere/other.onnx"), Fixtures.onnxPlusTwo());
        Fixtures.write(Fixtures.sidecar(file, ".sig"), trusted.signature(otherModel).base64());
      }
      case UNSIGNED_EXTRA_JAR -> {
        trusted.signTree(dir);
        Fixtures.write(model.resolve("libs/extra.jar"), "PK\u0005\u0006 not really a jar".getBytes(StandardCharsets.UTF_8));
      }
      default -> throw new AssertionError(this);
    }
    return model;
  }

  /** The model with one byte changed: ONNX bias B[0] 1.0 becomes 4.0; TorchScript "x, 1." becomes "x, 3.". */
  static byte[] tampered(ModelCase c) {
    byte[] b = c.modelBytes();
    if (c.kind == ModelCase.Kind.PT_DIR) {
      byte[] code = "torch.add(x, 1.)".getBytes(StandardCharsets.US_ASCII);
      int at = indexOf(b, code);
      b[at + code.length - 3] = '3';
    } else {
      byte[] one = {0, 0, (byte) 0x80, 0x3f, 0, 0, (byte) 0x80, 0x3f};
      int at = indexOf(b, one);
      b[at + 3] = 0x40;
    }
    return b;
  }

  static byte[] tamperedOnnx() {
    return tampered(ModelCase.ORT_PATH);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("pattern not found");
  }
}
