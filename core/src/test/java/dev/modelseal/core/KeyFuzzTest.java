package dev.modelseal.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.testkit.FuzzInputs;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Key files on any bytes: a key or a one-line KeyFormatException (see FuzzInputs, bench/fuzz.sh).
 * Encrypted keys are fuzzed up to decryption with a cheap key derivation in place of scrypt (which
 * costs tens of milliseconds an input): the envelope, base64, parameters, secretbox and PKCS#8.
 */
class KeyFuzzTest {
  private static final int MAX_INPUT = CosignKeyReader.MAX_KEY_FILE_BYTES;

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void publicKey(byte[] input) {
    try {
      CosignKeyReader.readPublicKey(input);
    } catch (KeyFormatException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void privateKey(byte[] input) {
    if (CosignKeyReader.isEncrypted(input)) {
      return; // scrypt: encryptedKey below
    }
    try {
      CosignKeyReader.readPrivateKey(input, new byte[0]);
    } catch (KeyFormatException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void encryptedKey(byte[] input) throws Exception {
    try {
      Pem.Block block = Pem.decode(input);
      String label = block.label();
      if (!label.equals(CosignKeyReader.SIGSTORE_LABEL) && !label.equals(CosignKeyReader.COSIGN_LABEL)) {
        return;
      }
      CosignKeyReader.Envelope e = CosignKeyReader.envelope(block.der());
      byte[] plain = SecretBox.open(cheapKey(e.salt()), e.nonce(), e.box());
      if (plain != null) {
        KeySupport.privateKeyFromPkcs8(plain);
      }
    } catch (KeyFormatException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  /** The stand-in for scrypt in {@link #encryptedKey}; the committed seeds were sealed with it. */
  static byte[] cheapKey(byte[] salt) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(salt);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void publicKey_mutatedCommittedInputs_keyOrKeyFormatException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(KeyFuzzTest.class, "publicKey"), 21, MAX_INPUT, this::publicKey);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void privateKey_mutatedCommittedInputs_keyOrKeyFormatException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(KeyFuzzTest.class, "privateKey"), 22, MAX_INPUT, this::privateKey);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void encryptedKey_mutatedCommittedInputs_keyOrKeyFormatException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(KeyFuzzTest.class, "encryptedKey"), 23, MAX_INPUT, this::encryptedKey);
  }
}
