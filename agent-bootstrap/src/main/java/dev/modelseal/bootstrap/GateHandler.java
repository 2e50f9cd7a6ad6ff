package dev.modelseal.bootstrap;

import java.io.File;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * What the agent implements behind {@link ModelGate}. Every method either returns what the runtime
 * may load (a verified, pinned path; verified bytes) or throws {@link ModelVerificationException}.
 * Not for application use.
 */
public interface GateHandler {
  /** Verifies a model file or directory; returns the pinned path to load instead. */
  Path checkPath(String hook, Path path);

  /**
   * A DJL repository's path: an archive is verified, pinned and extracted from the pinned copy, and the extracted
   * directory returned; any other path is returned unchanged.
   */
  Path checkArchive(String hook, Path path);

  /** Refuses a model source that cannot be verified (enforce mode), or logs it and returns (audit mode). */
  void refuseSource(String hook);

  /** Verifies a stream's content; returns a stream over the verified bytes. */
  InputStream checkStream(String hook, InputStream in);

  /** Verifies bytes; returns the verified private copy to load instead. */
  byte[] checkBytes(String hook, byte[] bytes);

  /** Verifies a buffer's remaining bytes; returns a verified private direct copy to load instead. */
  ByteBuffer checkBuffer(String hook, ByteBuffer buffer);

  /**
   * Verifies an ONNX model's bytes for an ONNX Runtime session and the external data it names; may point
   * {@code options} (the session's {@code SessionOptions}) at the verified copies of that data.
   */
  byte[] checkOrtBytes(String hook, byte[] bytes, Object options);

  /** {@link #checkOrtBytes} for a buffer's remaining bytes; returns a verified private direct copy. */
  ByteBuffer checkOrtBuffer(String hook, ByteBuffer buffer, Object options);

  /**
   * Verifies the path of an ONNX model an ONNX Runtime session is about to load, as {@link #checkPath} does, and
   * returns either the verified path to load (a {@code String}) or a direct {@code ByteBuffer} with the verified
   * model, which the session is then created from instead (a large model on storage that would otherwise be
   * copied: one read, nothing written).
   */
  Object checkOrtPath(String hook, Path path, Object options);

  /**
   * Verifies a Hugging Face {@code tokenizer.json} (a directory stands for its {@code tokenizer.json}, and only that
   * file is verified and pinned); returns the pinned file to load instead.
   */
  Path checkTokenizer(String hook, Path path);

  /** Verifies one tokenizer file (a BPE {@code vocab.json}); returns its pinned copy. */
  Path checkTokenizerFile(String hook, Path path);

  /**
   * Verifies a BPE {@code merges.txt}, checked right after its {@code vocab.json} ({@link #checkTokenizerFile}) on the
   * same thread; returns its pinned copy. If it is refused, the vocabulary's pinned copy is deleted too.
   */
  Path checkTokenizerMerges(String hook, Path path);

  /**
   * Verifies an optional {@code tokenizer_config.json}; returns its pinned copy, or, if there is no such file, a path
   * where none can appear.
   */
  Path checkTokenizerConfig(String hook, Path path);

  /**
   * Verifies a {@code tokenizer.json} stream; returns a stream over the verified bytes. A stream of exactly the bytes
   * this thread's last tokenizer path check pinned is not verified again.
   */
  InputStream checkTokenizerStream(String hook, InputStream in);

  /** Refuses a tokenizer named by hub id, which the runtime would download (enforce mode); logs it (audit mode). */
  String refuseHubName(String hook, String name);

  /**
   * Verifies a model given as a string: its JNI modified UTF-8 encoding (what native code reads through
   * {@code GetStringUTFChars}) must be exactly a signed model's bytes; returns the string to load.
   */
  String checkStringContent(String hook, String content);

  /**
   * Checks llama.cpp's command-line style arguments (java-llama.cpp): returns a new vector in which each file it
   * names (model, draft model, LoRA adapters, control vectors, grammar and chat-template files, every shard of a
   * split model) is the verified, pinned copy; refuses sources that cannot be verified (downloads).
   */
  String[] checkLlamaArgs(String hook, String[] argv);

  /**
   * Verifies a model given as a {@link File} (Jlama's {@code ModelSupport.loadModel}): a directory, or a file whose
   * directory is verified as a whole; returns the pinned directory (or the same-named file in it).
   */
  File checkFile(String hook, File file);

  /**
   * Verifies the directory a runtime reads one named weights file from (Jlama's {@code SafeTensorIndex.loadSingleFile});
   * {@code fileName} (the method's last argument) must name a file directly in it. Returns the pinned directory, or
   * an already pinned one as it is.
   */
  Path checkWeightsFile(String hook, Path directory, Object fileName);

  /**
   * Checks the weights a model is being constructed with (Jlama's {@code AbstractModel.<init>}): only the runtime's
   * own type whose every read went through a verified location is allowed; returns normally, or refuses.
   */
  void checkWeights(String hook, Object weights);
}
