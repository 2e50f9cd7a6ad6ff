package dev.modelseal.cli;

import dev.modelseal.core.BlobVerifier;
import dev.modelseal.core.FileDigests;
import dev.modelseal.core.Json;
import dev.modelseal.core.KeyFormatException;
import dev.modelseal.core.ProgressListener;
import dev.modelseal.core.SignatureMaterial;
import dev.modelseal.core.VerificationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify-blob-attestation --key}: the bundle's DSSE envelope (one signature, in-toto payload type)
 * must verify with the given key over its pre-authentication encoding, and the in-toto statement must
 * list the file's SHA-256 digest among its subjects.
 */
final class KeyAttestations {
  static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final int MAX_SUBJECTS = 10_000;

  private KeyAttestations() {}

  static void verify(CliIo io, BlobArgument blob, String keyArg, String bundleArg, byte[] json)
      throws CliException {
    PublicKey key = Inputs.readPublicKey(io, keyArg);
    BlobVerifier verifier;
    try {
      verifier = BlobVerifier.builder(key).build();
    } catch (KeyFormatException e) {
      throw Inputs.keyError(keyArg, e);
    }
    Map<?, ?> envelope = envelope(bundleArg, json);
    String payloadType = string(envelope, "payloadType", bundleArg);
    byte[] payload = base64(string(envelope, "payload", bundleArg), "payload", bundleArg);
    if (!(envelope.get("signatures") instanceof List<?> sigs) || sigs.size() != 1
        || !(sigs.get(0) instanceof Map<?, ?> sig) || !(sig.get("sig") instanceof String sigText)) {
      throw invalid(bundleArg, "the DSSE envelope must carry exactly one signature");
    }
    byte[] pae = pae(payloadType, payload);
    try {
      verifier.verify(new ByteArrayInputStream(pae), pae.length,
          SignatureMaterial.parseDetached(sigText.getBytes(StandardCharsets.US_ASCII)), ProgressListener.NONE);
    } catch (IOException e) {
      throw new CliException("cannot verify " + bundleArg + ": " + Inputs.reason(e), e);
    } catch (VerificationException e) {
      throw new CliException("verification failed: DSSE envelope: " + e.getMessage(), e);
    }
    if (!IN_TOTO.equals(payloadType)) {
      throw new CliException("verification failed: DSSE payload type is \"" + payloadType + "\", not " + IN_TOTO);
    }
    checkSubject(io, blob, bundleArg, payload);
  }

  private static void checkSubject(CliIo io, BlobArgument blob, String bundleArg, byte[] statement)
      throws CliException {
    Object doc;
    try {
      doc = Json.parse(new String(statement, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      throw new CliException("verification failed: the in-toto statement is not valid JSON: " + e.getMessage(), e);
    }
    if (!(doc instanceof Map<?, ?> s) || !(s.get("subject") instanceof List<?> subjects) || subjects.isEmpty()
        || subjects.size() > MAX_SUBJECTS) {
      throw new CliException("verification failed: the in-toto statement in " + bundleArg + " has no subjects");
    }
    String hex = HexFormat.of().formatHex(sha256(io, blob));
    for (Object subject : subjects) {
      if (subject instanceof Map<?, ?> m && m.get("digest") instanceof Map<?, ?> d
          && d.get("sha256") instanceof String value && value.toLowerCase(Locale.ROOT).equals(hex)) {
        return;
      }
    }
    throw new CliException("verification failed: no subject of the in-toto statement has the sha256 digest "
        + hex + " of " + blob.display());
  }

  private static byte[] sha256(CliIo io, BlobArgument blob) throws CliException {
    if (blob.isDigest()) {
      return blob.sha256();
    }
    try {
      if (blob.isStdin()) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = io.in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
        return md.digest();
      }
      try (ProgressBar bar = ProgressBar.open(io, "verifying " + blob.file().getFileName(),
          Files.size(blob.file()))) {
        return FileDigests.compute(blob.file(), Set.of("SHA-256"), bar).get("SHA-256");
      }
    } catch (IOException e) {
      throw Inputs.readError(blob.display(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DSSE v1 pre-authentication encoding. */
  static byte[] pae(String type, byte[] payload) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + t.length + 40);
    out.writeBytes(("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(t);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static Map<?, ?> envelope(String bundleArg, byte[] json) throws CliException {
    try {
      if (Json.parse(new String(json, StandardCharsets.UTF_8)) instanceof Map<?, ?> root
          && root.get("dsseEnvelope") instanceof Map<?, ?> envelope) {
        return envelope;
      }
    } catch (Json.ParseException e) {
      throw invalid(bundleArg, "not valid JSON: " + e.getMessage());
    }
    throw invalid(bundleArg, "no dsseEnvelope");
  }

  private static String string(Map<?, ?> envelope, String field, String bundleArg) throws CliException {
    if (envelope.get(field) instanceof String s) {
      return s;
    }
    throw invalid(bundleArg, "the DSSE envelope has no string \"" + field + "\"");
  }

  private static byte[] base64(String text, String what, String bundleArg) throws CliException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid(bundleArg, "the DSSE " + what + " is not base64");
    }
  }

  private static CliException invalid(String bundleArg, String why) {
    return new CliException("invalid bundle " + bundleArg + ": " + why);
  }
}
