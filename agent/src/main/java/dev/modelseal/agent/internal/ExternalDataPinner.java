package dev.modelseal.agent.internal;

import dev.modelseal.bootstrap.RejectReason;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the external-data files a verified ONNX model names ({@link OnnxExternalData}) and puts their pinned
 * copies where ONNX Runtime will look for them, so that the runtime reads no weight that was not verified.
 * Locations that are absolute or climb out of the model's folder, and symbolic links, are refused. Each data
 * file is verified as a model location of its own ({@link LocationVerifier}: its own signature, or its
 * directory's, with the keys allowed where it lies) and linked into the pin folder under the name the model uses.
 *
 * <ul>
 *   <li>A path load: ORT reads the data beside the model it loads, the pinned copy; files already in the pinned
 *       copy (a verified directory) are used as they are.
 *   <li>An in-memory load: ORT reads the data from the folder named by the session option
 *       {@value #FOLDER_OPTION} (from the working directory without it); the files of that folder are verified,
 *       and the option is pointed at a pin folder holding their copies.
 * </ul>
 */
final class ExternalDataPinner {
  /** ONNX Runtime's session option naming the external-data folder of a model loaded from memory. */
  static final String FOLDER_OPTION = "session.model_external_initializers_file_folder_path";

  private final LocationVerifier verifier;
  private final Pinner pinner;
  /** The pin folders this agent set as {@link #FOLDER_OPTION}, to the folder each replaced. */
  private final Map<Path, Path> replacedFolders = new ConcurrentHashMap<>();

  ExternalDataPinner(LocationVerifier verifier, Pinner pinner) {
    this.verifier = verifier;
    this.pinner = pinner;
  }

  /**
   * Makes the external data of the model ORT will load from {@code pinnedModel} verified copies beside it.
   *
   * @param original the real path of the file that was verified into {@code pinnedModel}, or null when the
   *     runtime was handed a pinned copy already (its data must then be in that copy)
   * @return text for the decision log ({@code ""} when the model names no external data)
   */
  String pinForPath(Path pinnedModel, Path original) throws Rejection, IOException {
    List<String> locations = locationsOf(pinnedModel);
    if (locations.isEmpty()) {
      return "";
    }
    Path pinnedDir = pinnedModel.getParent();
    for (String location : locations) {
      Path target = pinnedDir.resolve(location).normalize();
      if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || pinner.isInPlacePin(target)) {
        continue; // verified with the directory it was pinned with
      }
      if (original == null) {
        throw new Rejection(RejectReason.UNSIGNED, "external data " + location + ": not in the verified copy "
            + pinnedDir);
      }
      link(verify(original.getParent(), location), target);
    }
    return "; external data verified: " + String.join(", ", locations);
  }

  /**
   * Verifies the external data of a verified in-memory model in the folder ORT would read it from, and points
   * {@code options} ({@code OrtSession.SessionOptions}) at a pin folder with their copies.
   *
   * @return text for the decision log ({@code ""} when the model names no external data)
   */
  String pinForContent(byte[] model, Object options) throws Rejection {
    try {
      return pinContentData(model, options);
    } catch (IOException e) {
      throw new Rejection(RejectReason.PATH_REFUSED, "external data: cannot read: " + e);
    }
  }

  private String pinContentData(byte[] model, Object options) throws Rejection, IOException {
    List<String> locations = OnnxExternalData.locations(ByteBuffer.wrap(model));
    if (locations.isEmpty()) {
      return "";
    }
    for (String location : locations) {
      refuseEscape(location);
    }
    if (options == null) {
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, "the model names external data ("
          + String.join(", ", locations) + ") but has no session options to point at its verified copy");
    }
    String configured = configEntries(options).get(FOLDER_OPTION);
    Path folder = (configured == null ? Path.of("") : Path.of(configured)).toAbsolutePath().normalize();
    Path replaced = replacedFolders.get(folder);
    if (replaced != null) {
      folder = replaced; // these options were pointed at an earlier load's copies: verify the original again
    }
    Path real;
    try {
      real = folder.toRealPath();
    } catch (IOException e) {
      throw new Rejection(RejectReason.PATH_REFUSED, "external data folder " + folder + ": cannot resolve: " + e);
    }
    Path pins = pinner.newPinFolder();
    try {
      for (String location : locations) {
        Path target = pins.resolve(location).normalize();
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) { // else another spelling of a location just pinned
          link(verify(real, location), target);
        }
      }
      addConfigEntry(options, FOLDER_OPTION, pins.toString());
    } catch (Rejection | IOException | RuntimeException e) {
      pinner.discard(pins); // a refused load leaves no pin folder, not even an empty one
      throw e;
    }
    replacedFolders.put(pins, real);
    return "; external data verified in " + real + ": " + String.join(", ", locations) + "; loading it from "
        + pins;
  }

  /**
   * Deletes the pin folder {@link #pinForContent} pointed {@code options} at, if it did (a load refused after
   * its external data was pinned); anything else the option names is left alone.
   */
  void discardPinsOf(Object options) {
    if (options == null) {
      return;
    }
    try {
      String folder = configEntries(options).get(FOLDER_OPTION);
      if (folder != null && replacedFolders.remove(Path.of(folder)) != null) {
        pinner.discard(Path.of(folder));
      }
    } catch (Rejection | RuntimeException e) {
      // best effort: the folder is owner-only and removed at exit
    }
  }

  private List<String> locationsOf(Path pinnedModel) throws Rejection, IOException {
    // An in-place pin is this agent's own link to the descriptor it verified: followed; anything else never is.
    try (FileChannel ch = pinner.isInPlacePin(pinnedModel) ? FileChannel.open(pinnedModel, StandardOpenOption.READ)
        : FileChannel.open(pinnedModel, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, "cannot read the ONNX model to find its external data:"
            + " over 2 GiB, protobuf's limit");
      }
      // A small model is read (the JVM's first mapping of a file costs a cold start more than reading it does).
      ByteBuffer model = size <= Pinner.SMALL_FILE ? readFully(ch, (int) size)
          : ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      List<String> locations = OnnxExternalData.locations(model);
      for (String location : locations) {
        refuseEscape(location);
      }
      return locations;
    }
  }

  /** The first {@code size} bytes of {@code ch}: a file that is shorter now is refused as changed. */
  private static ByteBuffer readFully(FileChannel ch, int size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(size);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("the pinned model changed while it was read for its external data");
      }
    }
    return b.flip();
  }

  private static void refuseEscape(String location) throws Rejection {
    String why = OnnxExternalData.refusal(location);
    if (why != null) {
      throw new Rejection(RejectReason.PATH_REFUSED, "external data " + location + ": " + why);
    }
  }

  /** Verifies {@code folder/location} ({@code folder} a real path) as a model location; returns its pinned copy. */
  private Path verify(Path folder, String location) throws Rejection, IOException {
    Path file = folder.resolve(location).normalize();
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new Rejection(RejectReason.PATH_REFUSED, "external data " + location + ": no such file in " + folder);
    }
    if (!real.equals(file)) {
      throw new Rejection(RejectReason.PATH_REFUSED, "external data " + location
          + ": symbolic links are not allowed (resolves to " + real + ")");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new Rejection(RejectReason.PATH_REFUSED, "external data " + location + ": not a regular file");
    }
    try {
      return verifier.verifyAndPin(real).pinned();
    } catch (Rejection r) {
      throw new Rejection(r.reason, "external data " + location + ": " + r.getMessage());
    }
  }

  /**
   * Puts the verified copy {@code pinned} at {@code target} (a hard link, or a copy where links fail), then
   * deletes the pin folder {@code pinned} was made in: the load's own pin folder is the only one left, and a
   * later refusal of the load (another data file, the decision log) deletes it with everything in it.
   */
  private void link(Path pinned, Path target) throws IOException {
    try {
      Files.createDirectories(target.getParent());
      try {
        Files.createLink(target, pinned);
      } catch (IOException | UnsupportedOperationException e) {
        pinner.copy(pinned, target);
      }
    } finally {
      pinner.discardPinOf(pinned);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> configEntries(Object options) throws Rejection {
    return (Map<String, String>) invoke(options, "getConfigEntries", new Class<?>[0]);
  }

  private static void addConfigEntry(Object options, String key, String value) throws Rejection {
    invoke(options, "addConfigEntry", new Class<?>[] {String.class, String.class}, key, value);
  }

  /** Calls a public method of ORT's {@code SessionOptions} (public class, public methods: no access override). */
  private static Object invoke(Object target, String name, Class<?>[] types, Object... args) throws Rejection {
    try {
      Method m = target.getClass().getMethod(name, types);
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, "cannot point the session options at the verified"
          + " external data: " + e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new Rejection(RejectReason.UNSUPPORTED_SOURCE, "cannot read the session options: " + e);
    }
  }
}
