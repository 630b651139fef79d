package io.conduit.bench;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Conduit's side of {@code bench/peers.sh}: {@code LocalEngine.run} on one model with one
 * {@code FP32[1, 3, H, W]} input, filled as the other runtimes' scripts fill theirs, with THREADS intra-op
 * threads (the engine's other defaults: all graph optimisations, pool threads not spinning); three untimed
 * runs, then ROUNDS timed ones, each ending with the output copied into Java memory. Prints
 * {@code conduit MEDIAN_MS MIN_MS}.
 *
 * <p>Usage: {@code EnginePeer MODEL ROUNDS HEIGHT WIDTH THREADS WORK_DIR}.
 */
public final class EnginePeer {
    private EnginePeer() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long[] shape = {1, 3, Long.parseLong(args[2]), Long.parseLong(args[3])};
        int threads = Integer.parseInt(args[4]);
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of(args[5])), "peer-");
        try (ModelPackage pkg = ModelPackage.open(BenchSupport.packageOf(onnx, "peer", work));
             LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(threads).build(),
                     () -> GpuStatus.none("CPU benchmark"))) {
            Tensor input = Tensor.allocate(DataType.FP32, shape);
            FloatBuffer values = input.floats();
            for (int i = 0; i < values.capacity(); i++) {
                values.put(i, (i % 997) / 997f);
            }
            Map<String, Tensor> inputs = Map.of(pkg.manifest().inputs().get(0).name(), input);
            for (int i = 0; i < 3; i++) {
                engine.run(pkg, inputs, DevicePreference.CPU);
            }
            long[] times = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                engine.run(pkg, inputs, DevicePreference.CPU);
                times[i] = System.nanoTime() - start;
            }
            Arrays.sort(times);
            double median = rounds % 2 == 1 ? times[rounds / 2] : (times[rounds / 2 - 1] + times[rounds / 2]) / 2.0;
            System.out.printf(java.util.Locale.ROOT, "conduit %.2f %.2f%n", median / 1e6, times[0] / 1e6);
        } finally {
            io.conduit.core.io.FileTrees.deleteQuietly(work);
        }
    }
}
