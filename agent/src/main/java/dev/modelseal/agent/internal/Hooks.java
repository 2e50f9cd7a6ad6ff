package dev.modelseal.agent.internal;

/**
 * The hook name {@link Gate} compares with, under the name {@code Gate} uses for it. The hooks
 * themselves are one file per runtime ({@link OrtHooks}, {@link DjlHooks}, {@link PyTorchHooks}),
 * listed in {@link Runtimes}; this class only keeps {@code Gate} (changed in parallel) compiling, and
 * goes once {@code Gate} names {@link OrtHooks#CREATE_SESSION_HOOK} itself.
 */
final class Hooks {
  /** {@link OrtHooks#CREATE_SESSION_HOOK}: ORT's session loading, whose models' external data is checked too. */
  static final String ORT_CREATE_SESSION = OrtHooks.CREATE_SESSION_HOOK;

  private Hooks() {}
}
