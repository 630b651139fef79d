package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.PackageWriter;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.server.v2.ModelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conduit serve} listens before its models load, and readiness follows each model as V2 and
 * Triton have it: live at once, a model ready as soon as it has loaded while another is still loading
 * (held by a gate), a loading model's inference answered 503 with {@code Retry-After}, broken packages
 * reported unavailable with the reason without holding up the rest, and the server ready only once
 * every model has finished loading; the gRPC port's ModelReady and ServerReady say the same.
 */
class BackgroundLoadingTest {
    private static final String SCALE_BIAS_INFER =
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}";
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @TempDir
    Path dir;

    @Test
    void eachModelIsReadyWhenItHasLoadedWhileASlowOneLoadsAndBrokenOnesAreReported() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.packageOf("scale_bias.onnx", models);
        TestModels.packageOf("two_in_two_out.onnx", models); // the slow one, held at its session by the gate
        Path broken = TestModels.packageOf("invert_nchw.onnx", models);
        Files.writeString(modelFile(broken), "not an ONNX model");
        PackageWriter.reseal(broken); // digests match: only ONNX Runtime can tell it is broken
        Path tampered = TestModels.packageOf("to_half.onnx", models);
        Files.write(modelFile(tampered), new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        try (LocalEngine local = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"));
             ConduitServer server = ConduitServer.listen(ServerConfig.builder(models).port(0).grpcPort(0).build(),
                     new GatedEngine(local, "two-in-two-out", slowStarted, gate))) {
            String base = server.baseUri().toString();
            assertEquals(200, get(base + "/v2/health/live").code, "live as soon as the port is open");
            assertTrue(slowStarted.await(30, TimeUnit.SECONDS));

            assertEquals(ModelState.READY, server.awaitModel("scale-bias", null, Duration.ofSeconds(30)));
            assertEquals(200, get(base + "/v2/models/scale-bias/ready").code, "ready while another model still loads");
            assertEquals(200, get(base + "/v2/models/scale-bias/versions/1/ready").code, "on Triton's route too");
            assertEquals(200, post(base + "/v2/models/scale-bias/infer", SCALE_BIAS_INFER).code);

            Answer slowReady = get(base + "/v2/models/two-in-two-out/ready");
            assertEquals(503, slowReady.code);
            assertEquals("LOADING", slowReady.json().get("state").getAsString());
            Answer slowInfer = post(base + "/v2/models/two-in-two-out/infer", SCALE_BIAS_INFER);
            assertEquals(503, slowInfer.code, "a model still loading is not 404 and does not hang: " + slowInfer.body);
            assertEquals("1", slowInfer.retryAfter);
            assertEquals("CDT-MODEL-NOT-READY", slowInfer.json().get("code").getAsString());
            assertTrue(slowInfer.body.contains("still loading"), slowInfer.body);
            JsonObject slowMetadata = get(base + "/v2/models/two-in-two-out").json();
            assertEquals("LOADING", slowMetadata.get("state").getAsString());
            assertEquals(2, slowMetadata.getAsJsonArray("inputs").size(), "the signature its header declares");
            Answer notYet = get(base + "/v2/health/ready");
            assertEquals(503, notYet.code, "the server is ready only once every model has loaded");
            assertTrue(notYet.body.contains("1 of 4 model version(s) still loading"), notYet.body);
            assertEquals(404, get(base + "/v2/models/absent/ready").code, "an unknown model is still unknown");
            io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(
                    "127.0.0.1", server.grpcPort().getAsInt()).usePlaintext().build();
            var grpc = io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc.newBlockingStub(channel);
            try {
                assertTrue(grpc.modelReady(readyRequest("scale-bias")).getReady(), "gRPC: ready once loaded");
                assertTrue(!grpc.modelReady(readyRequest("two-in-two-out")).getReady(), "gRPC: not while loading");
                assertTrue(!grpc.serverReady(io.conduit.server.grpc.proto.ServerReadyRequest.getDefaultInstance())
                        .getReady(), "gRPC: the server only once every model has loaded");
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }

            assertEquals(ModelState.UNAVAILABLE, server.awaitModel("invert-nchw", null, Duration.ofSeconds(30)));
            Answer badReady = get(base + "/v2/models/invert-nchw/ready");
            assertEquals(503, badReady.code);
            assertEquals("UNAVAILABLE", badReady.json().get("state").getAsString());
            assertTrue(badReady.json().get("reason").getAsString().contains("ONNX Runtime"), badReady.body);
            JsonObject badMetadata = get(base + "/v2/models/invert-nchw").json();
            assertEquals("UNAVAILABLE", badMetadata.get("state").getAsString());
            assertTrue(badMetadata.get("reason").getAsString().contains("ONNX Runtime"), badMetadata.toString());
            Answer badInfer = post(base + "/v2/models/invert-nchw/infer", SCALE_BIAS_INFER);
            assertEquals(503, badInfer.code);
            assertTrue(badInfer.body.contains("failed to load"), badInfer.body);

            assertEquals(ModelState.UNAVAILABLE, server.awaitModel("to-half", null, Duration.ofSeconds(30)));
            assertTrue(get(base + "/v2/models/to-half").json().get("reason").getAsString()
                    .contains("CDT-PACKAGE-INTEGRITY"), "the package's own failure, searchable");

            JsonArray index = JsonParser.parseString(post(base + "/v2/repository/index", "{}").body).getAsJsonArray();
            assertEquals("{invert-nchw=UNAVAILABLE, scale-bias=READY, to-half=UNAVAILABLE, two-in-two-out=LOADING}",
                    states(index));

            gate.countDown();
            assertTrue(server.awaitModels(Duration.ofSeconds(30)));
            assertEquals(200, get(base + "/v2/models/two-in-two-out/ready").code);
            assertEquals(200, post(base + "/v2/models/two-in-two-out/infer", "{\"inputs\":["
                    + "{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},"
                    + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[3,4,5]}]}").code);
            assertEquals(200, get(base + "/v2/health/ready").code, "broken models do not hold the server's readiness");
            io.grpc.ManagedChannel after = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(
                    "127.0.0.1", server.grpcPort().getAsInt()).usePlaintext().build();
            try {
                var loaded = io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc.newBlockingStub(after);
                assertTrue(loaded.modelReady(readyRequest("two-in-two-out")).getReady());
                assertTrue(loaded.serverReady(io.conduit.server.grpc.proto.ServerReadyRequest.getDefaultInstance()).getReady());
            } finally {
                after.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            assertEquals(2, server.problems().size(), server.problems().toString());
        }
    }

    private static io.conduit.server.grpc.proto.ModelReadyRequest readyRequest(String name) {
        return io.conduit.server.grpc.proto.ModelReadyRequest.newBuilder().setName(name).build();
    }

    private static Path modelFile(Path pkg) {
        return pkg.resolve(io.conduit.core.manifest.ManifestReader.read(pkg.resolve(ModelPackage.MANIFEST)).modelFile());
    }

    private static String states(JsonArray index) {
        Map<String, String> byName = new java.util.TreeMap<>();
        index.forEach(e -> byName.put(e.getAsJsonObject().get("name").getAsString(),
                e.getAsJsonObject().get("state").getAsString()));
        return byName.toString();
    }

    private record Answer(int code, String body, String retryAfter) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    private Answer get(String url) throws IOException {
        return call(new Request.Builder().url(url).build());
    }

    private Answer post(String url, String json) throws IOException {
        return call(new Request.Builder().url(url).post(RequestBody.create(json, MediaType.get("application/json"))).build());
    }

    private Answer call(Request request) throws IOException {
        try (Response r = http.newCall(request).execute()) {
            return new Answer(r.code(), r.body().string(), r.header("Retry-After"));
        }
    }

    /** The real engine, except that preparing one model waits at a gate: a model that takes as long to load as the test wants. */
    private record GatedEngine(LocalEngine real, String slowModel, CountDownLatch started, CountDownLatch gate)
            implements InferenceEngine {
        @Override
        public void prepare(ModelPackage model, DevicePreference device) {
            if (model.manifest().name().equals(slowModel)) {
                started.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            real.prepare(model, device);
        }

        @Override
        public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
            return real.run(model, inputs, device);
        }

        @Override
        public RouteDecision plan(ModelPackage model, DevicePreference device) {
            return real.plan(model, device);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
