package dev.modelseal.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.testkit.FuzzInputs;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blob signatures and bundles on any bytes: parsed or a one-line VerificationException. */
class SignatureMaterialFuzzTest {
  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void detached(byte[] input) {
    try {
      SignatureMaterial.parseDetached(input);
    } catch (VerificationException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  @FuzzTest(maxExecutions = FuzzInputs.LONG_RUN, maxDuration = FuzzInputs.LONG_RUN_MAX_DURATION)
  void bundle(byte[] input) {
    try {
      SignatureMaterial.parseBundle(input);
    } catch (VerificationException e) {
      FuzzInputs.assertOneLine(e.getMessage(), OneLine.MAX_CHARS + 3);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void detached_mutatedCommittedInputs_parsedOrVerificationException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(SignatureMaterialFuzzTest.class, "detached"), 31,
        SignatureMaterial.MAX_SIGNATURE_BYTES + 1, this::detached);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void bundle_mutatedCommittedInputs_parsedOrVerificationException() throws Exception {
    FuzzInputs.mutate(FuzzInputs.committed(SignatureMaterialFuzzTest.class, "bundle"), 32,
        1 << 16, this::bundle);
  }
}
