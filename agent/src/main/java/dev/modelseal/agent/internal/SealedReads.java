package dev.modelseal.agent.internal;

import dev.modelseal.agent.internal.DecisionLog.Decision;
import dev.modelseal.bootstrap.ModelVerificationException;
import dev.modelseal.bootstrap.RejectReason;
import dev.modelseal.bootstrap.SealedReadGate;
import dev.modelseal.bootstrap.SealedReadHandler;
import dev.modelseal.bootstrap.SealedRoots;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sealed model roots ({@code sealed-roots=true}): every read-only open of a file under a model root
 * ({@code models} and the rule paths, as written and as real paths), through {@code FileInputStream},
 * {@code RandomAccessFile} or the default NIO provider, gets the verified, pinned copy, or a
 * {@link ModelVerificationException}. The JDK's funnels call the bridge ({@link SealedReadGate}), which
 * tests the path against the frozen roots and calls this handler only for paths under one.
 *
 * <p>Per open, on the real path (resolved once, so a link flipped afterwards changes nothing): a
 * directory passes to NIO unchanged (a {@code java.io} open fails as the JDK's would); a pinned copy, a
 * signature sidecar ({@code X.sig}, {@code X.sigstore.json}, {@code model.sig}) and an exempt path
 * (logged {@code exempt}) are opened at their real path; any other file is verified as a model location
 * of its own (its sidecar, or its directory's {@code model.sig}, with the keys and format of its
 * location, exactly as the runtime hooks do) and the copy opened instead, logged {@code allow}. A copy is
 * reused while the original is unchanged ({@link SealedPins}). Refusals are logged {@code deny} and thrown;
 * in audit mode logged {@code audit-deny} and the original is opened.
 */
final class SealedReads implements SealedReadHandler {
  /** Marks the agent's own helper threads' reads ({@link #enterOwnRead}); only this agent holds it. */
  private static final Object OWN_READ_TOKEN = new Object();
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;

  private final AgentSettings settings;
  private final DecisionLog log;
  private final Pinner pinner;
  private final LocationVerifier locations;
  private final SealedPins pins = new SealedPins();
  private final VerifyProgress progress;

  SealedReads(AgentSettings settings, DecisionLog log, ModelChecker checker) {
    this.settings = settings;
    this.log = log;
    this.progress = new VerifyProgress(log, VerifyProgress.THRESHOLD, VerifyProgress.SYSTEM);
    this.pinner = checker.pinner();
    this.locations = new LocationVerifier(settings, checker, new OmsPinner(settings, checker.pinner(), checker.filePins()));
  }

  /**
   * Freezes the roots in the bridge and installs the handler, before any JDK class is rewritten; does
   * nothing when sealing is off. The agent's own jar is never checked (its class loading must not need the
   * agent).
   */
  static void install(AgentSettings settings, DecisionLog log, ModelChecker checker, File agentJar) {
    if (!settings.sealedRoots()) {
      return;
    }
    SealedRoots roots = new SealedRoots(settings.sealedRootPaths().toArray(new String[0]),
        System.getProperty("user.dir"), new String[] {agentJar.getAbsolutePath()});
    SealedReadGate.seal(roots, settings.mode() == AgentSettings.Mode.ENFORCE);
    SealedReadGate.install(new SealedReads(settings, log, checker), OWN_READ_TOKEN);
  }

  /** Marks this thread's opens as the agent's own until {@link #exitOwnRead}; returns what to pass there. */
  static boolean enterOwnRead() {
    return SealedReadGate.enterOwnRead(OWN_READ_TOKEN);
  }

  /** Ends {@link #enterOwnRead}. */
  static void exitOwnRead(boolean wasInside) {
    SealedReadGate.exitOwnRead(wasInside);
  }

  @Override
  public String checkRead(String hook, String path, boolean nio) throws IOException {
    long start = System.nanoTime();
    if (InPlacePins.isHeldDescriptorPath(path)) {
      return path; // the agent's own hashing of a file it opened (OmsInPlace), or a descriptor already pinned
    }
    Path real;
    Map<String, Object> attributes;
    try {
      real = Path.of(path).toRealPath();
      attributes = Files.readAttributes(real, SealedPins.ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw nio ? e : javaIoError(path, e); // the open fails as it would have without the agent
    }
    if (((Integer) attributes.get("mode") & S_IFMT) == S_IFDIR) {
      if (nio) {
        return null; // a directory (listing, fsync): no model bytes
      }
      throw new FileNotFoundException(path + " (Is a directory)");
    }
    if (pinner.isPinned(real) || isSignature(real)) {
      return real.toString();
    }
    if (settings.isExempt(real)) {
      log.decision(hook, path, null, null, Decision.EXEMPT, null, System.nanoTime() - start,
          "under an exempt path: reading " + real);
      return real.toString();
    }
    VerifyProgress.Started large = null;
    try {
      SealedPins.Identity before = new SealedPins.Identity(attributes);
      Verdict v = pins.reusable(real, before);
      boolean reused = v != null;
      if (!reused) {
        large = progress.start(hook, path, real, null);
        v = locations.verifyAndPinFile(real);
        Map<String, Object> after = Files.readAttributes(real, SealedPins.ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (before.same(new SealedPins.Identity(after))) {
          pins.record(real, before, v);
        }
      }
      log.decision(hook, path, v.digest(), v.keyId(), Decision.ALLOW, null, System.nanoTime() - start,
          v.detail() + "; reading pinned copy " + v.pinned() + (reused ? " (verified before, unchanged)" : ""), v.pin(),
          v.pinNote());
      return v.pinned().toString();
    } catch (Rejection r) {
      return reject(hook, path, r.reason, r.getMessage(), start);
    } catch (IOException e) {
      return reject(hook, path, RejectReason.PATH_REFUSED, "cannot read: " + e, start);
    } catch (ModelVerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      return reject(hook, path, RejectReason.INTERNAL_ERROR, "internal error: " + e, start);
    } finally {
      progress.end(large); // after the decision line
    }
  }

  /** A signature, not model bytes: {@code model.sig}, or a sidecar of a file beside it. */
  private static boolean isSignature(Path real) {
    return real.getFileName() != null
        && (real.getFileName().toString().equals(FolderSignature.NAME) || Sidecars.isSidecar(real));
  }

  /** {@code java.io}'s form of an NIO error: a {@link FileNotFoundException} with the OS reason. */
  private static FileNotFoundException javaIoError(String path, IOException e) {
    String why = e instanceof NoSuchFileException ? "No such file or directory"
        : e instanceof AccessDeniedException ? "Permission denied" : e.getMessage();
    FileNotFoundException f = new FileNotFoundException(path + " (" + why + ")");
    f.initCause(e);
    return f;
  }

  /** Logs a refusal; throws it (enforce), or returns null so the original is opened (audit). */
  private String reject(String hook, String path, RejectReason reason, String detail, long start) {
    boolean audit = settings.mode() == AgentSettings.Mode.AUDIT;
    log.decision(hook, path, null, null, audit ? Decision.AUDIT_DENY : Decision.DENY, reason.name(),
        System.nanoTime() - start, detail);
    if (audit) {
      return null;
    }
    throw new ModelVerificationException(reason, path, detail);
  }
}
