package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.BOOLEAN;
import static dev.modelseal.agent.internal.MethodHook.MAP;
import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STREAM;
import static dev.modelseal.agent.internal.MethodHook.STRING;
import static dev.modelseal.agent.internal.MethodHook.URI;

import java.util.List;

/**
 * DJL's API ({@code ai.djl}): every engine's {@code Model.load}, the model directory a repository
 * hands {@code Criteria.loadModel}, archives given to {@code SimpleRepository}, code loaded from a
 * model directory, and the repository paths that read or fetch files before any check (refused).
 * The {@code Model} and {@code Repository} hooks apply to every implementation that declares the
 * method, so they are optional; the others name one class and are required (fail closed).
 */
final class DjlHooks implements RuntimeHooks {
  private static final String ARTIFACT = "Lai/djl/repository/Artifact;";
  private static final String PROGRESS = "Lai/djl/util/Progress;";

  private static final List<TypeHooks> TYPES = List.of(
      // load(Path, String, Map) is declared per engine (PtModel, OrtModel, ...); load(InputStream, boolean)
      // is PtModel's. ZooModel only delegates to the model it wraps, which is guarded itself.
      TypeHooks.subtypesOf("ai/djl/Model").except("ai/djl/repository/zoo/ZooModel").hooks(
          MethodHook.named("load").paramsStartWith(PATH, STRING, MAP).paramCount(3).instanceMethod()
              .argument(0).check(Check.PATH).optional(),
          MethodHook.named("load").paramsStartWith(STREAM, MAP).paramCount(2).instanceMethod()
              .argument(0).check(Check.STREAM).optional(),
          MethodHook.named("load").paramsStartWith(STREAM, BOOLEAN).paramCount(2).instanceMethod()
              .argument(0).check(Check.STREAM).optional()),
      // The directory Criteria.loadModel uses from then on becomes the pinned, verified copy.
      TypeHooks.subtypesOf("ai/djl/repository/Repository").hooks(
          MethodHook.named("getResourceDirectory").paramsStartWith(ARTIFACT).paramCount(1).instanceMethod()
              .returnValue().check(Check.PATH).optional()),
      // Repositories other than SimpleRepository read model files (metadata.json, serving.properties, the
      // cache) before any getResourceDirectory: SimpleRepository's archives are verified and extracted by
      // the agent; fetching or extracting into DJL's cache, and LocalRepository, are refused.
      TypeHooks.exact("ai/djl/repository/SimpleRepository").hooks(
          MethodHook.constructor().paramsStartWith(STRING, URI, PATH).paramCount(3)
              .argument(2).check(Check.ARCHIVE).required()),
      TypeHooks.exact("ai/djl/repository/AbstractRepository").hooks(
          MethodHook.named("prepare").paramsStartWith(ARTIFACT, PROGRESS).paramCount(2).instanceMethod()
              .check(Check.REFUSE).required()),
      TypeHooks.exact("ai/djl/repository/LocalRepository").hooks(
          MethodHook.constructor().paramsStartWith(STRING, URI, PATH).paramCount(3)
              .check(Check.REFUSE).required()),
      // Code loaded from a model directory (serving.properties' translators, libs/, classes/).
      TypeHooks.exact("ai/djl/util/ClassLoaderUtils").hooks(
          MethodHook.named("findImplementation").paramsStartWith(PATH).anyParamCount().staticMethod()
              .argument(0).check(Check.PATH).required(),
          MethodHook.named("compileJavaClass").paramsStartWith(PATH).anyParamCount().staticMethod()
              .argument(0).check(Check.PATH).optional()));

  @Override
  public String name() {
    return "DJL";
  }

  @Override
  public List<String> packagePrefixes() {
    return List.of("ai/djl/");
  }

  @Override
  public String supportedVersions() {
    return "ai.djl:api 0.36.0";
  }

  @Override
  public List<TypeHooks> types() {
    return TYPES;
  }
}
