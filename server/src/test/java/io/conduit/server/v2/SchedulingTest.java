package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching, the bounded queue and graceful shutdown, on a real server over loopback. */
class SchedulingTest {
    @TempDir
    Path dir;

    private final LocalEngine local = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        local.close();
    }

    /** scale-bias with vector layouts: its first axis is then a batch axis the scheduler may join requests on. */
    private Path models() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        UnaryOperator<TensorSpec> vector = s -> new TensorSpec(s.name(), s.datatype(), s.shape(), Layout.VECTOR, s.role(),
                s.valueRange(), s.colorSpace());
        TestModels.packageOf("scale_bias.onnx", models, m -> new Manifest(m.schemaVersion(), m.name(), m.version(),
                m.description(), m.authors(), m.modelFile(), m.inputs().stream().map(vector).toList(),
                m.outputs().stream().map(vector).toList(), m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files()));
        return models;
    }

    @Test
    void aModelWhoseLayoutNamesNoBatchAxisIsNeverJoined() throws Exception {
        // The same model with its default layout ("any"): a leading dynamic axis alone may be rows that interact.
        Path models = Files.createDirectories(dir.resolve("plain"));
        TestModels.packageOf("scale_bias.onnx", models);
        AtomicInteger runs = new AtomicInteger();
        ServerConfig config = ServerConfig.builder(models).port(0)
                .batching("scale-bias", new BatchingConfig(16, Duration.ofMillis(200), 1, 64)).build();
        try (ConduitServer server = ConduitServer.start(config, new Gate(local, null, runs))) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(infer(server, i));
            }
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = calls.get(i).get(20, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
            }
            assertEquals(6, runs.get(), "each request ran alone");
        }
    }

    private CompletableFuture<HttpResponse<String>> infer(ConduitServer server, float value) {
        String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[" + value + ","
                + value + "]}]}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/models/scale-bias/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void concurrentRequestsAreJoinedIntoBatchesAndEachGetsItsOwnRows() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        InferenceEngine counting = new Gate(local, null, runs);
        ServerConfig config = ServerConfig.builder(models()).port(0)
                .batching("scale-bias", new BatchingConfig(16, Duration.ofMillis(200), 1, 64)).build();
        try (ConduitServer server = ConduitServer.start(config, counting)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(infer(server, i));
            }
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> r = calls.get(i).get(20, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                float expected = 2f * i + 1;
                assertTrue(r.body().contains("\"data\":[" + expected + "," + expected + "]"), i + ": " + r.body());
            }
            assertTrue(runs.get() < 12, "12 requests took " + runs.get() + " runs");
            String metrics = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("conduit_inference_batch_size_sum{model=\"scale-bias\",version=\"1.0.0\"} 12.0"),
                    metrics);
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterInsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Gate gated = new Gate(local, release, new AtomicInteger());
        ServerConfig config = ServerConfig.builder(models()).port(0)
                .batching("scale-bias", new BatchingConfig(1, Duration.ZERO, 1, 1)).build();
        try (ConduitServer server = ConduitServer.start(config, gated)) {
            CompletableFuture<HttpResponse<String>> running = infer(server, 1);
            assertTrue(gated.entered().tryAcquire(20, TimeUnit.SECONDS), "the worker took the first and blocks in the engine");
            // One of the next two takes the one queue slot and waits there; the other is refused at once, so
            // the first answer to come back is the refusal, whichever request it was.
            CompletableFuture<HttpResponse<String>> second = infer(server, 2);
            CompletableFuture<HttpResponse<String>> third = infer(server, 3);
            CompletableFuture.anyOf(second, third).get(10, TimeUnit.SECONDS);
            CompletableFuture<HttpResponse<String>> queued = second.isDone() ? third : second;
            HttpResponse<String> refused = (second.isDone() ? second : third).get();
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(refused.body().contains("has 1 requests queued, the most it accepts; retry shortly"), refused.body());
            assertTrue(!queued.isDone(), "the queued one waits for the worker");
            release.countDown();
            assertEquals(200, running.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, queued.get(10, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void mixedRowCountsUnderAFullQueueNeverLoseARequest() throws Exception {
        ServerConfig config = ServerConfig.builder(models()).port(0)
                .batching("scale-bias", new BatchingConfig(2, Duration.ofMillis(1), 1, 2)).build();
        try (ConduitServer server = ConduitServer.start(config, local)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int rows = 1 + i % 2;
                StringBuilder data = new StringBuilder();
                for (int k = 0; k < rows * 2; k++) {
                    data.append(k == 0 ? "" : ",").append(i);
                }
                String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[" + rows + ",2],\"data\":["
                        + data + "]}]}";
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/models/scale-bias/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> r = calls.get(i).get(20, TimeUnit.SECONDS); // a lost job would hang here
                assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.body());
                if (r.statusCode() == 200) {
                    ok++;
                    assertTrue(r.body().contains("[" + (2f * i + 1) + "," + (2f * i + 1)), i + ": " + r.body());
                }
            }
            assertTrue(ok > 0);
        }
    }

    @Test
    void pooledBuffersAreReusedWithoutMixingUpRequests() throws Exception {
        io.conduit.core.tensor.BufferPool pool = new io.conduit.core.tensor.BufferPool(64L << 20);
        try (LocalEngine pooled = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).outputPool(pool).build(),
                () -> GpuStatus.none("test machine has no GPU"));
             ConduitServer server = ConduitServer.start(ServerConfig.builder(models()).port(0).bufferPool(pool)
                     .batching("scale-bias", new BatchingConfig(1, Duration.ZERO, 2, 256)).build(), pooled)) {
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    calls.add(infer(server, round * 100 + i));
                }
                for (int i = 0; i < 30; i++) {
                    HttpResponse<String> r = calls.get(i).get(20, TimeUnit.SECONDS);
                    float expected = 2f * (round * 100 + i) + 1;
                    assertTrue(r.body().contains("[" + expected + "," + expected + "]"), round + "/" + i + ": " + r.body());
                }
            }
            assertTrue(pool.retainedBytes() > 0, "buffers came back to the pool");
            var remote = new io.conduit.core.engine.remote.RemoteEngine(
                    io.conduit.core.engine.remote.RemoteEngineConfig.forEndpoints(List.of(server.baseUri())));
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
            try (remote; ModelPackage pkg = ModelPackage.open(dir.resolve("models").resolve("scale_bias"))) {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            float value = client * 1000 + i;
                            Tensor x = Tensor.allocate(io.conduit.core.tensor.DataType.FP32, 1, 4096);
                            for (int k = 0; k < 4096; k++) {
                                x.floats().put(k, value + k);
                            }
                            Tensor y = remote.run(pkg, Map.of("x", x), DevicePreference.REMOTE).output("y");
                            for (int k = 0; k < 4096; k += 511) {
                                assertEquals(2 * (value + k) + 1, y.floats().get(k), "client " + client + " call " + i);
                            }
                        }
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdown();
            }
        }
    }

    @Test
    void anErrorInsideTheEngineFailsOneRequestAndTheModelKeepsServing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InferenceEngine once = new InferenceEngine() {
            @Override
            public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
                if (calls.incrementAndGet() == 1) {
                    throw new StackOverflowError("simulated");
                }
                return local.run(model, inputs, device);
            }

            @Override
            public RouteDecision plan(ModelPackage model, DevicePreference device) {
                return local.plan(model, device);
            }

            @Override
            public void close() {
            }
        };
        try (ConduitServer server = ConduitServer.start(ServerConfig.builder(models()).port(0).build(), once)) {
            HttpResponse<String> first = infer(server, 1).get(10, TimeUnit.SECONDS);
            assertEquals(500, first.statusCode(), first.body());
            assertTrue(first.body().contains("incident") && !first.body().contains("simulated")
                    && !first.body().contains("StackOverflowError"), "the client gets an incident id, never the"
                    + " exception's text (the log has it): " + first.body());
            HttpResponse<String> second = infer(server, 2).get(10, TimeUnit.SECONDS);
            assertEquals(200, second.statusCode(), second.body());
        }
    }

    @Test
    void shutdownDrainsInFlightRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Gate gated = new Gate(local, release, new AtomicInteger());
        ConduitServer server = ConduitServer.start(ServerConfig.builder(models()).port(0).build(), gated);
        CompletableFuture<HttpResponse<String>> inFlight = infer(server, 5);
        assertTrue(gated.entered().tryAcquire(20, TimeUnit.SECONDS), "the request is running in the engine");
        int port = server.port(); // read before close(): a stopped connector has no port
        Thread closer = new Thread(server::close);
        closer.start();
        awaitRefused(port); // the service stopped listening: it is draining, with the request still in flight
        assertTrue(!inFlight.isDone() && closer.isAlive(), "close() waits for the request in flight");
        release.countDown();
        HttpResponse<String> answered = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(answered.body().contains("[11.0,11.0]"), answered.body());
        closer.join(20_000);
        assertTrue(!closer.isAlive(), "close() returned after the drain");
    }

    /** Waits (bounded) until connections to {@code port} are refused: a state of the server, not a span of time. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                Thread.onSpinWait();
            } catch (java.net.ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }

    /**
     * The real engine behind a latch, so a test decides when a run may finish; {@code entered} gets a permit
     * as each run starts, so a test knows when a request is in the engine.
     */
    private record Gate(InferenceEngine delegate, CountDownLatch release, AtomicInteger runs, java.util.concurrent.Semaphore entered)
            implements InferenceEngine {
        Gate(InferenceEngine delegate, CountDownLatch release, AtomicInteger runs) {
            this(delegate, release, runs, new java.util.concurrent.Semaphore(0));
        }

        @Override
        public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
            runs.incrementAndGet();
            entered.release();
            if (release != null) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.run(model, inputs, device);
        }

        @Override
        public RouteDecision plan(ModelPackage model, DevicePreference device) {
            return delegate.plan(model, device);
        }

        @Override
        public void close() {
        }
    }
}
