package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.Route;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.tensor.TensorMetrics;
import io.conduit.server.ServerConfig;
import io.conduit.server.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote engine and the routing policy against a real Conduit server on loopback, and against
 * MockWebServer only for faults a real server cannot be made to produce on cue (a connection cut
 * mid-answer, an answer that never comes, a storm of 503s).
 */
class RemoteEngineTest {
    @TempDir
    Path dir;

    private TestServers real;
    private final LocalEngine local = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));

    @BeforeEach
    void start() throws Exception {
        real = TestServers.start(dir);
    }

    @AfterEach
    void stop() {
        real.close();
        local.close();
    }

    private static RemoteEngineConfig config(List<URI> endpoints) {
        return new RemoteEngineConfig(endpoints, "", Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(5),
                3, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(200), true);
    }

    private ModelPackage pkg(String name) {
        return ModelPackage.open(real.models().resolve(name));
    }

    @Test
    void binaryRoundTripCarriesEveryDatatype() {
        try (RemoteEngine remote = new RemoteEngine(config(List.of(real.server().baseUri())));
             ModelPackage pkg = pkg("all_types")) {
            Tensor f16 = Tensor.allocate(DataType.FP16, 2);
            f16.halfBits().put(0, Half.fromFloat(1.5f)).put(1, Half.fromFloat(-2f));
            Tensor i32 = Tensor.allocate(DataType.INT32, 1);
            i32.ints().put(0, 5);
            Tensor i64 = Tensor.allocate(DataType.INT64, 1);
            i64.longs().put(0, 1L << 50);
            Tensor u8 = Tensor.allocate(DataType.UINT8, 1);
            u8.bytes().put(0, (byte) 10);
            Tensor b = Tensor.allocate(DataType.BOOL, 1);
            Map<String, Tensor> in = Map.of("f16", f16, "i32", i32, "i64", i64, "u8", u8, "b", b);
            InferenceResult viaRemote = remote.run(pkg, in, DevicePreference.REMOTE);
            InferenceResult viaLocal = local.run(pkg, in, DevicePreference.CPU);
            assertEquals(Route.REMOTE, viaRemote.route().route());
            assertEquals(real.base(), viaRemote.route().endpoint());
            assertEquals(3f, Half.toFloat(viaRemote.output("f16_out").halfBits().get(0)));
            assertEquals(245, viaRemote.output("u8_out").bytes().get(0) & 0xff);
            assertEquals(1, viaRemote.output("b_out").bytes().get(0));
            assertEquals(3L << 50, viaRemote.output("i64_out").longs().get(0));
            assertSameOutputs(viaLocal, viaRemote);
        }
    }

    @Test
    void theWideTypesTravelBitForBit() {
        try (RemoteEngine remote = new RemoteEngine(config(List.of(real.server().baseUri())));
             ModelPackage pkg = pkg("wide_types")) {
            Tensor f64 = Tensor.allocate(DataType.FP64, 2);
            f64.bytes().putDouble(0, Math.PI).putDouble(8, -0.0);
            Tensor i8 = Tensor.allocate(DataType.INT8, 1);
            i8.bytes().put(0, (byte) -7);
            Tensor i16 = Tensor.allocate(DataType.INT16, 2);
            i16.bytes().putShort(0, (short) -1).putShort(2, (short) 1234);
            Tensor bf16 = Tensor.allocate(DataType.BF16, 1);
            bf16.bytes().putShort(0, (short) 0xc020); // -2.5
            Map<String, Tensor> in = Map.of("f64", f64, "i8", i8, "i16", i16, "bf16", bf16);
            InferenceResult viaRemote = remote.run(pkg, in, DevicePreference.REMOTE);
            assertEquals(Route.REMOTE, viaRemote.route().route());
            assertEquals(-1L, viaRemote.output("u64_out").bytes().getLong(0), "2^64 - 1");
            assertSameOutputs(local.run(pkg, in, DevicePreference.CPU), viaRemote);
        }
    }

    @Test
    void zeroSizeAxesRunRemotelyAsTheyRunLocally() {
        for (boolean binary : new boolean[]{true, false}) {
            try (RemoteEngine remote = new RemoteEngine(config(List.of(real.server().baseUri())).withBinary(binary));
                 ModelPackage pkg = pkg("scale_bias")) {
                Map<String, Tensor> empty = Map.of("x", Tensor.allocate(DataType.FP32, 0, 3));
                InferenceResult r = remote.run(pkg, empty, DevicePreference.REMOTE);
                assertEquals(Route.REMOTE, r.route().route());
                assertArrayEquals(new long[]{0, 3}, r.output("y").shape(), "binary=" + binary);
                assertSameOutputs(local.run(pkg, empty, DevicePreference.CPU), r);
            }
        }
    }

    @Test
    void runIntoReceivesOutputsIntoTheCallersTensors() {
        for (boolean binary : new boolean[]{true, false}) {
            try (RemoteEngine remote = new RemoteEngine(config(List.of(real.server().baseUri())).withBinary(binary));
                 ModelPackage pkg = pkg("two_in_two_out")) {
                Tensor sum = Tensor.allocate(DataType.FP32, 2, 3);
                Tensor product = Tensor.allocate(DataType.FP32, 2, 3);
                for (int frame = 1; frame <= 3; frame++) {
                    Map<String, Tensor> in = Map.of("a", Tensor.ofFloats(new long[]{2, 3}, frame, 2, 3, 4, 5, 6),
                            "b", Tensor.ofFloats(new long[]{2, 3}, 10, 20, 30, 40, 50, 60));
                    InferenceResult r = remote.runInto(pkg, in, Map.of("sum", sum, "product", product));
                    assertTrue(r.output("sum") == sum, "the caller's tensor is the output");
                    assertEquals(frame + 10f, sum.floats().get(0), "binary=" + binary);
                    assertEquals(360f, product.floats().get(5));
                }
                ConduitException wrong = assertThrows(ConduitException.class, () -> remote.runInto(pkg,
                        Map.of("a", Tensor.allocate(DataType.FP32, 1, 3), "b", Tensor.allocate(DataType.FP32, 1, 3)),
                        Map.of("sum", Tensor.allocate(DataType.INT32, 1, 3))));
                assertTrue(wrong.getMessage().startsWith("output buffer \"sum\" is INT32[1, 3]; expected sum FP32"),
                        wrong.getMessage());
            }
        }
    }

    @Test
    void jsonRoundTripWhenBinaryIsOffAndFp16IsRefusedClearly() {
        try (RemoteEngine remote = new RemoteEngine(config(List.of(real.server().baseUri())).withBinary(false));
             ModelPackage two = pkg("two_in_two_out"); ModelPackage all = pkg("all_types")) {
            Map<String, Tensor> in = Map.of("a", Tensor.ofFloats(new long[]{2, 3}, 1, 2, 3, 4, 5, 6),
                    "b", Tensor.ofFloats(new long[]{2, 3}, 0.5f, 0.25f, 0.125f, 1, 2, 3));
            assertSameOutputs(local.run(two, in, DevicePreference.CPU), remote.run(two, in, DevicePreference.REMOTE));
            Map<String, Tensor> types = Map.of("f16", Tensor.allocate(DataType.FP16, 1),
                    "i32", Tensor.allocate(DataType.INT32, 1), "i64", Tensor.allocate(DataType.INT64, 1),
                    "u8", Tensor.allocate(DataType.UINT8, 1), "b", Tensor.allocate(DataType.BOOL, 1));
            ConduitException e = assertThrows(ConduitException.class, () -> remote.run(all, types, DevicePreference.REMOTE));
            assertEquals(ErrorCode.PROTOCOL, e.code(), "a transport limit, not an unavailable service");
            assertTrue(e.getMessage().contains("cannot take input \"f16\" (FP16 tensors: they travel only as binary data); binary data,"
                    + " which it was not offered (remote.binary is false), is needed"), e.getMessage());
        }
    }

    @Test
    void remoteAndLocalRoutesGiveEqualOutputsOnTheDemoModel() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("demo"));
        Path demoModels = dir.resolve("demo");
        copyTree(Path.of("../installer/src/dist/demo/denoiser/package"), demoModels.resolve("demo-denoiser"));
        try (TestServers demo = new TestServers(dir.resolve("demo-server"), b -> ServerConfig.builder(demoModels).port(0));
             RemoteEngine remote = new RemoteEngine(config(List.of(demo.server().baseUri())));
             ModelPackage pkg = ModelPackage.open(demoModels.resolve("demo-denoiser"))) {
            Tensor noisy = Tensor.allocate(DataType.FP32, 1, 3, 32, 48);
            for (int i = 0; i < noisy.elementCount(); i++) {
                noisy.floats().put(i, (float) ((i * 7919) % 1000) / 1000f);
            }
            Map<String, Tensor> in = Map.of("noisy", noisy);
            assertSameOutputs(local.run(pkg, in, DevicePreference.CPU), remote.run(pkg, in, DevicePreference.REMOTE));
        }
    }

    @Test
    void anEndpointCutMidAnswerIsSkippedAndTheCallCompletesElsewhere() throws Exception {
        try (MockWebServer broken = readyServerThat(new MockResponse().setResponseCode(200)
                .setBody("{\"model_name\": \"scale-bias\", \"outputs\": [")
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
             ModelPackage pkg = pkg("scale_bias")) {
            URI brokenUri = broken.url("/").uri();
            try (RemoteEngine remote = new RemoteEngine(config(List.of(brokenUri, real.server().baseUri())))) {
                InferenceResult r = remote.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 4)), DevicePreference.REMOTE);
                assertEquals(9f, r.output("y").floats().get(0));
                assertEquals(real.base(), r.route().endpoint());
                assertTrue(r.route().reason().contains("after " + brokenUri.toString().replaceAll("/$", "")),
                        r.route().reason());
            }
            try (RoutingEngine routing = new RoutingEngine(local, new RemoteEngine(config(List.of(brokenUri))))) {
                InferenceResult r = routing.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 4)), DevicePreference.AUTO);
                assertEquals(Route.LOCAL_CPU, r.route().route(), "nothing lost: the CPU route finishes the call");
                assertEquals(9f, r.output("y").floats().get(0));
                assertTrue(r.route().reason().startsWith("local GPU: test machine has no GPU; remote: no remote service is"
                        + " available"), r.route().reason());
                assertTrue(r.route().reason().endsWith("running on the CPU, which the model allows"), r.route().reason());
            }
        }
    }

    @Test
    void aSlowServerCannotOutlastTheDeadline() throws Exception {
        try (MockWebServer slow = readyServerThat(new MockResponse().setResponseCode(200).setBody("{}")
                .setHeadersDelay(3, TimeUnit.SECONDS));
             ModelPackage pkg = pkg("scale_bias")) {
            RemoteEngineConfig c = config(List.of(slow.url("/").uri())).withDeadline(Duration.ofMillis(600));
            try (RemoteEngine remote = new RemoteEngine(c)) {
                long start = System.nanoTime();
                ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg,
                        Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.REMOTE));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code(), e.getMessage());
                assertTrue(millis < 3000, "gave up after " + millis + " ms");
                assertTrue(e.getMessage().startsWith("no answer within the 600 ms deadline"), e.getMessage());
            }
        }
    }

    @Test
    void a503StormIsRiddenOutWithBackoff() throws Exception {
        AtomicInteger inferCalls = new AtomicInteger();
        MockResponse answer = new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody("{\"model_name\":\"scale-bias\",\"model_version\":\"1.0.0\",\"outputs\":[{\"name\":\"y\","
                        + "\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[3.0]}]}");
        try (MockWebServer storm = new MockWebServer(); ModelPackage pkg = pkg("scale_bias")) {
            storm.setDispatcher(dispatcher(request -> inferCalls.incrementAndGet() <= 4
                    ? new MockResponse().setResponseCode(503).setHeader("Retry-After", "1").setBody("{\"error\":\"busy\"}")
                    : answer));
            storm.start();
            try (RemoteEngine remote = new RemoteEngine(config(List.of(storm.url("/").uri())).withBinary(false))) {
                InferenceResult r = remote.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.REMOTE);
                assertEquals(3f, r.output("y").floats().get(0));
                assertEquals(5, inferCalls.get(), "four refusals, then the answer");
                assertTrue(r.route().reason().contains("answered 503: busy"), r.route().reason());
            }
            inferCalls.set(-1000);
            RemoteEngineConfig shortDeadline = config(List.of(storm.url("/").uri())).withBinary(false)
                    .withDeadline(Duration.ofMillis(500));
            try (RemoteEngine remote = new RemoteEngine(shortDeadline)) {
                ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg,
                        Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.REMOTE));
                assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code(), e.getMessage());
                int attempts = inferCalls.get() + 1000;
                assertTrue(attempts >= 2 && attempts < 60, "backed off between " + attempts + " attempts in 500 ms");
            }
        }
    }

    @Test
    void aFailingEndpointIsSkippedByTheCircuitBreaker() throws Exception {
        AtomicInteger brokenCalls = new AtomicInteger();
        try (MockWebServer broken = new MockWebServer(); ModelPackage pkg = pkg("scale_bias")) {
            broken.setDispatcher(dispatcher(request -> {
                brokenCalls.incrementAndGet();
                return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            }));
            broken.start();
            RemoteEngineConfig c = new RemoteEngineConfig(List.of(broken.url("/").uri(), real.server().baseUri()), "",
                    Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ZERO, 2, Duration.ofMinutes(5),
                    Duration.ofMillis(1), Duration.ofMillis(5), true);
            try (RemoteEngine remote = new RemoteEngine(c)) {
                for (int i = 0; i < 8; i++) {
                    InferenceResult r = remote.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, i)),
                            DevicePreference.REMOTE);
                    assertEquals(2f * i + 1, r.output("y").floats().get(0));
                }
                assertEquals(2, brokenCalls.get(), "two failures open the breaker; then the endpoint is left alone");
                assertTrue(remote.health().get(0).problem().startsWith("skipped after repeated failures"));
            }
        }
    }

    @Test
    void oneDroppedConnectionDoesNotTakeASoleEndpointOffline() throws Exception {
        AtomicInteger inferCalls = new AtomicInteger();
        MockResponse answer = new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody("{\"model_name\":\"scale-bias\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\","
                        + "\"shape\":[1,1],\"data\":[7.0]}]}");
        try (MockWebServer flaky = new MockWebServer(); ModelPackage pkg = pkg("scale_bias")) {
            flaky.setDispatcher(dispatcher(request -> inferCalls.incrementAndGet() == 1
                    ? new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST) : answer));
            flaky.start();
            try (RemoteEngine remote = new RemoteEngine(config(List.of(flaky.url("/").uri())).withBinary(false))) {
                InferenceResult r = remote.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 3)), DevicePreference.REMOTE);
                assertEquals(7f, r.output("y").floats().get(0));
                assertEquals(2, inferCalls.get(), "the dropped call was retried on the same, only, endpoint");
                InferenceResult again = remote.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 3)),
                        DevicePreference.REMOTE);
                assertEquals(7f, again.output("y").floats().get(0));
            }
        }
    }

    @Test
    void silentEndpointsCannotStretchTheDeadlineThroughProbes() throws Exception {
        try (MockWebServer a = new MockWebServer(); MockWebServer b = new MockWebServer(); ModelPackage pkg = pkg("scale_bias")) {
            for (MockWebServer silent : List.of(a, b)) {
                silent.setDispatcher(new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return new MockResponse().setBody("{}").setHeadersDelay(3, TimeUnit.SECONDS);
                    }
                });
                silent.start();
            }
            RemoteEngineConfig c = config(List.of(a.url("/").uri(), b.url("/").uri())).withDeadline(Duration.ofMillis(400));
            try (RemoteEngine remote = new RemoteEngine(c)) {
                long start = System.nanoTime();
                ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg,
                        Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.REMOTE));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code(), e.getMessage());
                assertTrue(millis < 1500, "readiness probes held the call for " + millis + " ms");
            }
        }
    }

    @Test
    void invalidInputIsNeverRetriedAndUnknownModelsAreNamed() throws Exception {
        try (RemoteEngine remote = new RemoteEngine(config(List.of(real.server().baseUri())));
             ModelPackage pkg = pkg("scale_bias")) {
            ConduitException bad = assertThrows(ConduitException.class, () -> remote.run(pkg,
                    Map.of("x", Tensor.allocate(DataType.INT32, 1, 1)), DevicePreference.REMOTE));
            assertEquals(ErrorCode.INPUT_INVALID, bad.code());
            Path other = io.conduit.core.testing.TestModels.packageOf("flatten.onnx", dir.resolve("elsewhere"));
            try (ModelPackage unknown = ModelPackage.open(other)) {
                ConduitException missing = assertThrows(ConduitException.class, () -> remote.run(unknown,
                        Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1)), DevicePreference.REMOTE));
                assertEquals(ErrorCode.MODEL_NOT_FOUND, missing.code());
                assertTrue(missing.getMessage().contains("unknown model \"flatten\""), missing.getMessage());
            }
        }
    }

    private static void assertSameOutputs(InferenceResult expected, InferenceResult actual) {
        assertEquals(expected.outputs().keySet(), actual.outputs().keySet());
        for (String name : expected.outputs().keySet()) {
            Tensor e = expected.output(name);
            Tensor a = actual.output(name);
            assertEquals(e.type(), a.type(), name);
            assertArrayEquals(e.shape(), a.shape(), name);
            for (long i = 0; i < e.elementCount(); i++) {
                assertEquals(TensorMetrics.value(e, i), TensorMetrics.value(a, i), name + "[" + i + "]");
            }
            assertEquals(e.bytes(), a.bytes(), name + ": bit for bit");
        }
    }

    /** A mock that says it is ready and speaks binary, and answers inference with {@code infer}. */
    private static MockWebServer readyServerThat(MockResponse infer) throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(dispatcher(request -> infer));
        server.start();
        return server;
    }

    private static Dispatcher dispatcher(java.util.function.Function<RecordedRequest, MockResponse> infer) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                if (path.equals("/v2/health/ready")) {
                    return new MockResponse().setResponseCode(200).setBody("{\"ready\":true}");
                }
                if (path.equals("/v2")) {
                    return new MockResponse().setResponseCode(200)
                            .setBody("{\"name\":\"mock\",\"extensions\":[\"binary_tensor_data\"]}");
                }
                if (path.endsWith("/config")) {
                    // a service without Triton's config endpoint: the client names the semantic version
                    return new MockResponse().setResponseCode(404).setBody("{\"error\":\"no endpoint\"}");
                }
                return infer.apply(request);
            }
        };
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
    }
}
