package io.conduit.bench;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;
import io.conduit.core.io.FileTrees;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.v2.BatchingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput and latency of 16 concurrent clients against a loopback server running a small model
 * with a batch axis, with dynamic batching off (each request its own run) and on (up to 16 rows per
 * run, 5 ms queue delay; -Dbench.delayMs changes it), one model instance each, in one JVM. Usage:
 * {@code BatchingBench MODEL.onnx [REQUESTS_PER_CLIENT]}.
 */
public final class BatchingBench {
    private static final int CLIENTS = 16;

    private BatchingBench() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path work = Files.createTempDirectory("conduit-bench-batching-");
        Path pkgDir = BenchSupport.packageOf(onnx, "batch-model", work.resolve("models"));
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Result off = run(work, pkg, new BatchingConfig(1, Duration.ZERO, 1, 256), perClient);
            Result on = run(work, pkg, new BatchingConfig(16, Duration.ofMillis(Long.getLong("bench.delayMs", 5)), 1, 256), perClient);
            System.out.printf("model %s, %d clients x %d requests, input FP32[1, %d]%n", onnx.getFileName(), CLIENTS,
                    perClient, pkg.manifest().inputs().get(0).shape()[1]);
            System.out.printf("  batching off: %7.1f req/s  p50 %6.2f ms  p99 %6.2f ms%n", off.perSecond, off.p50, off.p99);
            System.out.printf("  batching on:  %7.1f req/s  p50 %6.2f ms  p99 %6.2f ms%n", on.perSecond, on.p50, on.p99);
            System.out.printf("  throughput on / off = %.2fx%n", on.perSecond / off.perSecond);
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    private record Result(double perSecond, double p50, double p99) {
    }

    private static Result run(Path work, ModelPackage pkg, BatchingConfig batching, int perClient) throws Exception {
        ServerConfig config = ServerConfig.builder(work.resolve("models")).port(0)
                .batching(pkg.manifest().name(), batching).build();
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("benchmark"));
             ConduitServer server = ConduitServer.start(config, engine);
             RemoteEngine remote = new RemoteEngine(RemoteEngineConfig.forEndpoints(List.of(server.baseUri())))) {
            long width = pkg.manifest().inputs().get(0).shape()[1];
            String input = pkg.manifest().inputs().get(0).name();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                for (int warm = 0; warm < 20; warm++) {
                    remote.run(pkg, Map.of(input, Tensor.allocate(DataType.FP32, 1, width)), DevicePreference.REMOTE);
                }
                List<Future<long[]>> futures = new ArrayList<>();
                long start = System.nanoTime();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    futures.add(clients.submit(() -> {
                        long[] latencies = new long[perClient];
                        for (int i = 0; i < perClient; i++) {
                            Tensor x = Tensor.allocate(DataType.FP32, 1, width);
                            x.floats().put(0, client + i);
                            long t0 = System.nanoTime();
                            remote.run(pkg, Map.of(input, x), DevicePreference.REMOTE);
                            latencies[i] = System.nanoTime() - t0;
                        }
                        return latencies;
                    }));
                }
                long[] all = new long[CLIENTS * perClient];
                int k = 0;
                for (Future<long[]> f : futures) {
                    for (long l : f.get()) {
                        all[k++] = l;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(all.length / seconds, BenchSupport.percentile(all, 50) / 1e6,
                        BenchSupport.percentile(all, 99) / 1e6);
            } finally {
                clients.shutdown();
            }
        }
    }
}
