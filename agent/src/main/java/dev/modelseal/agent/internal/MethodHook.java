package dev.modelseal.agent.internal;

/**
 * One guarded method: which methods of a guarded type it matches (name, leading parameter types,
 * parameter count, static or not) and what {@link HookWeaver} inserts into them (a {@link Check} of
 * one argument at entry, of the returned value before each return, or a refusal at entry).
 *
 * <p>Built only with {@link #named} or {@link #constructor} and ended with {@link Builder#required()}
 * or {@link Builder#optional()}, which refuse an incomplete or contradictory hook with {@link
 * IllegalStateException}. A required hook that matches no method of its type means an unsupported
 * runtime version: the class is reported to {@link HookTransformer.Events#failed} and, in enforce mode,
 * the JVM stops. Instances are compared by identity (no {@code equals}: see {@link HookWeaver}).
 */
final class MethodHook {
  /** Parameter descriptors the hook files share; runtime types are declared in their hook file. */
  static final String PATH = "Ljava/nio/file/Path;";
  static final String STRING = "Ljava/lang/String;";
  static final String STREAM = "Ljava/io/InputStream;";
  static final String BYTES = "[B";
  static final String BUFFER = "Ljava/nio/ByteBuffer;";
  static final String MAP = "Ljava/util/Map;";
  static final String URI = "Ljava/net/URI;";
  static final String BOOLEAN = "Z";

  private final String name;
  private final String leadingParams;
  private final String descriptorPrefix;
  private final boolean anyParamCount;
  private final int paramCount;
  private final boolean isStatic;
  private final boolean checksArgument;
  private final boolean checksReturnValue;
  private final int argument;
  private final Check check;
  private final boolean required;

  private MethodHook(Builder b, boolean required) {
    this.name = b.name;
    this.leadingParams = b.leadingParams;
    this.descriptorPrefix = "(" + b.leadingParams;
    this.anyParamCount = b.anyParamCount;
    this.paramCount = b.paramCount;
    this.isStatic = b.isStatic;
    this.checksArgument = b.argumentSet;
    this.checksReturnValue = b.returnValue;
    this.argument = b.argument;
    this.check = b.check;
    this.required = required;
  }

  /** Starts a hook on the methods called {@code name}. */
  static Builder named(String name) {
    return new Builder(name);
  }

  /** Starts a hook on the constructors ({@code <init>}, always an instance method). */
  static Builder constructor() {
    return new Builder("<init>").instanceMethod();
  }

  String name() {
    return name;
  }

  /** {@code "(" +} the leading parameter descriptors: a matched method's descriptor starts with it. */
  String descriptorPrefix() {
    return descriptorPrefix;
  }

  boolean matchesParamCount(int count) {
    return anyParamCount || count == paramCount;
  }

  boolean isStatic() {
    return isStatic;
  }

  /** True if an argument is checked at entry ({@link #argument()}). */
  boolean checksArgument() {
    return checksArgument;
  }

  /** True if the returned value is checked before each return. */
  boolean checksReturnValue() {
    return checksReturnValue;
  }

  /** Index of the checked parameter; only when {@link #checksArgument()}. */
  int argument() {
    if (!checksArgument) {
      throw new IllegalStateException(name + ": checks no argument");
    }
    return argument;
  }

  Check check() {
    return check;
  }

  /** The type must declare at least one method this hook matches. */
  boolean required() {
    return required;
  }

  /** The method as error messages name it: {@code createSession(Ljava/lang/String;...)}. */
  String describe() {
    return name + "(" + leadingParams + "...)";
  }

  /**
   * Collects one hook's properties; every property is set at most once. Ends with {@link #required()}
   * or {@link #optional()}, which validate: see there.
   */
  static final class Builder {
    private final String name;
    private String leadingParams;
    private String[] leading = new String[0];
    private boolean countSet;
    private boolean anyParamCount;
    private int paramCount;
    private boolean staticSet;
    private boolean isStatic;
    private boolean argumentSet;
    private int argument;
    private boolean returnValue;
    private Check check;

    private Builder(String name) {
      if (name == null || name.isEmpty() || name.equals("<clinit>")) {
        throw new IllegalStateException("not a hookable method name: " + name);
      }
      this.name = name;
    }

    /** The first parameters' descriptors, in order; a method may have more (see {@link #paramCount}). */
    Builder paramsStartWith(String... descriptors) {
      once(leadingParams != null, "paramsStartWith");
      StringBuilder joined = new StringBuilder();
      for (String d : descriptors) {
        if (!isFieldDescriptor(d)) {
          throw new IllegalStateException(name + ": not a field descriptor: " + d);
        }
        joined.append(d);
      }
      leading = descriptors.clone();
      leadingParams = joined.toString();
      return this;
    }

    /** The method has exactly {@code count} parameters. */
    Builder paramCount(int count) {
      once(countSet, "paramCount/anyParamCount");
      if (count < 0 || count > 255) {
        throw new IllegalStateException(name + ": parameter count out of range: " + count);
      }
      countSet = true;
      paramCount = count;
      return this;
    }

    /** The method may have any number of parameters after the leading ones. */
    Builder anyParamCount() {
      once(countSet, "paramCount/anyParamCount");
      countSet = true;
      anyParamCount = true;
      return this;
    }

    Builder staticMethod() {
      if (name.equals("<init>")) {
        throw new IllegalStateException("a constructor is not static");
      }
      once(staticSet, "staticMethod/instanceMethod");
      staticSet = true;
      isStatic = true;
      return this;
    }

    Builder instanceMethod() {
      once(staticSet, "staticMethod/instanceMethod");
      staticSet = true;
      return this;
    }

    /** Checks parameter {@code index} at entry; it must be one of the leading parameters. */
    Builder argument(int index) {
      once(argumentSet || returnValue, "argument/returnValue");
      argumentSet = true;
      argument = index;
      return this;
    }

    /** Checks the returned value before each return, instead of an argument. */
    Builder returnValue() {
      once(argumentSet || returnValue, "argument/returnValue");
      returnValue = true;
      return this;
    }

    Builder check(Check what) {
      once(check != null, "check");
      check = what;
      return this;
    }

    /** Ends the hook: its type must declare a matching method, or the runtime version is unsupported. */
    MethodHook required() {
      validate();
      return new MethodHook(this, true);
    }

    /** Ends the hook: types that declare no matching method are left unchanged. */
    MethodHook optional() {
      validate();
      return new MethodHook(this, false);
    }

    private void validate() {
      if (leadingParams == null) {
        leadingParams = "";
      }
      if (!countSet) {
        throw new IllegalStateException(name + ": say paramCount(n) or anyParamCount()");
      }
      if (!anyParamCount && paramCount < leading.length) {
        throw new IllegalStateException(name + ": " + leading.length + " leading parameters but paramCount "
            + paramCount);
      }
      if (!staticSet) {
        throw new IllegalStateException(name + ": say staticMethod() or instanceMethod()");
      }
      if (check == null) {
        throw new IllegalStateException(name + ": no check");
      }
      if (check.type == null) {
        if (argumentSet || returnValue) {
          throw new IllegalStateException(name + ": " + check + " checks no value; drop argument/returnValue");
        }
        return;
      }
      if (!argumentSet && !returnValue) {
        throw new IllegalStateException(name + ": say argument(i) or returnValue()");
      }
      if (returnValue) {
        if (check.withLastArgument || check.withNextArgument || !check.replacesArgument || name.equals("<init>")) {
          throw new IllegalStateException(name + ": " + check + " cannot check a returned value");
        }
        return;
      }
      if (argument < 0 || argument >= leading.length) {
        throw new IllegalStateException(name + ": argument " + argument + " is not one of the "
            + leading.length + " leading parameters, so its type is unknown");
      }
      boolean anyReference = !check.replacesArgument && check.type.equals("Ljava/lang/Object;")
          && (leading[argument].startsWith("L") || leading[argument].startsWith("["));
      if (!anyReference && !leading[argument].equals(check.type)) {
        throw new IllegalStateException(name + ": " + check + " checks " + check.type + ", argument "
            + argument + " is " + leading[argument]);
      }
      if (check.redirectType != null && (argument != 0 || name.equals("<init>"))) {
        throw new IllegalStateException(name + ": " + check + " redirects to an overload: it must check the first"
            + " parameter of a method");
      }
      if ((check.withLastArgument || check.withNextArgument) && (anyParamCount || paramCount < argument + 2)) {
        throw new IllegalStateException(name + ": " + check
            + (check.withLastArgument ? " passes the last parameter too" : " passes the next parameter too")
            + ": needs a fixed paramCount beyond the checked argument");
      }
    }

    private void once(boolean alreadySet, String what) {
      if (alreadySet) {
        throw new IllegalStateException(name + ": " + what + " given twice");
      }
    }

    /** A JVM field descriptor: a primitive, {@code Lpkg/Name;} or an array of either. */
    private static boolean isFieldDescriptor(String d) {
      if (d == null) {
        return false;
      }
      int i = 0;
      while (i < d.length() && d.charAt(i) == '[') {
        i++;
      }
      if (i == d.length()) {
        return false;
      }
      char c = d.charAt(i);
      if (c == 'L') {
        return d.length() > i + 2 && d.endsWith(";") && d.indexOf(';') == d.length() - 1
            && d.indexOf('.') < 0;
      }
      return i == d.length() - 1 && "ZBCSIJFD".indexOf(c) >= 0;
    }
  }
}
