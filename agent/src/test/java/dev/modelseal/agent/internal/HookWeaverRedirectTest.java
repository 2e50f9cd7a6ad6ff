package dev.modelseal.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

/**
 * {@link Check#ORT_PATH} as {@link HookWeaver} weaves it: a path the gate turns into bytes makes the method return its
 * bytes overload's result; a path it returns is what the method runs with. Each woven class is defined, verified by
 * the JVM and run in a class loader of its own, with its own copy of the bootstrap bridge and a recording gate.
 */
class HookWeaverRedirectTest {
  private static final String FAKE = FakeSessionFactory.class.getName();
  private static final String OBJECT = "Ljava/lang/Object;";

  /** What the recording gate was asked: hook, path, options. */
  private final List<Object> asked = new ArrayList<>();

  private static byte[] classBytes(String binaryName) throws IOException {
    try (InputStream in = HookWeaverRedirectTest.class.getClassLoader()
        .getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines the woven fake and the bootstrap classes itself; everything else comes from the test's loader. */
  private static final class Isolated extends ClassLoader {
    private final byte[] woven;

    Isolated(byte[] woven) {
      super(HookWeaverRedirectTest.class.getClassLoader());
      this.woven = woven;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c != null) {
          return c;
        }
        try {
          byte[] b = name.equals(FAKE) ? woven : name.startsWith("dev.modelseal.bootstrap.") ? classBytes(name) : null;
          return b == null ? super.loadClass(name, resolve) : defineClass(name, b, 0, b.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }

  /** The fake with {@code hooks} woven in, in its own loader whose gate answers {@code checkOrtPath} with {@code answer}. */
  private Class<?> woven(Object answer, MethodHook... hooks) throws Exception {
    HookWeaver.Woven w = HookWeaver.weave(new ClassReader(classBytes(FAKE)), FAKE, List.of(hooks));
    Isolated loader = new Isolated(w.bytes());
    Class<?> handlerType = loader.loadClass("dev.modelseal.bootstrap.GateHandler");
    InvocationHandler recording = (proxy, method, args) -> {
      if (method.getName().equals("checkOrtPath")) {
        asked.addAll(List.of(args));
        return answer;
      }
      throw new UnsupportedOperationException(method.getName());
    };
    Object gate = Proxy.newProxyInstance(loader, new Class<?>[] {handlerType}, recording);
    loader.loadClass("dev.modelseal.bootstrap.ModelGate").getMethod("install", handlerType).invoke(null, gate);
    return loader.loadClass(FAKE);
  }

  private static MethodHook createSessionHook() {
    return MethodHook.named("createSession").paramsStartWith(MethodHook.STRING, OBJECT).paramCount(3).instanceMethod()
        .argument(0).check(Check.ORT_PATH).required();
  }

  private static Object createSession(Class<?> fake, String path, Object options) throws Exception {
    Method m = fake.getMethod("createSession", String.class, Object.class, Object.class);
    return m.invoke(fake.getDeclaredConstructor().newInstance(), path, "alloc", options);
  }

  @Test
  void weave_redirectingCheckAnsweredWithBytes_methodReturnsItsBytesOverloadsResult() throws Exception {
    Class<?> fake = woven(ByteBuffer.allocateDirect(3), createSessionHook());

    assertEquals("buffer 3 alloc opts", createSession(fake, "/models/model.onnx", "opts"));
  }

  @Test
  void weave_redirectingCheckAnsweredWithAPath_methodRunsWithThatPath() throws Exception {
    Class<?> fake = woven("/pins/1/model.onnx", createSessionHook());

    assertEquals("path /pins/1/model.onnx alloc opts", createSession(fake, "/models/model.onnx", "opts"));
  }

  @Test
  void weave_redirectingCheck_gateGetsHookNamePathAndOptions() throws Exception {
    Object options = new Object();
    Class<?> fake = woven("/pins/1/model.onnx", createSessionHook());

    createSession(fake, "/models/model.onnx", options);

    assertEquals(FAKE + ".createSession", asked.get(0));
    assertEquals(Path.of("/models/model.onnx"), asked.get(1));
    assertSame(options, asked.get(2));
  }

  @Test
  void weave_redirectingStaticMethodWithAWideParameter_bytesOverloadGetsEveryArgument() throws Exception {
    Class<?> fake = woven(ByteBuffer.allocateDirect(5), MethodHook.named("open")
        .paramsStartWith(MethodHook.STRING, "J").paramCount(3).staticMethod().argument(0).check(Check.ORT_PATH)
        .required());

    Method open = fake.getMethod("open", String.class, long.class, Object.class);

    assertEquals("buffer 5 " + Long.MAX_VALUE + " opts", open.invoke(null, "/m.onnx", Long.MAX_VALUE, "opts"));
  }

  @Test
  void weave_redirectingCheckWithoutABytesOverload_refusedAsUnsupportedVersion() throws Exception {
    MethodHook load = MethodHook.named("load").paramsStartWith(MethodHook.STRING, OBJECT).paramCount(2)
        .instanceMethod().argument(0).check(Check.ORT_PATH).required();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HookWeaver.weave(new ClassReader(classBytes(FAKE)), FAKE, List.of(load)));

    assertEquals("no method load(Ljava/nio/ByteBuffer;Ljava/lang/Object;)Ljava/lang/String; in " + FAKE
        + " to hand verified bytes to: unsupported runtime version", e.getMessage());
  }

  @Test
  void weave_woven_installsTheHookedMethodOnly() throws Exception {
    HookWeaver.Woven w = HookWeaver.weave(new ClassReader(classBytes(FAKE)), FAKE, List.of(createSessionHook()));

    assertEquals(List.of("createSession(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/String;"),
        w.installed());
  }
}
