package dev.modelseal.core;

import java.util.List;

/**
 * What a bundle's transparency-log entry must record: the signed content and the verification
 * material, taken from the bundle and the artifact (never from the log entry itself).
 *
 * @param signature the message signature, or for DSSE the envelope's single signature
 * @param digestAlgorithm for a message signature the digest's bundle name ({@code SHA2_256}, ...);
 *     null for DSSE
 * @param artifactDigest for a message signature the artifact's digest computed by the verifier; null for DSSE
 * @param dsse for DSSE the envelope; null for a message signature
 * @param material the leaf certificate's DER, or the public key's DER SubjectPublicKeyInfo
 * @param certificate true when {@code material} is a certificate
 */
record LoggedContent(byte[] signature, String digestAlgorithm, byte[] artifactDigest, Envelope dsse,
    byte[] material, boolean certificate) {

  /** A DSSE envelope as the bundle carries it (payload decoded from base64). */
  record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {}

  /** One DSSE signature; {@code keyid} may be empty. */
  record Signature(String keyid, byte[] sig) {}
}
