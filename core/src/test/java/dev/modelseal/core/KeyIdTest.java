package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyIdTest {
  @Test
  void hint_p256Vector_equalsOpensslBundleHint() throws Exception {
    assertEquals("2vSgWanaJ0/9vROTdBU/I7QID0lvqfk50sDdZTg50Y8=",
        KeyId.hint(Vectors.publicKey(Vectors.openssl("ecdsa-p256.pub.pem"))));
  }

  @Test
  void hex_p256Vector_isLowerHexOfTheHint() throws Exception {
    assertEquals("daf4a059a9da274ffdbd139374153f23b4080f496fa9f939d2c0dd653839d18f",
        KeyId.hex(Vectors.publicKey(Vectors.openssl("ecdsa-p256.pub.pem"))));
  }

  @Test
  void hint_conformanceKey_equalsConformanceBundleHint() throws Exception {
    assertEquals("TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=",
        KeyId.hint(Vectors.publicKey(Vectors.fromRepos("conformance/managed-key-happy-path/key.pub"))));
  }
}
