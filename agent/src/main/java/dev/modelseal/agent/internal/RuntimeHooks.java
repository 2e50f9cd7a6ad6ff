package dev.modelseal.agent.internal;

import java.util.List;

/**
 * The hooks of one model runtime, in one file per runtime (as OpenTelemetry's javaagent has one
 * instrumentation module per library): {@link OrtHooks}, {@link DjlHooks}, {@link PyTorchHooks}.
 * Listed once in {@link Runtimes#ALL}, from which the transformer derives which classes it looks at.
 *
 * <p>Contract: every type a hook names, and every excluded type, lies under one of {@link
 * #packagePrefixes()} (checked when the registry is built: {@link IllegalStateException} at class
 * initialisation, which stops the agent in {@code premain}). The hooks are built once, in a static
 * initialiser, so a hook that {@link MethodHook.Builder} or {@link TypeHooks.Builder} refuses fails
 * the agent's start too, never a model load.
 */
interface RuntimeHooks {
  /** The runtime's name as documentation shows it, e.g. {@code ONNX Runtime}. */
  String name();

  /**
   * Internal-name package prefixes, each ending in {@code /} (e.g. {@code ai/onnxruntime/}). Classes
   * outside every runtime's prefixes are never parsed, and supertypes are followed only inside them.
   */
  List<String> packagePrefixes();

  /** The artifact versions the hooks were checked against (woven as real classes by the build's tests). */
  String supportedVersions();

  /** The guarded types and their methods. */
  List<TypeHooks> types();
}
