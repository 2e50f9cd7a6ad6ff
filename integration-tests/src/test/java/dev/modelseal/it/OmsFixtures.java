package dev.modelseal.it;

import dev.modelseal.core.CosignKeyWriter;
import dev.modelseal.core.ModelHashing;
import dev.modelseal.core.ModelManifest;
import dev.modelseal.core.ModelSigner;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.testkit.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Fixtures for OpenSSF Model Signing (OMS): a DJL ONNX Runtime model directory with a real jar in {@code libs/},
 * signed as a whole with {@code model.sig} exactly as {@code modelseal sign-model} writes it (core
 * {@link ModelSigner}, ignoring {@code model.sig}), and single files signed with an OMS bundle as
 * {@code X.sigstore.json}.
 */
final class OmsFixtures {
  static final String SIGNATURE = "model.sig";
  static final String JAR = "libs/x.jar";
  static final String SERVING = "serving.properties";
  static final String SERVING_TEXT = "engine=OnnxRuntime\n";
  static final String MODEL = "model.onnx";

  private OmsFixtures() {}

  /** Creates {@code dir} with model.onnx (y = x + 1), serving.properties and libs/x.jar; returns {@code dir}. */
  static Path djlDirectory(Path dir) {
    TinyModels.writeOnnx(dir.resolve(MODEL));
    Fixtures.write(dir.resolve(SERVING), SERVING_TEXT);
    Fixtures.write(dir.resolve(JAR), jar(null));
    return dir;
  }

  /** The hashing sign-model uses for a directory: files, sha256, {@code model.sig} ignored. */
  static ModelHashing directoryHashing() {
    return ModelHashing.files().ignorePaths(List.of(SIGNATURE)).build();
  }

  /** Signs {@code dir} as a whole with sign-model's core API and writes {@code dir/model.sig}. */
  static Path signDirectory(Fixtures.Signer signer, Path dir) {
    return Fixtures.write(dir.resolve(SIGNATURE), sign(signer, dir, directoryHashing()));
  }

  /** Signs the single file {@code file} and writes the OMS bundle to {@code file.sigstore.json}. */
  static Path signFile(Fixtures.Signer signer, Path file) {
    return Fixtures.write(Fixtures.sidecar(file, ".sigstore.json"), sign(signer, file, ModelHashing.files().build()));
  }

  private static String sign(Fixtures.Signer signer, Path model, ModelHashing hashing) {
    try {
      return ModelSigner.withKey(signer.pair.getPrivate()).sign(model, hashing, ProgressListener.NONE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest the agent logs for an OMS-signed model: {@code sha256:<manifest root digest>}. */
  static String rootDigest(Path model, ModelHashing hashing) {
    try {
      return "sha256:" + ModelManifest.compute(model, hashing, ProgressListener.NONE).rootDigestHex();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bundle's {@code publicKey.hint} for a key: hex SHA-256 of its PEM text (as model_signing writes it). */
  static String hint(Fixtures.Signer signer) {
    String digest = Fixtures.sha256(CosignKeyWriter.publicKeyPem(signer.pair.getPublic())
        .getBytes(StandardCharsets.US_ASCII));
    return digest.substring("sha256:".length());
  }

  /**
   * A real jar: a manifest and the compiled {@link LibMarker} class, plus, when {@code note} is not null, a
   * {@code note.txt} entry (a different but still valid jar).
   */
  static byte[] jar(String note) {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    String entry = LibMarker.class.getName().replace('.', '/') + ".class";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, mf);
        InputStream cls = OmsFixtures.class.getClassLoader().getResourceAsStream(entry)) {
      if (cls == null) {
        throw new IllegalStateException("class file not found: " + entry);
      }
      jar.putNextEntry(new JarEntry(entry));
      jar.write(cls.readAllBytes());
      jar.closeEntry();
      if (note != null) {
        jar.putNextEntry(new JarEntry("note.txt"));
        jar.write(note.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The class packed into the fixture jar: no dependencies beyond java.base. */
  public static final class LibMarker {
    public static final String NAME = "modelseal-it-lib-marker";

    private LibMarker() {}
  }
}
