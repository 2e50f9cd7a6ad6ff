package dev.modelseal.agent.internal;

import java.util.List;

/**
 * A guarded type and its {@link MethodHook}s: either one class by its exact internal name ({@link
 * #exact}), or every class that extends or implements a runtime type ({@link #subtypesOf}), minus
 * {@link Builder#except named exceptions}. Subtypes are found by {@link TypeHierarchy} from class
 * files, and only among classes whose simple name ends with the supertype's simple name (DJL names
 * every {@code Model} and {@code Repository} implementation so; see {@link Runtimes#mayBeGuarded}).
 *
 * <p>{@link Builder#hooks} refuses, with {@link IllegalStateException}: no hooks, a name in binary
 * form ({@code ai.djl.Model}), exceptions on an exact type, and a required hook on subtypes (a subtype
 * inherits the method without declaring it, so "must declare" cannot hold for every subtype).
 */
final class TypeHooks {
  private final String typeName;
  private final boolean selectsSubtypes;
  private final String supertypeSimpleName;
  private final String[] excluded;
  private final List<MethodHook> methods;
  private final boolean anyRequired;

  private TypeHooks(Builder b, List<MethodHook> methods, boolean anyRequired) {
    this.typeName = b.typeName;
    this.selectsSubtypes = b.selectsSubtypes;
    this.supertypeSimpleName = b.typeName.substring(b.typeName.lastIndexOf('/') + 1);
    this.excluded = b.excluded;
    this.methods = methods;
    this.anyRequired = anyRequired;
  }

  /** Starts the hooks of the one class with this internal name ({@code ai/onnxruntime/OrtEnvironment}). */
  static Builder exact(String internalName) {
    return new Builder(internalName, false);
  }

  /** Starts the hooks of every class (not interface) that is, extends or implements {@code internalName}. */
  static Builder subtypesOf(String internalName) {
    return new Builder(internalName, true);
  }

  /** The exact type's internal name, or the supertype's for {@link #selectsSubtypes()}. */
  String typeName() {
    return typeName;
  }

  boolean selectsSubtypes() {
    return selectsSubtypes;
  }

  /** The last segment of {@link #typeName()}: candidate subtypes' names end with it. */
  String supertypeSimpleName() {
    return supertypeSimpleName;
  }

  /** Returns true if this internal name is never guarded by these hooks although it matches. */
  boolean isExcluded(String internalName) {
    for (String e : excluded) {
      if (e.equals(internalName)) {
        return true;
      }
    }
    return false;
  }

  /** The excluded internal names (a copy). */
  String[] excluded() {
    return excluded.clone();
  }

  List<MethodHook> methods() {
    return methods;
  }

  /** True if any of {@link #methods()} is required: the type must then be rewritten even if no name matches. */
  boolean anyRequired() {
    return anyRequired;
  }

  /** Collects the type's exceptions; {@link #hooks} ends it. */
  static final class Builder {
    private final String typeName;
    private final boolean selectsSubtypes;
    private String[] excluded = new String[0];

    private Builder(String typeName, boolean selectsSubtypes) {
      checkInternalName(typeName);
      this.typeName = typeName;
      this.selectsSubtypes = selectsSubtypes;
    }

    /** Subtypes that are never guarded by these hooks (internal names); only for {@link #subtypesOf}. */
    Builder except(String... internalNames) {
      if (!selectsSubtypes) {
        throw new IllegalStateException(typeName + ": except() is for subtypesOf(), not exact()");
      }
      if (excluded.length > 0) {
        throw new IllegalStateException(typeName + ": except given twice");
      }
      for (String n : internalNames) {
        checkInternalName(n);
      }
      excluded = internalNames.clone();
      return this;
    }

    /** Ends the type with its method hooks, in the order a method is matched against them. */
    TypeHooks hooks(MethodHook... hooks) {
      if (hooks.length == 0) {
        throw new IllegalStateException(typeName + ": no method hooks");
      }
      boolean anyRequired = false;
      for (MethodHook h : hooks) {
        if (h == null) {
          throw new IllegalStateException(typeName + ": null method hook");
        }
        if (h.required() && selectsSubtypes) {
          throw new IllegalStateException(typeName + ": " + h.describe()
              + " cannot be required of every subtype (a subtype inherits it); make it optional()");
        }
        anyRequired |= h.required();
      }
      return new TypeHooks(this, List.of(hooks), anyRequired);
    }

    private static void checkInternalName(String name) {
      if (name == null || name.isEmpty() || name.indexOf('.') >= 0 || name.indexOf('/') <= 0
          || name.endsWith("/")) {
        throw new IllegalStateException("not an internal class name (pkg/Name): " + name);
      }
    }
  }
}
