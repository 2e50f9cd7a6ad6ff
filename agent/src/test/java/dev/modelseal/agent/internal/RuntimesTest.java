package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STRING;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The registry: what it derives from the hook files, what it refuses, and that a runtime added as one
 * hook file (here a made-up one, {@link ExampleHooks}) is guarded with nothing else edited.
 */
class RuntimesTest {
  /** A made-up runtime, written as a new runtime's hook file would be. */
  private static final class ExampleHooks implements RuntimeHooks {
    private final List<TypeHooks> types;
    private final List<String> prefixes;

    ExampleHooks(List<String> prefixes, TypeHooks... types) {
      this.prefixes = prefixes;
      this.types = List.of(types);
    }

    ExampleHooks() {
      this(List.of("com/example/llm/"), TypeHooks.exact("com/example/llm/LlmModel").hooks(
          MethodHook.named("open").paramsStartWith(STRING).paramCount(1).staticMethod().argument(0)
              .check(Check.PATH_STRING).required()));
    }

    @Override
    public String name() {
      return "Example";
    }

    @Override
    public List<String> packagePrefixes() {
      return prefixes;
    }

    @Override
    public String supportedVersions() {
      return "com.example:llm 1.0";
    }

    @Override
    public List<TypeHooks> types() {
      return types;
    }
  }

  @Test
  void all_registersOneHookFilePerRuntime() {
    List<String> names = new ArrayList<>();
    for (RuntimeHooks r : Runtimes.ALL.runtimes()) {
      names.add(r.getClass().getSimpleName() + ": " + r.name());
    }
    assertEquals(List.of("OrtHooks: ONNX Runtime", "DjlHooks: DJL", "PyTorchHooks: PyTorch (DJL engine)",
        "TokenizersHooks: DJL Hugging Face tokenizers", "XGBoostHooks: XGBoost4J", "LightGbmHooks: LightGBM",
        "LlamaCppHooks: java-llama.cpp", "JlamaHooks: Jlama"), names);
  }

  @Test
  void scopePrefixes_all_outermostPrefixesOfTheHookFiles() {
    // PyTorch's ai/djl/pytorch/ lies within DJL's ai/djl/.
    assertArrayEquals(new String[] {"ai/onnxruntime/", "ai/djl/", "ml/dmlc/xgboost4j/java/", "com/microsoft/ml/lightgbm/",
        "de/kherud/llama/", "com/github/tjake/jlama/"},
        Runtimes.ALL.scopePrefixes());
  }

  @Test
  void mayBeGuarded_all_everyExactTypeOfEveryHookFile() {
    for (RuntimeHooks r : Runtimes.ALL.runtimes()) {
      for (TypeHooks t : r.types()) {
        assertTrue(Runtimes.ALL.inScope(t.typeName()), t.typeName());
        assertTrue(Runtimes.ALL.mayBeGuarded(t.typeName()), t.typeName());
      }
    }
  }

  @Test
  void new_exampleRuntime_scopeAndNamesComeFromItsHookFile() {
    Runtimes runtimes = new Runtimes(List.of(new ExampleHooks()));
    assertTrue(runtimes.inScope("com/example/llm/Tokenizer"));
    assertTrue(runtimes.inScopeBinaryName("com.example.llm.Tokenizer"));
    assertFalse(runtimes.inScope("ai/djl/Model"));
    assertTrue(runtimes.mayBeGuarded("com/example/llm/LlmModel"));
    assertFalse(runtimes.mayBeGuarded("com/example/llm/Tokenizer"));
  }

  /** {@code com/example/llm/LlmModel} with {@code static void open(String)}. */
  private static byte[] exampleModelClass() {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/example/llm/LlmModel", null, "java/lang/Object", null);
    MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "open", "(Ljava/lang/String;)V", null,
        null);
    m.visitCode();
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }

  @Test
  void transform_exampleRuntimeRegistered_itsEntryPointIsWoven() {
    List<String> installed = new ArrayList<>();
    HookTransformer transformer = new HookTransformer(null, new HookTransformer.Events() {
      @Override
      public void installed(String type, List<String> methods) {
        installed.add(type + " " + methods);
      }

      @Override
      public void failed(String type, Throwable cause) {
        throw new AssertionError(cause);
      }
    }, new Runtimes(List.of(new ExampleHooks())));
    byte[] woven = transformer.transform(null, getClass().getClassLoader(), "com/example/llm/LlmModel", null, null,
        exampleModelClass());
    assertNotNull(woven);
    assertEquals(List.of("com.example.llm.LlmModel [open(Ljava/lang/String;)V]"), installed);
  }

  @Test
  void new_typeOutsideItsRuntimesPackages_refused() {
    ExampleHooks stray = new ExampleHooks(List.of("com/example/llm/"), TypeHooks.exact("com/other/Model").hooks(
        MethodHook.named("load").paramsStartWith(PATH).paramCount(1).staticMethod().argument(0).check(Check.PATH)
            .required()));
    assertEquals("Example: com/other/Model is outside its packages [com/example/llm/]",
        assertThrows(IllegalStateException.class, () -> new Runtimes(List.of(stray))).getMessage());
  }

  @Test
  void new_prefixInBinaryFormOrWithoutSlash_refused() {
    assertEquals("Example: not an internal package prefix ending in '/': com.example.llm.",
        assertThrows(IllegalStateException.class,
            () -> new Runtimes(List.of(new ExampleHooks(List.of("com.example.llm."))))).getMessage());
    assertEquals("Example: not an internal package prefix ending in '/': com/example/llm",
        assertThrows(IllegalStateException.class,
            () -> new Runtimes(List.of(new ExampleHooks(List.of("com/example/llm"))))).getMessage());
  }

  @Test
  void new_sameExactTypeInTwoRuntimes_refused() {
    assertEquals("Example: com/example/llm/LlmModel is hooked by another runtime too",
        assertThrows(IllegalStateException.class,
            () -> new Runtimes(List.of(new ExampleHooks(), new ExampleHooks()))).getMessage());
  }

  @Test
  void hooks_requiredHookOnSubtypes_refused() {
    assertEquals("ai/djl/Model: load(Ljava/nio/file/Path;...) cannot be required of every subtype (a subtype "
        + "inherits it); make it optional()", assertThrows(IllegalStateException.class,
            () -> TypeHooks.subtypesOf("ai/djl/Model").hooks(MethodHook.named("load").paramsStartWith(PATH)
                .anyParamCount().instanceMethod().argument(0).check(Check.PATH).required())).getMessage());
  }

  @Test
  void except_onAnExactType_refused() {
    assertEquals("ai/djl/Model: except() is for subtypesOf(), not exact()", assertThrows(
        IllegalStateException.class, () -> TypeHooks.exact("ai/djl/Model").except("ai/djl/Other")).getMessage());
  }

  @Test
  void hooks_none_refused() {
    assertEquals("ai/djl/Model: no method hooks",
        assertThrows(IllegalStateException.class, () -> TypeHooks.exact("ai/djl/Model").hooks()).getMessage());
  }

  @Test
  void exact_binaryName_refused() {
    assertEquals("not an internal class name (pkg/Name): ai.djl.Model",
        assertThrows(IllegalStateException.class, () -> TypeHooks.exact("ai.djl.Model")).getMessage());
  }
}
