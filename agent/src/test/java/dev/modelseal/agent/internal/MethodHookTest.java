package dev.modelseal.agent.internal;

import static dev.modelseal.agent.internal.MethodHook.BYTES;
import static dev.modelseal.agent.internal.MethodHook.PATH;
import static dev.modelseal.agent.internal.MethodHook.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What {@link MethodHook.Builder} builds, and each incomplete or contradictory hook it refuses. */
class MethodHookTest {
  private static String refused(Executable build) {
    return assertThrows(IllegalStateException.class, build).getMessage();
  }

  @Test
  void required_argumentHook_matchesWhatItSays() {
    MethodHook h = MethodHook.named("open").paramsStartWith(STRING, "I").paramCount(3).staticMethod().argument(0)
        .check(Check.PATH_STRING).required();
    assertEquals("(Ljava/lang/String;I", h.descriptorPrefix());
    assertTrue(h.matchesParamCount(3));
    assertFalse(h.matchesParamCount(2));
    assertTrue(h.isStatic());
    assertTrue(h.checksArgument());
    assertFalse(h.checksReturnValue());
    assertEquals(0, h.argument());
    assertTrue(h.required());
    assertEquals("open(Ljava/lang/String;I...)", h.describe());
  }

  @Test
  void optional_returnValueHook_checksNoArgument() {
    MethodHook h = MethodHook.named("dir").anyParamCount().instanceMethod().returnValue().check(Check.PATH)
        .optional();
    assertTrue(h.checksReturnValue());
    assertFalse(h.checksArgument());
    assertTrue(h.matchesParamCount(0) && h.matchesParamCount(7));
    assertFalse(h.required());
    assertEquals("dir: checks no argument", refused(h::argument));
  }

  @Test
  void optional_refusal_checksNoValue() {
    MethodHook h = MethodHook.constructor().paramCount(0).check(Check.REFUSE).optional();
    assertFalse(h.checksArgument() || h.checksReturnValue() || h.isStatic());
  }

  @Test
  void required_noParamCountChoice_refused() {
    assertEquals("m: say paramCount(n) or anyParamCount()",
        refused(() -> MethodHook.named("m").instanceMethod().returnValue().check(Check.PATH).required()));
  }

  @Test
  void required_noStaticChoice_refused() {
    assertEquals("m: say staticMethod() or instanceMethod()",
        refused(() -> MethodHook.named("m").anyParamCount().returnValue().check(Check.PATH).required()));
  }

  @Test
  void required_noCheck_refused() {
    assertEquals("m: no check", refused(() -> MethodHook.named("m").anyParamCount().staticMethod().required()));
  }

  @Test
  void required_neitherArgumentNorReturnValue_refused() {
    assertEquals("m: say argument(i) or returnValue()",
        refused(() -> MethodHook.named("m").anyParamCount().staticMethod().check(Check.PATH).required()));
  }

  @Test
  void argument_afterReturnValue_refused() {
    assertEquals("m: argument/returnValue given twice",
        refused(() -> MethodHook.named("m").returnValue().argument(0)));
  }

  @Test
  void paramCount_afterAnyParamCount_refused() {
    assertEquals("m: paramCount/anyParamCount given twice",
        refused(() -> MethodHook.named("m").anyParamCount().paramCount(1)));
  }

  @Test
  void required_refusalWithAnArgument_refused() {
    assertEquals("m: REFUSE checks no value; drop argument/returnValue", refused(() -> MethodHook.named("m")
        .paramsStartWith(PATH).paramCount(1).instanceMethod().argument(0).check(Check.REFUSE).required()));
  }

  @Test
  void required_argumentBeyondTheLeadingParameters_refused() {
    assertEquals("m: argument 1 is not one of the 1 leading parameters, so its type is unknown", refused(
        () -> MethodHook.named("m").paramsStartWith(PATH).anyParamCount().staticMethod().argument(1)
            .check(Check.PATH).required()));
  }

  @Test
  void required_argumentOfAnotherTypeThanTheCheck_refused() {
    assertEquals("m: PATH checks Ljava/nio/file/Path;, argument 0 is Ljava/lang/String;", refused(
        () -> MethodHook.named("m").paramsStartWith(STRING).paramCount(1).staticMethod().argument(0)
            .check(Check.PATH).required()));
  }

  @Test
  void required_fewerParametersThanLeading_refused() {
    assertEquals("m: 2 leading parameters but paramCount 1", refused(() -> MethodHook.named("m")
        .paramsStartWith(PATH, STRING).paramCount(1).staticMethod().argument(0).check(Check.PATH).required()));
  }

  @Test
  void required_lastArgumentCheckWithoutAFixedCount_refused() {
    assertEquals("m: ORT_BYTES passes the last parameter too: needs a fixed paramCount beyond the checked argument",
        refused(() -> MethodHook.named("m").paramsStartWith(BYTES).anyParamCount().instanceMethod().argument(0)
            .check(Check.ORT_BYTES).required()));
  }

  @Test
  void required_redirectingCheckOfASecondParameter_refused() {
    assertEquals("m: ORT_PATH redirects to an overload: it must check the first parameter of a method",
        refused(() -> MethodHook.named("m").paramsStartWith(STRING, STRING).paramCount(3).instanceMethod().argument(1)
            .check(Check.ORT_PATH).required()));
  }

  @Test
  void required_redirectingCheckOfAConstructor_refused() {
    assertEquals("<init>: ORT_PATH redirects to an overload: it must check the first parameter of a method",
        refused(() -> MethodHook.constructor().paramsStartWith(STRING).paramCount(2).argument(0)
            .check(Check.ORT_PATH).required()));
  }

  @Test
  void required_lastArgumentCheckOnAReturnValue_refused() {
    assertEquals("m: ORT_BYTES cannot check a returned value", refused(() -> MethodHook.named("m")
        .paramCount(2).instanceMethod().returnValue().check(Check.ORT_BYTES).required()));
  }

  @Test
  void returnValue_ofAConstructor_refused() {
    assertEquals("<init>: PATH cannot check a returned value",
        refused(() -> MethodHook.constructor().paramCount(0).returnValue().check(Check.PATH).required()));
  }

  @Test
  void staticMethod_onAConstructor_refused() {
    assertEquals("a constructor is not static", refused(() -> MethodHook.constructor().staticMethod()));
  }

  @Test
  void named_staticInitializer_refused() {
    assertEquals("not a hookable method name: <clinit>", refused(() -> MethodHook.named("<clinit>")));
  }

  @Test
  void paramsStartWith_binaryNameOrMissingSemicolon_refused() {
    assertEquals("m: not a field descriptor: Ljava.lang.String;",
        refused(() -> MethodHook.named("m").paramsStartWith("Ljava.lang.String;")));
    assertEquals("m: not a field descriptor: Ljava/lang/String",
        refused(() -> MethodHook.named("m").paramsStartWith("Ljava/lang/String")));
    assertEquals("m: not a field descriptor: [", refused(() -> MethodHook.named("m").paramsStartWith("[")));
  }

  @Test
  void paramsStartWith_primitivesAndArrays_accepted() {
    MethodHook h = MethodHook.named("m").paramsStartWith("Z", "[[J", "[Ljava/lang/String;").paramCount(3)
        .staticMethod().check(Check.REFUSE).optional();
    assertEquals("(Z[[J[Ljava/lang/String;", h.descriptorPrefix());
  }
}
