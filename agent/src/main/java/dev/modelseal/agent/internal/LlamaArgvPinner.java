package dev.modelseal.agent.internal;

import dev.modelseal.agent.internal.LlamaArguments.Kind;
import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks one java-llama.cpp argument vector on its way to the native {@code loadModel} ({@link LlamaArguments}
 * says what llama.cpp reads): each file is verified as a model location by {@link Gate#checkPath} (its own
 * signature, or its directory's {@code model.sig}; one decision-log line per file, named by the hook and the flag)
 * and its argument replaced by the pinned copy; downloads are refused ({@code UNSUPPORTED_SOURCE}, naming the flag
 * or the environment variable). Every shard of a split model is verified, and the pinned copies are put together
 * in one pin folder under their original names, where llama.cpp finds the siblings of the first.
 *
 * <p>Every token is looked at as a possible flag, not only those at a flag's position: a value that happens to
 * spell a flag makes the next token checked too (and refused if it is no signed file), never skipped. The
 * environment variables llama.cpp reads become flags of the returned vector (which wins over them), with the pinned
 * file; when nothing names a model, llama.cpp's default path is checked the same way.
 *
 * <p>Enforce mode: the first refusal throws, and the pin folders this vector got so far are deleted. Audit mode:
 * refusals are logged and the original arguments go through. The result is always a new array.
 */
final class LlamaArgvPinner {
  private final Gate gate;
  private final Pinner pinner;
  private final boolean audit;
  private final Map<String, String> environment;
  /** When the check of this vector began (the pinner is made for it): every refusal is timed from here. */
  private final long start = System.nanoTime();
  /** Pin folders this vector got: deleted if a later argument is refused. */
  private final List<Path> made = new ArrayList<>();

  LlamaArgvPinner(Gate gate, AgentSettings settings, Pinner pinner, Map<String, String> environment) {
    this.gate = gate;
    this.pinner = pinner;
    this.audit = settings.mode() == AgentSettings.Mode.AUDIT;
    this.environment = environment;
  }

  String[] check(String hook, String[] argv) {
    if (argv == null) {
      return gate.reject(hook, "<no arguments>", RejectReason.UNSUPPORTED_SOURCE, "no llama.cpp arguments", start,
          null);
    }
    try {
      return checkAll(hook, argv);
    } catch (RuntimeException | Error e) {
      for (Path p : made) {
        pinner.discardPinOf(p);
      }
      throw e;
    }
  }

  private String[] checkAll(String hook, String[] argv) {
    List<String> out = new ArrayList<>(Arrays.asList(argv));
    boolean model = false;
    boolean source = false;
    // argv[0] is the program name, which llama.cpp skips.
    for (int i = 1; i < argv.length; i++) {
      Kind kind = argv[i] == null ? Kind.OTHER : LlamaArguments.kind(argv[i]);
      if (kind == Kind.SOURCE) {
        source = true;
        gate.reject(hook + " " + argv[i], argv[i], RejectReason.UNSUPPORTED_SOURCE, "llama.cpp would download the"
            + " model, which ModelSeal cannot verify: load a signed local GGUF file with --model", start, argv);
      } else if (kind != Kind.OTHER && i + 1 < argv.length) {
        out.set(i + 1, checkFile(hook + " " + argv[i], argv[i], argv[i + 1], kind == Kind.MODEL));
        model |= LlamaArguments.isMainModel(argv[i]);
      }
    }
    for (String variable : LlamaArguments.SOURCE_VARIABLES) {
      if (environment.containsKey(variable)) {
        source = true;
        gate.reject(hook + " " + variable, variable, RejectReason.UNSUPPORTED_SOURCE, "environment variable: llama.cpp"
            + " would download the model, which ModelSeal cannot verify: load a signed local GGUF file with --model",
            start, argv);
      }
    }
    for (Map.Entry<String, String> e : LlamaArguments.FILE_VARIABLES.entrySet()) {
      if (environment.containsKey(e.getKey()) && !sets(argv, e.getValue())) {
        String flag = e.getValue();
        out.add(flag);
        out.add(checkFile(hook + " " + e.getKey(), flag, environment.get(e.getKey()), !flag.endsWith("-file")));
        model |= flag.equals("--model");
      }
    }
    if (!model && !source) {
      out.add("--model");
      out.add(checkFile(hook + " (default model)", "--model", LlamaArguments.DEFAULT_MODEL, true));
    }
    return out.toArray(new String[0]);
  }

  /** Whether a token of {@code argv} sets what the long {@code flag} sets. */
  private static boolean sets(String[] argv, String flag) {
    for (int i = 1; i < argv.length; i++) {
      if (argv[i] != null && LlamaArguments.sameSetting(argv[i], flag)) {
        return true;
      }
    }
    return false;
  }

  /** Checks the file argument of {@code flag}; returns what llama.cpp gets instead. */
  private String checkFile(String hook, String flag, String value, boolean model) {
    if (value == null) {
      return gate.reject(hook, "<null>", RejectReason.PATH_REFUSED, "no file after " + flag, start, null);
    }
    String f = LlamaArguments.normalize(flag);
    if (value.indexOf(',') >= 0 && (f.startsWith("--lora") || f.startsWith("--control-vector"))) {
      return gate.reject(hook, value, RejectReason.PATH_REFUSED, "a ',' in the file of " + flag + " is refused:"
          + " newer llama.cpp builds read it as a list of files (java-llama.cpp 4.2.0 writes path,scale there,"
          + " which its own llama.cpp cannot parse)", start, value);
    }
    Path path;
    try {
      path = Paths.get(value);
    } catch (InvalidPathException e) {
      return gate.reject(hook, value, RejectReason.PATH_REFUSED, "not a valid path", start, value);
    }
    if (Files.isDirectory(path)) {
      return gate.reject(hook, path.toAbsolutePath().toString(), RejectReason.PATH_REFUSED, "a directory: llama.cpp"
          + " reads one GGUF file after " + flag, start, value);
    }
    List<Path> shards = model ? LlamaArguments.shards(path) : List.of(path);
    return shards.size() == 1 ? pin(hook, path).toString() : pinSplit(hook, value, path, shards);
  }

  /** {@link Gate#checkPath}, remembering a pin folder it made. */
  private Path pin(String hook, Path path) {
    boolean alreadyPinned = alreadyPinned(path);
    Path checked = gate.checkPath(hook, path);
    if (!alreadyPinned && pinner.isPinned(checked)) {
      made.add(checked);
    }
    return checked;
  }

  private boolean alreadyPinned(Path path) {
    try {
      return pinner.isPinned(path.toAbsolutePath().toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Verifies every shard of a split model and links the pinned copies into one new pin folder under their
   * original names; returns the first shard's path there. A shard already in the verified copy of an earlier
   * shard's signed directory ({@code model.sig}) is taken from it, not verified again.
   */
  private String pinSplit(String hook, String value, Path first, List<Path> shards) {
    List<Path> pinned = new ArrayList<>();
    int unpinned = 0;
    for (Path shard : shards) {
      Path sibling = pinned.isEmpty() ? null : pinned.get(0).resolveSibling(shard.getFileName().toString());
      Path p = sibling != null && pinner.isPinned(pinned.get(0)) && Files.isRegularFile(sibling,
          LinkOption.NOFOLLOW_LINKS) ? sibling : pin(hook, shard);
      unpinned += pinner.isPinned(p) ? 0 : 1;
      pinned.add(p);
    }
    if (unpinned == shards.size() || (unpinned > 0 && audit)) {
      return value; // all exempt, or refused in audit mode
    }
    if (unpinned > 0) {
      return gate.reject(hook, first.toAbsolutePath().toString(), RejectReason.PATH_REFUSED, "the shards of a"
          + " split model must all be verified, or all be under an exempt path", start, null);
    }
    try {
      Path folder = pinner.newPinFolder();
      made.add(folder);
      for (int i = 0; i < shards.size(); i++) {
        Path target = folder.resolve(shards.get(i).getFileName().toString());
        try {
          Files.createLink(target, pinned.get(i));
        } catch (IOException | UnsupportedOperationException e) {
          pinner.copy(pinned.get(i), target);
        }
      }
      for (Path p : pinned) {
        pinner.discardPinOf(p); // each shard's own pin folder: its link (or copy) is in the split model's folder now
      }
      return folder.resolve(first.getFileName().toString()).toString();
    } catch (IOException e) {
      return gate.reject(hook, first.toAbsolutePath().toString(), RejectReason.INTERNAL_ERROR,
          "cannot put the pinned shards together: " + e, start, null);
    }
  }
}
