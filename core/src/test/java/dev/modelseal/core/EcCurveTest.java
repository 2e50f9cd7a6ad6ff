package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import org.junit.jupiter.api.Test;

/** The curve constants, built lazily per curve, against the JDK's own curves. */
class EcCurveTest {
  private static ECPublicKey jdkKey(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return (ECPublicKey) g.generateKeyPair().getPublic();
  }

  @Test
  void params_everyCurve_fieldSizeIsTheDeclaredBits() {
    for (EcCurve c : EcCurve.values()) {
      assertEquals(c.bits, c.params().getCurve().getField().getFieldSize(), c.jcaName);
    }
  }

  @Test
  void orNull_jdkKeysOfEachCurve_thatCurve() throws Exception {
    for (EcCurve c : EcCurve.values()) {
      assertSame(c, EcCurve.orNull(jdkKey(c.jcaName)), c.jcaName);
    }
  }

  @Test
  void orNull_p256FieldWithAnotherGenerator_null() throws Exception {
    ECParameterSpec p256 = EcCurve.P256.params();
    ECPoint notG = jdkKey("secp256r1").getW(); // on the curve, but not its generator
    ECPublicKey key = new EcPublicKey(notG, new ECParameterSpec(p256.getCurve(), notG, p256.getOrder(), 1),
        new byte[0]);
    assertNull(EcCurve.orNull(key));
  }
}
