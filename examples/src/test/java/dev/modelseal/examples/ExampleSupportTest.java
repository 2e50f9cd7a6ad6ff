package dev.modelseal.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.MalformedModelException;
import dev.modelseal.testkit.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleSupportTest {
    /** Stand-in for the agent's refusal type. */
    static final class ModelRejected extends SecurityException {
        private static final long serialVersionUID = 1L;

        ModelRejected(String message) {
            super(message);
        }
    }

    @TempDir
    Path tmp;

    @Test
    void parseFloats_bracketedWithSpaces_parsesAll() {
        assertArrayEquals(new float[] {1f, 2.5f, -3f}, ExampleSupport.parseFloats(" [1, 2.5 ,-3] "));
    }

    @Test
    void parseFloats_notANumber_throwsNamingTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleSupport.parseFloats("1,x"));
        assertEquals("not a number: 'x'", e.getMessage());
    }

    @Test
    void describe_securityExceptionWrappedByDjl_reportsTheSecurityException() {
        ModelRejected rejected = new ModelRejected("SIGNATURE_INVALID model.onnx");
        MalformedModelException wrapped = new MalformedModelException("ONNX Model cannot be loaded", rejected);

        assertSame(rejected, ExampleSupport.findSecurityException(wrapped));
        assertEquals(ModelRejected.class.getName() + " SIGNATURE_INVALID model.onnx",
                ExampleSupport.describe(wrapped));
    }

    @Test
    void describe_plainFailureWithCause_appendsRootCause() {
        Exception e = new MalformedModelException("cannot load", new IOException("disk"));

        assertNull(ExampleSupport.findSecurityException(e));
        assertEquals("ai.djl.MalformedModelException cannot load (caused by java.io.IOException: disk)",
                ExampleSupport.describe(e));
    }

    @Test
    void describe_messageAlreadyContainsCause_doesNotRepeatIt() {
        Exception e = new IllegalStateException("wrapped: disk", new IOException("disk"));

        assertEquals("java.lang.IllegalStateException wrapped: disk", ExampleSupport.describe(e));
    }

    @Test
    void toJson_nonFiniteValues_becomeNull() {
        assertEquals("[1.0,null,-2.5]", InferenceService.toJson(new float[] {1f, Float.NaN, -2.5f}));
    }

    @Test
    void makeTinyModel_ptPath_writesTorchScriptBytes() throws Exception {
        Path file = tmp.resolve("sub/model.pt");

        MakeTinyModel.main(new String[] {file.toString()});

        assertArrayEquals(TinyModels.torchScript(), Files.readAllBytes(file));
    }

    @Test
    void makeTinyModel_onnxPath_writesOnnxBytes() throws Exception {
        Path file = tmp.resolve("model.onnx");

        MakeTinyModel.main(new String[] {file.toString()});

        assertArrayEquals(TinyModels.onnx(), Files.readAllBytes(file));
    }
}
