package dev.modelseal.bootstrap;

import java.io.ByteArrayInputStream;

/**
 * A stream over model bytes that ModelSeal has already verified. Runtimes receive it in place of
 * the application's stream; nested hooks recognise it and do not verify the same bytes twice.
 * Only the agent creates instances that {@link ModelGate} trusts.
 */
public final class VerifiedInputStream extends ByteArrayInputStream {
  private final Object token;

  /**
   * Wraps verified bytes; {@code token} identifies the agent that verified them.
   *
   * @param verified the verified bytes, owned by this stream from now on
   * @param token the agent's private token
   */
  public VerifiedInputStream(byte[] verified, Object token) {
    super(verified);
    this.token = token;
  }

  /** Returns true if the given token is the one this stream was created with. */
  public boolean createdWith(Object candidate) {
    return token == candidate;
  }
}
