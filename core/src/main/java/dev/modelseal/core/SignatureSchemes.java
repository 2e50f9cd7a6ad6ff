package dev.modelseal.core;

import dev.modelseal.core.VerificationException.Reason;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs and verifies a precomputed digest (or, for pure Ed25519, the message). ECDSA and RSA use the
 * JDK's providers ({@code NONEwithECDSA}, {@code NONEwithRSA} over a DigestInfo); Ed25519 and
 * Ed25519ph use BouncyCastle's RFC 8032 code as a library, because the JDK cannot verify Ed25519ph
 * from a digest and buffers pure Ed25519 messages twice.
 */
final class SignatureSchemes {
  private static final byte[] SHA256_DIGEST_INFO = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    0x05, 0x00, 0x04, 0x20
  };

  private SignatureSchemes() {}

  /** Checks the signature's encoding for the scheme; a bad encoding is MALFORMED, not INVALID. */
  static void checkEncoding(SigningAlgorithm alg, PublicKey key, byte[] sig) throws VerificationException {
    switch (alg) {
      case ED25519, ED25519_PH -> {
        if (sig.length != Ed25519.SIGNATURE_SIZE) {
          throw new VerificationException(Reason.MALFORMED_SIGNATURE,
              "Ed25519 signature is " + sig.length + " bytes, expected 64");
        }
      }
      case RSA_PKCS1_SHA256 -> {
        int expected = (((RSAKey) key).getModulus().bitLength() + 7) / 8;
        if (sig.length != expected) {
          throw new VerificationException(Reason.MALFORMED_SIGNATURE,
              "RSA signature is " + sig.length + " bytes, expected " + expected);
        }
      }
      default -> checkStrictDer(sig);
    }
  }

  private static void checkStrictDer(byte[] sig) throws VerificationException {
    try {
      Der seq = Der.whole(sig, Der.SEQUENCE);
      seq.positiveInteger();
      seq.positiveInteger();
      seq.requireEnd();
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED_SIGNATURE,
          "ECDSA signature is not ASN.1 DER (truncated, or raw r||s, which cosign rejects)");
    }
  }

  /** Returns true if {@code sig} verifies; {@code input} is the digest, or the message for pure Ed25519. */
  static boolean verify(SigningAlgorithm alg, PublicKey key, byte[] input, int length, byte[] sig) {
    try {
      switch (alg) {
        case ED25519 -> {
          return Ed25519.verify(sig, 0, rawEd25519(key), 0, input, 0, length);
        }
        case ED25519_PH -> {
          return Ed25519.verifyPrehash(sig, 0, rawEd25519(key), 0, new byte[0], input, 0);
        }
        case RSA_PKCS1_SHA256 -> {
          Signature s = Signature.getInstance("NONEwithRSA");
          s.initVerify(key);
          s.update(SHA256_DIGEST_INFO);
          s.update(input, 0, length);
          return s.verify(sig);
        }
        default -> {
          Signature s = Signature.getInstance("NONEwithECDSA");
          s.initVerify(key);
          s.update(input, 0, length);
          return s.verify(sig);
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Signs the digest (or the message for pure Ed25519) with the key. */
  static byte[] sign(SigningAlgorithm alg, PrivateKey key, byte[] input, int length)
      throws GeneralSecurityException {
    switch (alg) {
      case ED25519, ED25519_PH -> {
        byte[] seed = ((EdECPrivateKey) key).getBytes()
            .orElseThrow(() -> new GeneralSecurityException("Ed25519 key has no seed"));
        byte[] out = new byte[Ed25519.SIGNATURE_SIZE];
        if (alg == SigningAlgorithm.ED25519) {
          Ed25519.sign(seed, 0, input, 0, length, out, 0);
        } else {
          Ed25519.signPrehash(seed, 0, new byte[0], input, 0, out, 0);
        }
        Arrays.fill(seed, (byte) 0);
        return out;
      }
      case RSA_PKCS1_SHA256 -> {
        Signature s = Signature.getInstance("NONEwithRSA");
        s.initSign(key);
        s.update(SHA256_DIGEST_INFO);
        s.update(input, 0, length);
        return s.sign();
      }
      default -> {
        Signature s = Signature.getInstance("NONEwithECDSA");
        s.initSign(key);
        s.update(input, 0, length);
        return s.sign();
      }
    }
  }

  private static byte[] rawEd25519(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Arrays.copyOfRange(spki, spki.length - Ed25519.PUBLIC_KEY_SIZE, spki.length);
  }
}
