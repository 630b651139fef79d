package io.conduit.core.engine.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every element type ONNX Runtime's Java API carries, strings included, run through real sessions; zero-size axes and
 * models without inputs; and the models Conduit cannot carry, refused by what they are.
 */
class ElementTypesTest {
    @TempDir
    Path dir;

    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("no GPU in tests"));

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void fp64Int8Int16Bf16InAndUnsignedOutComeBackExact() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("wide_types.onnx", dir))) {
            Tensor f64 = Tensor.allocate(DataType.FP64, 2);
            f64.bytes().putDouble(0, 1.25).putDouble(8, -0.0);
            Tensor i8 = Tensor.allocate(DataType.INT8, 2);
            i8.bytes().put(0, (byte) 5).put(1, (byte) -128);
            Tensor i16 = Tensor.allocate(DataType.INT16, 3);
            i16.bytes().putShort(0, (short) 1).putShort(2, (short) -1).putShort(4, (short) 300);
            Tensor bf16 = Tensor.allocate(DataType.BF16, 1);
            bf16.bytes().putShort(0, (short) 0x3fc0); // 1.5
            Map<String, Tensor> in = Map.of("f64", f64, "i8", i8, "i16", i16, "bf16", bf16);
            for (boolean preallocate : new boolean[]{true, false}) {
                try (LocalEngine e = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1)
                        .preallocateOutputs(preallocate).build(), () -> GpuStatus.none("no GPU in tests"))) {
                    InferenceResult r = e.run(pkg, in, DevicePreference.CPU);
                    ByteBuffer d = r.output("f64_out").bytes();
                    assertEquals(2.5, d.getDouble(0));
                    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d.getDouble(8)));
                    assertEquals(DataType.INT8, r.output("i8_out").type());
                    assertEquals(-5, r.output("i8_out").bytes().get(0));
                    assertEquals(-128, r.output("i8_out").bytes().get(1), "-(-128) wraps in int8");
                    assertEquals(-300, r.output("i16_out").bytes().getShort(4));
                    assertEquals((short) 0x4040, r.output("bf16_out").bytes().getShort(0), "3.0 in bfloat16");
                    assertEquals(DataType.UINT16, r.output("u16_out").type());
                    assertEquals(0xffff, r.output("u16_out").bytes().getShort(2) & 0xffff);
                    assertEquals(0xffffffffL, r.output("u32_out").bytes().getInt(4) & 0xffffffffL);
                    assertEquals("18446744073709551615", Long.toUnsignedString(r.output("u64_out").bytes().getLong(8)));
                    assertEquals(300, r.output("u64_out").bytes().getLong(16));
                }
            }
        }
    }

    @Test
    void unsignedOutputsAreWrittenIntoTheCallersBuffer() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("wide_types.onnx", dir))) {
            Tensor i16 = Tensor.allocate(DataType.INT16, 1);
            i16.bytes().putShort(0, (short) -2);
            Map<String, Tensor> in = Map.of("f64", Tensor.allocate(DataType.FP64, 1), "i8", Tensor.allocate(DataType.INT8, 1),
                    "i16", i16, "bf16", Tensor.allocate(DataType.BF16, 1));
            Tensor u32 = Tensor.allocate(DataType.UINT32, 1);
            engine.runInto(pkg, in, Map.of("u32_out", u32), DevicePreference.CPU);
            assertEquals(0xfffffffeL, u32.bytes().getInt(0) & 0xffffffffL);
        }
    }

    @Test
    void zeroSizeAxesAndModelsWithoutInputsRun() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            InferenceResult r = engine.run(pkg, Map.of("x", Tensor.allocate(DataType.FP32, 0, 3)), DevicePreference.CPU);
            assertArrayEquals(new long[]{0, 3}, r.output("y").shape());
        }
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("no_inputs.onnx", dir))) {
            assertTrue(pkg.manifest().inputs().isEmpty());
            Tensor table = engine.run(pkg, new HashMap<>(), DevicePreference.CPU).output("table");
            assertEquals(3f, table.floats().get(2));
        }
    }

    @Test
    void stringsGoInAndComeOutAsStrings() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("strings.onnx", dir))) {
            assertEquals(DataType.BYTES, pkg.manifest().input("words").orElseThrow().datatype());
            Tensor words = Tensor.ofStrings(new long[]{4}, "cat", "naïve", "", "日本 a😀b");
            for (boolean preallocate : new boolean[]{true, false}) {
                try (LocalEngine e = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1)
                        .preallocateOutputs(preallocate).build(), () -> GpuStatus.none("no GPU in tests"))) {
                    InferenceResult r = e.run(pkg, Map.of("words", words), DevicePreference.CPU);
                    assertEquals(DataType.BYTES, r.output("reversed").type());
                    assertArrayEquals(new long[]{4}, r.output("reversed").shape());
                    assertArrayEquals(new String[]{"日本 a😀b", "", "naïve", "cat"}, r.output("reversed").strings());
                    assertArrayEquals(words.strings(), r.output("echo").strings());
                    assertEquals(1L, r.output("label").longs().get(0), "cat");
                    assertEquals(0L, r.output("label").longs().get(1));
                }
            }
        }
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("string_input.onnx", dir))) {
            Tensor count = engine.run(pkg, Map.of("words", Tensor.ofStrings(new long[]{3}, "a", "b", "c")),
                    DevicePreference.CPU).output("count");
            assertEquals(3L, count.longs().get(0));
        }
    }

    @Test
    void aStringOutputIsNeverWrittenIntoACallersBuffer() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("strings.onnx", dir))) {
            var e = assertThrows(io.conduit.core.InvalidInputException.class, () -> engine.runInto(pkg,
                    Map.of("words", Tensor.ofStrings(new long[]{1}, "x")),
                    Map.of("echo", Tensor.ofStrings(new long[]{1}, "")), DevicePreference.CPU));
            assertTrue(e.getMessage().contains("output \"echo\" is BYTES: strings are returned"), e.getMessage());
        }
    }

    @Test
    void modelsConduitCannotCarryAreRefusedSayingWhyNotAsCorrupt() {
        assertUnsupported("sequence_output.onnx", "output \"parts\" is a sequence; Conduit carries only tensors");
        assertUnsupported("map_input.onnx", "input \"scores\" is a map; Conduit carries only tensors");
        assertUnsupported("uint16_input.onnx", "input \"x\" is UINT16, which ONNX Runtime's Java API cannot build");
    }

    private static void assertUnsupported(String model, String message) {
        ConduitException e = assertThrows(ConduitException.class, () -> OnnxModels.readSignature(TestModels.onnx(model)));
        assertEquals(ErrorCode.MODEL_UNSUPPORTED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
