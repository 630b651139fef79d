package io.conduit.bench;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Effective throughput of a 1x3x1080x1920 FP32 tensor through a near-identity model on a loopback
 * Conduit server, binary tensors against JSON, in one JVM. Throughput counts the tensor bytes sent
 * and received (2 x 24.9 MB per call) over the wall time of the call. Usage:
 * {@code RemoteThroughputBench MODEL.onnx [ROUNDS]}.
 */
public final class RemoteThroughputBench {
    private RemoteThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path work = Files.createTempDirectory("conduit-bench-remote-");
        Path pkgDir = BenchSupport.packageOf(onnx, "near-identity", work.resolve("models"));
        Tensor image = Tensor.allocate(DataType.FP32, 1, 3, 1080, 1920);
        for (int i = 0; i < image.elementCount(); i++) {
            image.floats().put(i, (i % 1021) / 1021f);
        }
        long tensorBytes = image.bytes().remaining();
        // Set up as conduit serve does: one buffer pool for request tensors and preallocated outputs.
        io.conduit.core.tensor.BufferPool buffers = new io.conduit.core.tensor.BufferPool(1L << 30);
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().outputPool(buffers).build(),
                () -> GpuStatus.none("benchmark"));
             ConduitServer server = ConduitServer.start(ServerConfig.builder(work.resolve("models")).port(0)
                     .bufferPool(buffers).maxJsonBytes(256L << 20).build(), engine);
             ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Map<String, Tensor> inputs = Map.of(pkg.manifest().inputs().get(0).name(), image);
            double binary = measure(server, pkg, inputs, true, rounds, tensorBytes, false);
            double binaryInto = measure(server, pkg, inputs, true, rounds, tensorBytes, true);
            double json = Boolean.getBoolean("bench.binaryOnly") ? Double.NaN
                    : measure(server, pkg, inputs, false, Math.max(2, rounds / 5), tensorBytes, false);
            System.out.printf("tensor FP32[1, 3, 1080, 1920] = %.1f MB each way, loopback, %s%n", tensorBytes / 1e6,
                    server.baseUri());
            System.out.printf("  binary, run:                        %.2f GB/s%n", binary / 1e9);
            System.out.printf("  binary, runInto (reused output):    %.2f GB/s%n", binaryInto / 1e9);
            System.out.printf("  JSON, run:                          %.3f GB/s%n", json / 1e9);
            System.out.printf("  binary / JSON = %.1fx%n", binary / json);
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    private static InferenceResult call(RemoteEngine remote, ModelPackage pkg, Map<String, Tensor> inputs,
                                        Map<String, Tensor> reused) {
        return reused == null ? remote.run(pkg, inputs, DevicePreference.REMOTE) : remote.runInto(pkg, inputs, reused);
    }

    private static double measure(ConduitServer server, ModelPackage pkg, Map<String, Tensor> inputs, boolean binary,
                                  int rounds, long tensorBytes, boolean reuseOutput) {
        RemoteEngineConfig config = RemoteEngineConfig.forEndpoints(List.of(server.baseUri())).withBinary(binary);
        try (RemoteEngine remote = new RemoteEngine(config)) {
            Map<String, Tensor> reused = Map.of(pkg.manifest().outputs().get(0).name(),
                    Tensor.allocate(DataType.FP32, 1, 3, 1080, 1920));
            for (int warm = 0; warm < 5; warm++) {
                call(remote, pkg, inputs, reuseOutput ? reused : null); // warm up: session, JIT, connection, pools
            }
            long[] nanos = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                InferenceResult result = call(remote, pkg, inputs, reuseOutput ? reused : null);
                nanos[r] = System.nanoTime() - start;
                if (result.outputs().isEmpty()) {
                    throw new IllegalStateException("no output");
                }
            }
            double median = BenchSupport.percentile(nanos, 50);
            return 2.0 * tensorBytes / (median / 1e9);
        }
    }
}
