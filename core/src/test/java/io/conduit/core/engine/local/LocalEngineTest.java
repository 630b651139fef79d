package io.conduit.core.engine.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.ErrorCode;
import io.conduit.core.InvalidInputException;
import io.conduit.core.ManifestException;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.Route;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ONNX Runtime sessions on the committed test models. */
class LocalEngineTest {
    private static final GpuProbe NO_GPU = () -> GpuStatus.none("no NVIDIA driver found (test machine)");

    @TempDir
    Path dir;

    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(), NO_GPU);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void runsOnCpuAcrossDynamicShapesAndSaysWhy() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            for (long[] shape : new long[][]{{1, 4}, {3, 7}, {16, 1}}) {
                Tensor x = Tensor.allocate(DataType.FP32, shape);
                for (int i = 0; i < x.elementCount(); i++) {
                    x.floats().put(i, i * 0.5f);
                }
                InferenceResult result = engine.run(pkg, Map.of("x", x), DevicePreference.AUTO);
                Tensor y = result.output("y");
                assertArrayEquals(shape, y.shape());
                for (int i = 0; i < y.elementCount(); i++) {
                    assertEquals(2 * (i * 0.5f) + 1, y.floats().get(i), 0f);
                }
                assertEquals(Route.LOCAL_CPU, result.route().route());
                assertTrue(result.route().reason().startsWith("no NVIDIA driver found (test machine)"));
            }
            assertEquals(1, engine.openSessions(), "one session serves every shape");
        }
    }

    @Test
    void carriesEverySupportedDatatype() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("all_types.onnx", dir))) {
            Tensor f16 = Tensor.allocate(DataType.FP16, 3);
            Tensor i32 = Tensor.allocate(DataType.INT32, 2);
            Tensor i64 = Tensor.allocate(DataType.INT64, 2);
            Tensor u8 = Tensor.allocate(DataType.UINT8, 4);
            Tensor b = Tensor.allocate(DataType.BOOL, 2);
            for (int i = 0; i < 3; i++) f16.halfBits().put(i, Half.fromFloat(i + 0.5f));
            i32.ints().put(0, -7).put(1, 100);
            i64.longs().put(0, 1L << 40).put(1, -5);
            u8.bytes().put(new byte[]{0, 1, (byte) 200, (byte) 255});
            b.bytes().put(new byte[]{1, 0});
            Map<String, Tensor> out = engine.run(pkg, Map.of("f16", f16, "i32", i32, "i64", i64, "u8", u8, "b", b),
                    DevicePreference.CPU).outputs();
            assertEquals(List.of("f16_out", "i32_out", "i64_out", "u8_out", "b_out"), new ArrayList<>(out.keySet()));
            assertEquals(DataType.FP16, out.get("f16_out").type());
            assertEquals(5.0f, Half.toFloat(out.get("f16_out").halfBits().get(2)));
            assertEquals(0, out.get("i32_out").ints().get(0));
            assertEquals(107, out.get("i32_out").ints().get(1));
            assertEquals(3L << 40, out.get("i64_out").longs().get(0));
            assertEquals(-15L, out.get("i64_out").longs().get(1));
            ByteBuffer inverted = out.get("u8_out").bytes();
            assertEquals(List.of(255, 254, 55, 0), List.of(inverted.get(0) & 0xff, inverted.get(1) & 0xff,
                    inverted.get(2) & 0xff, inverted.get(3) & 0xff));
            assertEquals(0, out.get("b_out").bytes().get(0));
            assertEquals(1, out.get("b_out").bytes().get(1));
        }
    }

    @Test
    void multipleInputsAndOutputs() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("two_in_two_out.onnx", dir))) {
            Tensor a = Tensor.ofFloats(new long[]{2, 3}, 1, 2, 3, 4, 5, 6);
            Tensor b = Tensor.ofFloats(new long[]{2, 3}, 10, 20, 30, 40, 50, 60);
            InferenceResult r = engine.run(pkg, Map.of("a", a, "b", b), DevicePreference.AUTO);
            assertEquals(66f, r.output("sum").floats().get(5));
            assertEquals(360f, r.output("product").floats().get(5));
            assertTrue(r.computeNanos() > 0 && r.totalNanos() >= r.computeNanos());
        }
    }

    @Test
    void outputsWhoseShapeIsOnlyKnownAfterTheRunAreCopiedOut() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("flatten.onnx", dir))) {
            Tensor x = Tensor.ofFloats(new long[]{2, 2}, 1, 2, 3, 4);
            Tensor flat = engine.run(pkg, Map.of("x", x), DevicePreference.AUTO).output("flat");
            assertArrayEquals(new long[]{4}, flat.shape());
            assertFalse(flat.bytes().isDirect(), "an output sized by the run is copied out of ONNX Runtime");
            assertEquals(4f, flat.floats().get(3));
        }
    }

    @Test
    void runIntoWritesIntoTheCallersBuffersInPlace() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            Tensor y = Tensor.allocate(DataType.FP32, 2, 2);
            for (int frame = 0; frame < 3; frame++) {
                Tensor x = Tensor.ofFloats(new long[]{2, 2}, frame, frame, frame, frame);
                InferenceResult r = engine.runInto(pkg, Map.of("x", x), Map.of("y", y), DevicePreference.CPU);
                assertTrue(r.output("y") == y, "the caller's tensor is the output");
                assertEquals(2f * frame + 1, y.floats().get(3));
            }
            Tensor ints = Tensor.allocate(DataType.INT32, 2, 2);
            Map<String, Tensor> in = Map.of("x", Tensor.allocate(DataType.FP32, 2, 2));
            assertEquals("output buffer \"y\" is INT32[2, 2]; expected FP32[-1, -1]", assertThrows(
                    InvalidInputException.class, () -> engine.runInto(pkg, in, Map.of("y", ints), DevicePreference.CPU))
                    .getMessage());
            Tensor heap = Tensor.wrap(DataType.FP32, new long[]{2, 2}, ByteBuffer.allocate(16));
            assertTrue(assertThrows(InvalidInputException.class,
                    () -> engine.runInto(pkg, in, Map.of("y", heap), DevicePreference.CPU)).getMessage()
                    .contains("on the Java heap"));
            assertTrue(assertThrows(InvalidInputException.class,
                    () -> engine.runInto(pkg, in, Map.of("z", y), DevicePreference.CPU)).getMessage()
                    .startsWith("unknown output \"z\" for scale-bias@1.0.0; expected one of [y]"));
        }
    }

    @Test
    void preallocatedOutputsAreSizedFromNamedInputAxes() {
        LocalEngineConfig config = LocalEngineConfig.builder().intraOpThreads(1).preallocateOutputs(true).build();
        try (LocalEngine preallocating = new LocalEngine(config, NO_GPU);
             ModelPackage pkg = ModelPackage.open(TestModels.packageOf("invert_nchw.onnx", dir))) {
            Tensor image = Tensor.allocate(DataType.FP32, 1, 3, 5, 7);
            image.floats().put(104, 0.25f);
            Tensor out = preallocating.run(pkg, Map.of("image", image), DevicePreference.CPU).output("inverted");
            assertTrue(out.bytes().isDirect(), "sized from the input's height and width, written in place");
            assertArrayEquals(new long[]{1, 3, 5, 7}, out.shape());
            assertEquals(0.75f, out.floats().get(104));
            assertEquals(1f, out.floats().get(0));
        }
    }

    @Test
    void sessionsAreSharedAcrossThreads() throws Exception {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Float>> results = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    float value = i;
                    results.add(pool.submit(() -> engine.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, value)),
                            DevicePreference.CPU).output("y").floats().get(0)));
                }
                for (int i = 0; i < 32; i++) {
                    assertEquals(2f * i + 1, results.get(i).get());
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(1, engine.openSessions());
        }
    }

    @Test
    void badInputsAreRefusedBeforeOnnxRuntimeSeesThem() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("two_in_two_out.onnx", dir))) {
            Tensor ok = Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3);
            InvalidInputException unknown = assertThrows(InvalidInputException.class,
                    () -> engine.run(pkg, Map.of("a", ok, "b", ok, "c", ok), DevicePreference.AUTO));
            assertEquals("unknown input \"c\" for two-in-two-out@1.0.0; expected one of [a, b]", unknown.getMessage());
            InvalidInputException missing = assertThrows(InvalidInputException.class,
                    () -> engine.run(pkg, Map.of("a", ok), DevicePreference.AUTO));
            assertEquals("input \"b\" of two-in-two-out@1.0.0 is missing; the model takes [a, b]", missing.getMessage());
            Tensor ints = Tensor.allocate(DataType.INT32, 1, 3);
            InvalidInputException dtype = assertThrows(InvalidInputException.class,
                    () -> engine.run(pkg, Map.of("a", ok, "b", ints), DevicePreference.AUTO));
            assertEquals("input \"b\" is INT32; expected FP32 (shape [-1, 3])", dtype.getMessage());
            Tensor wide = Tensor.allocate(DataType.FP32, 1, 4);
            InvalidInputException shape = assertThrows(InvalidInputException.class,
                    () -> engine.run(pkg, Map.of("a", wide, "b", ok), DevicePreference.AUTO));
            assertEquals("input \"a\" has shape [1, 4]; expected [-1, 3] (-1 = any size)", shape.getMessage());
            assertEquals(0, engine.openSessions(), "nothing was loaded for bad input");
        }
    }

    @Test
    void corruptOnnxIsReportedAsSuch() throws Exception {
        Path pkgDir = TestModels.packageOf("scale_bias.onnx", dir);
        byte[] junk = "this is not a protobuf".getBytes(StandardCharsets.UTF_8);
        Files.write(pkgDir.resolve("model.onnx"), junk);
        Path manifest = pkgDir.resolve("conduit.json");
        String text = Files.readString(manifest);
        String digest = text.replaceAll("(?s).*\"model.onnx\": \"([0-9a-f]{64})\".*", "$1");
        Files.writeString(manifest, text.replace(digest, Sha256.ofBytes(junk)));
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            ConduitException e = assertThrows(ConduitException.class,
                    () -> engine.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.AUTO));
            assertEquals(ErrorCode.MODEL_CORRUPT, e.code());
            assertTrue(e.getMessage().contains("is not a model ONNX Runtime can load"), e.getMessage());
        }
    }

    @Test
    void aManifestThatDriftedFromItsModelIsRefused() {
        Path pkgDir = TestModels.packageOf("scale_bias.onnx", dir, m -> withInput(m,
                TensorSpec.plain("x", DataType.FP32, new long[]{-1, -1, -1})));
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            ManifestException e = assertThrows(ManifestException.class, () -> engine.run(pkg,
                    Map.of("x", Tensor.allocate(DataType.FP32, 1, 1, 1)), DevicePreference.AUTO));
            assertEquals("scale-bias@1.0.0: input \"x\" has rank 3 [-1, -1, -1] in conduit.json but rank 2 [-1, -1]"
                    + " in model.onnx", e.getMessage());
        }
    }

    @Test
    void aSharedSessionStillChecksEachPackagesManifest() {
        Path good = TestModels.packageOf("scale_bias.onnx", dir);
        Path lying = TestModels.packageOf("scale_bias.onnx", dir.resolve("other"), m -> new Manifest(m.schemaVersion(),
                m.name(), m.version(), m.description(), m.authors(), m.modelFile(), m.inputs(),
                List.of(TensorSpec.plain("y", DataType.INT32, new long[]{-1, -1})), m.requirements(), m.hosts(),
                m.lineage(), m.assets(), m.files()));
        try (ModelPackage a = ModelPackage.open(good); ModelPackage b = ModelPackage.open(lying)) {
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1));
            engine.run(a, in, DevicePreference.CPU);
            ManifestException e = assertThrows(ManifestException.class, () -> engine.run(b, in, DevicePreference.CPU));
            assertTrue(e.getMessage().contains("output \"y\" is INT32 in conduit.json but FP32 in model.onnx"), e.getMessage());
            // The session remembers the manifest it last matched; a refused one is refused on every call.
            engine.run(a, in, DevicePreference.CPU);
            assertThrows(ManifestException.class, () -> engine.run(b, in, DevicePreference.CPU));
        }
    }

    @Test
    void aSimulatedGpuThatCannotStartCudaFallsBackToCpuAndSaysSo() {
        GpuProbe fakeGpu = () -> new GpuStatus(List.of(new GpuInfo(0, "Simulated RTX", 24000)), true, "");
        try (LocalEngine gpuEngine = new LocalEngine(LocalEngineConfig.defaults(), fakeGpu);
             ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            assertEquals(Route.LOCAL_GPU, gpuEngine.plan(pkg, DevicePreference.AUTO).route());
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 3));
            InferenceResult r = gpuEngine.run(pkg, in, DevicePreference.AUTO);
            // With the CPU build, or the GPU build on a machine without CUDA libraries (as in CI), CUDA
            // cannot start; on a real GPU machine with the GPU build it does, and the GPU route stands.
            if (r.route().route() == Route.LOCAL_CPU) {
                assertTrue(r.route().reason().startsWith("GPU 0 (Simulated RTX) has 24000 MiB free"), r.route().reason());
                assertTrue(r.route().reason().contains(", but the CUDA provider could not be enabled on GPU 0")
                        || r.route().reason().contains(", but a CUDA session could not be created"), r.route().reason());
                assertTrue(r.route().reason().endsWith("; fell back to the CPU"), r.route().reason());
                DeviceUnavailableException forced = assertThrows(DeviceUnavailableException.class,
                        () -> gpuEngine.run(pkg, in, DevicePreference.GPU));
                assertTrue(forced.getMessage().startsWith("device gpu was requested but"), forced.getMessage());
                InferenceResult again = gpuEngine.run(pkg, in, DevicePreference.AUTO);
                assertTrue(again.route().reason().contains("min ago); running on the CPU"),
                        "the failure is remembered, not retried on every call: " + again.route().reason());
            } else {
                assertEquals(Route.LOCAL_GPU, r.route().route());
            }
            assertEquals(7f, r.output("y").floats().get(0));
        }
    }

    @Test
    void aClosedEngineRefusesWork() {
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            engine.close();
            assertThrows(ConduitException.class,
                    () -> engine.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.CPU));
        }
    }

    private static Manifest withInput(Manifest m, TensorSpec input) {
        return new Manifest(m.schemaVersion(), m.name(), m.version(), m.description(), m.authors(), m.modelFile(),
                List.of(input), m.outputs(), m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files());
    }
}
