package dev.modelseal.it.apps;

import dev.modelseal.examples.LoadModel;

/**
 * An application that ships the libraries the agent packs relocated (modelseal-core, BouncyCastle):
 * {@code OwnLibrariesThenLoad MODE MODEL} prints, for one class of each, {@code <class> app} when the application's
 * class loader defined it (else the loader that did), uses BouncyCastle's BLAKE2b, then runs {@code LoadModel MODE
 * MODEL}.
 */
public final class OwnLibrariesThenLoad {
  private OwnLibrariesThenLoad() {}

  public static void main(String[] args) throws Exception {
    for (String name : new String[] {"dev.modelseal.core.BlobVerifier", "org.bouncycastle.crypto.digests.Blake2bDigest"}) {
      ClassLoader loader = Class.forName(name).getClassLoader();
      System.out.println(name + " " + (loader == ClassLoader.getSystemClassLoader() ? "app" : String.valueOf(loader)));
    }
    org.bouncycastle.crypto.digests.Blake2bDigest blake = new org.bouncycastle.crypto.digests.Blake2bDigest(256);
    byte[] out = new byte[32];
    blake.doFinal(out, 0);
    System.out.println("blake2b-256 of nothing starts " + String.format("%02x%02x", out[0], out[1]));
    LoadModel.main(args);
  }
}
