package dev.modelseal.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.testkit.FuzzInputs;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenSSF model signatures on any bytes: the DSSE bundle with the key and the certificate verifier,
 * and the in-toto statement (the signed manifest) alone, which a mutated bundle cannot reach past its
 * signature. Each returns or throws a one-line VerificationException.
 */
class ModelSignatureFuzzTest {
  private static final ModelVerifier KEY;
  private static final ModelVerifier CERTIFICATE;

  static {
    try {
      KEY = OmsVectors.keyVerifier();
      CERTIFICATE = OmsVectors.certVerifier();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void readSigned(byte[] input) {
    for (ModelVerifier v : new ModelVerifier[] {KEY, CERTIFICATE}) {
      try {
        v.readSigned(input);
      } catch (VerificationException e) {
        FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
      }
    }
  }

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void statement(byte[] input) {
    try {
      OmsStatement.claimedHashing(input);
    } catch (VerificationException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
    try {
      OmsStatement.parse(input);
    } catch (VerificationException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void readSigned_mutatedCommittedInputs_signedModelOrVerificationException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(ModelSignatureFuzzTest.class, "readSigned"), 41, 1 << 16,
        this::readSigned);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void statement_mutatedCommittedInputs_parsedOrVerificationException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(ModelSignatureFuzzTest.class, "statement"), 42, 1 << 16,
        this::statement);
  }
}
