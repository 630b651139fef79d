package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc;
import io.conduit.server.grpc.proto.ModelInferRequest;
import io.conduit.server.grpc.proto.ServerLiveRequest;
import io.conduit.server.grpc.proto.ServerReadyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Kubernetes deployment relies on: Prometheus scrapes without a user token, and a drain that stays live. */
class ServiceLifecycleTest {
    private static final String INFER = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}";
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @TempDir
    Path dir;

    private int get(String url) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code();
        }
    }

    @Test
    void theMetricsPortAnswersPrometheusWithoutATokenAndNothingElse() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "s3cr3t-token-for-alice alice\n");
        try (TestServers guarded = new TestServers(dir.resolve("guarded"), b -> b.tokensFile(tokens).metricsPort(0))) {
            String metrics = "http://127.0.0.1:" + guarded.server().metricsPort().orElseThrow();
            assertEquals(401, get(guarded.base() + "/metrics"), "the main port keeps its token check");
            try (Response r = http.newCall(new Request.Builder().url(guarded.base() + "/v2/models/scale-bias/infer")
                    .header("Authorization", "Bearer s3cr3t-token-for-alice")
                    .post(RequestBody.create(INFER, MediaType.get("application/json"))).build()).execute()) {
                assertEquals(200, r.code());
            }
            try (Response r = http.newCall(new Request.Builder().url(metrics + "/metrics").build()).execute()) {
                assertEquals(200, r.code());
                assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
                String text = r.body().string();
                assertTrue(text.contains("model=\"scale-bias\""), "Prometheus text with the inference: " + text);
            }
            assertEquals(404, get(metrics + "/v2/models/scale-bias"), "models stay behind the tokens");
            assertEquals(404, get(metrics + "/conduit/v1/feedback"));
            try (Response r = http.newCall(new Request.Builder().url(metrics + "/v2/models/scale-bias/infer")
                    .post(RequestBody.create(INFER, MediaType.get("application/json"))).build()).execute()) {
                assertEquals(404, r.code());
            }
        }
    }

    @Test
    void shutdownStopsBeingReadyStaysLiveAndServesWhileDrainingThenStopsListening() throws Exception {
        TestServers servers = new TestServers(dir, b -> b.drainDelay(Duration.ofSeconds(3)));
        String base = servers.base();
        assertEquals(200, get(base + "/v2/health/ready"));
        Thread closer = new Thread(servers::close, "test-close");
        closer.start();
        assertTrue(servers.server().draining.await(10, TimeUnit.SECONDS));
        assertEquals(503, get(base + "/v2/health/ready"), "no new work is sent to a draining pod");
        assertEquals(200, get(base + "/v2/health/live"), "but it is not restarted either");
        try (Response r = http.newCall(new Request.Builder().url(base + "/v2/models/scale-bias/infer")
                .post(RequestBody.create(INFER, MediaType.get("application/json"))).build()).execute()) {
            assertEquals(200, r.code(), "a request that still arrives is served");
        }
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!closer.isAlive());
        assertThrows(IOException.class, () -> get(base + "/v2/health/live"), "then it stops listening");
    }

    @Test
    void theGrpcPortDrainsWithTheHttpPort() throws Exception {
        TestServers servers = new TestServers(dir, b -> b.drainDelay(Duration.ofSeconds(3)).grpcPort(0));
        io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
                .forAddress("127.0.0.1", servers.server().grpcPort().getAsInt()).usePlaintext().build();
        try {
            var grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
            assertTrue(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
            Thread closer = new Thread(servers::close, "test-close");
            closer.start();
            assertTrue(servers.server().draining.await(10, TimeUnit.SECONDS));
            assertFalse(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady(), "draining: not ready");
            assertTrue(grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive(), "but live");
            ModelInferRequest infer = ModelInferRequest.newBuilder().setModelName("scale-bias")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                            .addShape(1).addShape(1))
                    .addRawInputContents(com.google.protobuf.ByteString.copyFrom(new byte[4])).build();
            assertEquals(1, grpc.modelInfer(infer).getOutputsCount(), "a call that still arrives is served");
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!closer.isAlive());
            io.grpc.StatusRuntimeException stopped = assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> grpc.serverLive(ServerLiveRequest.getDefaultInstance()), "then it stops listening");
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, stopped.getStatus().getCode());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withRequireGpuReadinessWaitsForCudaAndSaysWhy() throws Exception {
        var status = new java.util.concurrent.atomic.AtomicReference<>(
                io.conduit.core.engine.local.GpuStatus.none("nvidia-smi found no GPU"));
        Path models = Files.createDirectories(dir.resolve("models"));
        io.conduit.core.testing.TestModels.packageOf("scale_bias.onnx", models);
        // probeTtl zero: the engine asks the probe on every readiness check, so a change shows at once.
        try (var engine = new io.conduit.core.engine.local.LocalEngine(
                io.conduit.core.engine.local.LocalEngineConfig.builder().intraOpThreads(1).probeTtl(Duration.ZERO).build(), status::get);
             ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).requireGpu(true).grpcPort(0)
                     .build(), engine)) {
            io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
                    .forAddress("127.0.0.1", server.grpcPort().getAsInt()).usePlaintext().build();
            var grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
            String base = server.baseUri().toString();
            try (Response r = http.newCall(new Request.Builder().url(base + "/v2/health/ready").build()).execute()) {
                assertEquals(503, r.code());
                assertTrue(r.body().string().contains("nvidia-smi found no GPU"), "the reason is given");
            }
            assertEquals(503, get(base + "/v2/models/scale-bias/ready"));
            assertEquals(200, get(base + "/v2/health/live"), "alive, just not ready");
            assertFalse(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady(), "the gRPC port too");
            status.set(new io.conduit.core.engine.local.GpuStatus(List.of(new io.conduit.core.engine.local.GpuInfo(
                    0, "Test GPU", 24000)), true, ""));
            assertEquals(200, get(base + "/v2/health/ready"), "ready once CUDA is confirmed");
            assertEquals(200, get(base + "/v2/models/scale-bias/ready"));
            assertTrue(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
