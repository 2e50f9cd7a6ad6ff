package dev.modelseal.core;

import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;

/**
 * An EC public key decoded by ModelSeal itself (see {@code SupportedKeys}): a value holder for the
 * point, the named curve's parameters and the SPKI encoding. Equal keys have equal encodings.
 */
final class EcPublicKey implements java.security.interfaces.ECPublicKey {
  private static final long serialVersionUID = 1L;

  private final ECPoint w;
  private final transient ECParameterSpec params;
  private final byte[] encoded;

  EcPublicKey(ECPoint w, ECParameterSpec params, byte[] encoded) {
    this.w = w;
    this.params = params;
    this.encoded = encoded.clone();
  }

  @Override
  public ECPoint getW() {
    return w;
  }

  @Override
  public ECParameterSpec getParams() {
    return params;
  }

  @Override
  public String getAlgorithm() {
    return "EC";
  }

  @Override
  public String getFormat() {
    return "X.509";
  }

  @Override
  public byte[] getEncoded() {
    return encoded.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof java.security.PublicKey k && "EC".equals(k.getAlgorithm())
        && Arrays.equals(encoded, k.getEncoded());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }
}
