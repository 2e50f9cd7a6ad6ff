package dev.modelseal.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every model-loading entry point the agent guards, per runtime. A hook with {@code minMatches = 1}
 * must find its method in the matched type, or the runtime version is unsupported and the agent
 * fails closed (see {@link Installer}).
 */
final class Hooks {
  /** Every guarded type lives under one of these prefixes; all other types are ignored. */
  static final String DJL_PREFIX = "ai.djl.";

  static final String ORT_PREFIX = "ai.onnxruntime.";

  private static final String ADVICE = Advices.class.getName() + "$";

  /** One advised method (or family of overloads) in a type. */
  record MethodHook(String name, ElementMatcher<? super MethodDescription> matcher, String advice, int minMatches) {}

  /** A type (or family of types) and its advised methods. */
  record TypeHook(String runtime, ElementMatcher<? super TypeDescription> type, List<MethodHook> methods) {}

  private Hooks() {}

  static List<TypeHook> all() {
    return List.of(
        new TypeHook("onnxruntime", named("ai.onnxruntime.OrtEnvironment"), List.of(
            method("OrtEnvironment.createSession(String)", named("createSession").and(takesArguments(3))
                .and(takesArgument(0, String.class)), "StringPathArg0", 1),
            method("OrtEnvironment.createSession(byte[])", named("createSession").and(takesArguments(3))
                .and(takesArgument(0, byte[].class)), "BytesArg0", 1),
            method("OrtEnvironment.createSession(ByteBuffer)", named("createSession").and(takesArguments(3))
                .and(takesArgument(0, ByteBuffer.class)), "BufferArg0", 1))),
        new TypeHook("onnxruntime", named("ai.onnxruntime.OrtSession$SessionOptions"), List.of(
            method("SessionOptions.registerCustomOpLibrary", named("registerCustomOpLibrary")
                .and(takesArguments(String.class)), "StringPathArg0", 1))),
        new TypeHook("pytorch", named("ai.djl.pytorch.jni.JniUtils"), List.of(
            method("JniUtils.loadModule(Path)", isStatic().and(named("loadModule"))
                .and(takesArgument(1, Path.class)), "PathArg1", 1),
            method("JniUtils.loadModuleHandle(InputStream)", isStatic().and(named("loadModuleHandle"))
                .and(takesArgument(0, InputStream.class)), "StreamArg0", 1))),
        new TypeHook("djl", nameStartsWith("ai.djl.").and(not(isInterface()))
            .and(not(named("ai.djl.repository.zoo.ZooModel"))).and(hasSuperType(named("ai.djl.Model"))), List.of(
            method("Model.load(Path)", named("load").and(takesArguments(Path.class, String.class, Map.class)),
                "PathArg0", 0),
            method("Model.load(InputStream)", named("load").and(takesArguments(InputStream.class, Map.class)),
                "StreamArg0", 0),
            method("PtModel.load(InputStream, boolean)", named("load")
                .and(takesArguments(InputStream.class, boolean.class)), "StreamArg0", 0))),
        new TypeHook("djl", nameStartsWith("ai.djl.").and(not(isInterface()))
            .and(hasSuperType(named("ai.djl.repository.Repository"))), List.of(
            method("Repository.getResourceDirectory", named("getResourceDirectory").and(takesArguments(1))
                .and(returns(Path.class)), "PathReturn", 0))),
        new TypeHook("djl", named("ai.djl.util.ClassLoaderUtils"), List.of(
            method("ClassLoaderUtils(Path, ...)", isStatic().and(takesArgument(0, Path.class)), "PathArg0", 1))));
  }

  private static MethodHook method(String name, ElementMatcher.Junction<MethodDescription> m, String advice, int min) {
    return new MethodHook(name, m.and(not(isAbstract())), ADVICE + advice, min);
  }
}
