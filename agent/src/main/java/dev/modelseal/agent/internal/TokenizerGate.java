package dev.modelseal.agent.internal;

import dev.modelseal.agent.internal.DecisionLog.Decision;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.bootstrap.VerifiedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@link Gate}'s checks for DJL's Hugging Face tokenizers ({@code HuggingFaceTokenizer.newInstance},
 * {@code TokenizerConfig.load}).
 *
 * <p>Paths: each tokenizer file is verified and pinned ALONE ({@link LocationVerifier#verifyAndPinFile}: its own
 * signature, or its entry in its directory's OMS {@code model.sig}, the rest of which is neither copied nor
 * read); a directory given for a
 * {@code tokenizer.json} stands for that one file, so the model weights beside it are never copied.
 *
 * <p>Streams: verified by in-memory matching ({@link Gate#checkStream}), except the stream a path overload opens on
 * the file it was just handed. DJL's {@code newInstance(Path...)} reads the pinned {@code tokenizer.json} through
 * {@code Files.newInputStream} and passes that stream to {@code newInstance(InputStream...)}, whose hook cannot see
 * where the stream comes from. So a tokenizer path check records, for its thread only, the length and SHA-256 of the
 * pinned copy it returns (read back from the read-only copy in the owner-only pin folder); the next tokenizer stream
 * check on that thread consumes the record and lets the stream through without a second verification only if the
 * stream's bytes have exactly that length and digest (compared in constant time). A record therefore vouches only for
 * bytes identical to bytes that were verified (or, for an exempt path, read from it): a stale record, left by a path
 * overload that failed before opening its stream, can let through at most one later stream of those same bytes on
 * the same thread, never other bytes. Any other stream, or a record that does not match, goes through the full
 * in-memory verification.
 *
 * <p>A BPE tokenizer's two files ({@code newInstance(Path vocab, Path merges, Map)}) are checked one after the other
 * on the same thread, the vocabulary first: a vocabulary check that pins a new copy records it for its thread, and
 * the merges check right after takes that record; if the merges are refused (and the refusal is thrown: enforce
 * mode), the vocabulary's copy is deleted too, so a refused load leaves no pin behind. In audit mode the load goes on
 * with the vocabulary's copy, which stays.
 *
 * <p>In audit mode a refused {@code tokenizer.json} path check hands DJL the original, and records its bytes as it
 * records a pinned copy's: the stream DJL then opens on them carries that decision (already logged) and is not
 * decided, or logged, a second time. One check, one decision line.
 *
 * <p>A tokenizer named by hub id ({@code newInstance(String, Map)}) would be downloaded by the native library:
 * refused in enforce mode, logged in audit mode.
 */
final class TokenizerGate {
  /** What a tokenizer path names. */
  enum Kind {
    /** A {@code tokenizer.json}, or a directory standing for its {@code tokenizer.json}. */
    TOKENIZER,
    /** One file that must exist: a BPE {@code vocab.json}. */
    FILE,
    /** A BPE {@code merges.txt}, checked right after its {@code vocab.json} (a {@link #FILE}) on the same thread. */
    MERGES,
    /** An optional {@code tokenizer_config.json}: absent stays absent. */
    CONFIG
  }

  private static final String TOKENIZER_JSON = "tokenizer.json";

  /** This thread's last tokenizer file returned by a path check (see the class comment). */
  private static final ThreadLocal<Handed> LAST_HANDED = new ThreadLocal<>();
  /** The pinned copy of the BPE vocabulary this thread's last {@link Kind#FILE} check made, for its merges check. */
  private static final ThreadLocal<Path> PINNED_VOCABULARY = new ThreadLocal<>();

  /**
   * The bytes a path check handed DJL: their length and SHA-256, and what to log when its stream arrives; {@code
   * refused}: an audit-mode refusal, already logged, so the stream is not logged again.
   */
  private record Handed(long length, byte[] sha256, String keyId, boolean exempt, boolean refused, String what) {}

  private final Gate gate;
  private final AgentSettings settings;
  private final DecisionLog log;
  private final LocationVerifier locations;
  private final Pinner pinner;
  private final Object token;

  TokenizerGate(Gate gate, AgentSettings settings, DecisionLog log, LocationVerifier locations, Pinner pinner,
      Object token) {
    this.gate = gate;
    this.settings = settings;
    this.log = log;
    this.locations = locations;
    this.pinner = pinner;
    this.token = token;
  }

  /** Verifies and pins one tokenizer file; returns the pinned copy (see {@link Kind}). */
  Path checkPath(String hook, Path path, Kind kind) {
    long start = System.nanoTime();
    Path vocabulary = PINNED_VOCABULARY.get();
    PINNED_VOCABULARY.remove();
    if (kind != Kind.MERGES) {
      return check(hook, path, kind, start);
    }
    try {
      return check(hook, path, kind, start);
    } catch (RuntimeException | Error e) {
      if (vocabulary != null) {
        pinner.discardPinOf(vocabulary); // the vocabulary's load is refused with its merges: no copy stays
      }
      throw e;
    }
  }

  private Path check(String hook, Path path, Kind kind, long start) {
    if (kind == Kind.TOKENIZER) {
      LAST_HANDED.remove();
    }
    if (path == null) {
      return gate.reject(hook, "<null>", RejectReason.UNSUPPORTED_SOURCE, "no model path", start, null);
    }
    String location = path.toAbsolutePath().normalize().toString();
    Path real;
    try {
      real = path.toAbsolutePath().toRealPath(); // resolved once: checked, pinned and logged as the same file
      if (kind == Kind.TOKENIZER && Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        real = real.resolve(TOKENIZER_JSON).toRealPath(); // as DJL does: the directory's tokenizer.json only
      }
    } catch (NoSuchFileException e) {
      return kind == Kind.CONFIG ? absent(hook, location, path, start)
          : gate.reject(hook, location, RejectReason.PATH_REFUSED, "no such file or directory", start, path);
    } catch (IOException e) {
      return gate.reject(hook, location, RejectReason.PATH_REFUSED, "cannot read: " + e, start, path);
    }
    if (pinner.isPinned(real)) {
      remember(kind, real, null, false, false);
      return real;
    }
    if (settings.isExempt(real)) {
      log.decision(hook, location, null, null, Decision.EXEMPT, null, System.nanoTime() - start,
          "under an exempt path: loading " + real);
      remember(kind, real, null, true, false);
      return real;
    }
    try {
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw new Rejection(RejectReason.PATH_REFUSED, "not a regular file");
      }
      Verdict v = locations.verifyAndPinFile(real);
      try {
        remember(kind, v.pinned(), v.keyId(), false, false);
        log.decision(hook, location, v.digest(), v.keyId(), Decision.ALLOW, null, System.nanoTime() - start,
            v.detail() + "; loading pinned copy " + v.pinned(), v.pin(), v.pinNote());
        if (kind == Kind.FILE) {
          PINNED_VOCABULARY.set(v.pinned());
        }
        return v.pinned();
      } catch (RuntimeException e) {
        LAST_HANDED.remove();
        pinner.discardPinOf(v.pinned()); // a decision log that cannot be written: no copy stays
        throw e;
      }
    } catch (Rejection r) {
      Path original = gate.reject(hook, location, r.reason, r.getMessage(), start, path); // enforce mode: throws
      remember(kind, real, null, false, true); // audit mode: DJL reads the original, its stream carries this decision
      return original;
    } catch (IOException e) {
      return gate.reject(hook, location, RejectReason.PATH_REFUSED, "cannot read: " + e, start, path);
    }
  }

  /** A {@code tokenizer.json} stream: the bytes a path check just handed this thread, or verified in memory. */
  InputStream checkStream(String hook, InputStream in) {
    Handed handed = LAST_HANDED.get();
    LAST_HANDED.remove(); // consumed by the first stream, whether it matches or not
    if (handed == null || in == null) {
      return gate.checkStream(hook, in);
    }
    long start = System.nanoTime();
    StreamChunks chunks;
    try {
      chunks = StreamChunks.read(in, handed.length());
    } catch (IOException e) {
      return gate.reject(hook, "<stream>", RejectReason.UNSUPPORTED_SOURCE, "cannot read the stream: " + e, start,
          null);
    }
    if (chunks.overLimit()) {
      return gate.checkStream(hook, chunks.thenRest(in)); // longer than the file handed: some other stream
    }
    byte[] content = chunks.join();
    byte[] digest = sha256(content);
    if (content.length != handed.length() || !MessageDigest.isEqual(digest, handed.sha256())) {
      return gate.checkStream(hook, new ByteArrayInputStream(content));
    }
    if (handed.refused()) {
      return new VerifiedInputStream(content, token); // audit mode: the path check's audit-deny is this decision
    }
    log.decision(hook, "<stream>", "sha256:" + HexFormat.of().formatHex(digest), handed.keyId(),
        handed.exempt() ? Decision.EXEMPT : Decision.ALLOW, null, System.nanoTime() - start,
        "the bytes of " + handed.what() + ", handed to this thread by its tokenizer path check",
        PinMode.MEMORY.label, null);
    return new VerifiedInputStream(content, token);
  }

  /** A tokenizer named by hub id: refused (enforce mode) or logged and let through (audit mode). */
  String refuseHubName(String hook, String name) {
    long start = System.nanoTime();
    String shown = name == null ? "<null name>" : name;
    return gate.reject(hook, shown, RejectReason.UNSUPPORTED_SOURCE, "DJL would download the tokenizer " + shown
        + " from the Hugging Face hub inside its native library, which ModelSeal cannot verify: load a signed local"
        + " tokenizer.json by its path instead", start, name);
  }

  /**
   * An optional file that does not exist (DJL then reads no tokenizer config): returns a path in a new, empty
   * owner-only pin folder, where no file can appear between this check and DJL's own test.
   */
  private Path absent(String hook, String location, Path path, long start) {
    try {
      Path none = pinner.newPinFolder().resolve(path.getFileName() == null ? "none" : path.getFileName().toString());
      log.decision(hook, location, null, null, Decision.ALLOW, null, System.nanoTime() - start,
          "no such file: nothing to verify; handing " + none + ", in an empty pin folder");
      return none;
    } catch (IOException e) {
      return gate.reject(hook, location, RejectReason.INTERNAL_ERROR, "cannot create a pin folder: " + e, start,
          path);
    }
  }

  /**
   * Records, for a {@code tokenizer.json} handed on this thread, the length and SHA-256 of {@code file} (a pinned
   * copy, an exempt file, or an original an audit-mode refusal hands on: {@code refused}) as they are now. A file
   * that cannot be read within the in-memory limit is not recorded: its stream is then verified in memory.
   */
  private void remember(Kind kind, Path file, String keyId, boolean exempt, boolean refused) {
    if (kind != Kind.TOKENIZER) {
      return;
    }
    long limit = Math.min(settings.maxInMemoryBytes(), Integer.MAX_VALUE - 8);
    try (InputStream in = Channels.newInputStream(RegularFiles.openForReading(file))) {
      StreamChunks chunks = StreamChunks.read(in, limit);
      if (!chunks.overLimit()) {
        byte[] content = chunks.join();
        LAST_HANDED.set(new Handed(content.length, sha256(content), keyId, exempt, refused, file.toString()));
      }
    } catch (IOException e) {
      // not recorded: the stream is verified in memory
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
