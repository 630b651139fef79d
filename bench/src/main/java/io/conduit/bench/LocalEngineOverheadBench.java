package io.conduit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.PackageDraft;
import io.conduit.core.pkg.PackageWriter;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures what the local engine adds over a bare ONNX Runtime {@code session.run} on the same
 * model, the same 1920x1080 FP32 input and the same thread settings, in one JVM. Calls run in blocks
 * whose order rotates, so drift in machine load hits every variant alike; the figure is the ratio
 * of medians.
 *
 * <p>Usage: {@code LocalEngineOverheadBench MODEL.onnx [ROUNDS [HEIGHT WIDTH]]}. The baseline reads its output
 * into Java (as anyone using the result must). Two engine calls are measured: {@code run}, which
 * copies outputs out of ONNX Runtime as the baseline does, and {@code runInto}, which has ONNX
 * Runtime write into output buffers reused from call to call, as a frame-range batch job would.
 */
public final class LocalEngineOverheadBench {
    private static final int WARM_UP_CALLS = 10;
    private static final int BLOCK = 20;

    private LocalEngineOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LocalEngineOverheadBench MODEL.onnx [ROUNDS [HEIGHT WIDTH]]");
            System.exit(2);
        }
        Path onnx = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = Runtime.getRuntime().availableProcessors();
        long height = args.length > 3 ? Long.parseLong(args[2]) : 1080;
        long width = args.length > 3 ? Long.parseLong(args[3]) : 1920;
        long[] shape = {1, 3, height, width};

        Path work = Files.createTempDirectory("conduit-bench-");
        Manifest draft = PackageDraft.draft(OnnxModels.readSignature(onnx), "bench-model", SemVer.parse("1.0.0"),
                Files.size(onnx), onnx.getFileName().toString());
        Path pkgDir = work.resolve("pkg");
        PackageWriter.write(draft, onnx, pkgDir);
        String inputName = draft.inputs().get(0).name();

        Tensor input = Tensor.allocate(DataType.FP32, shape);
        FloatBuffer values = input.floats();
        for (int i = 0; i < values.capacity(); i++) {
            values.put(i, (i % 997) / 997f);
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        LocalEngineConfig config = LocalEngineConfig.builder().intraOpThreads(threads).build();
        try (ModelPackage pkg = ModelPackage.open(pkgDir);
             LocalEngine engine = new LocalEngine(config, () -> GpuStatus.none("benchmark runs on the CPU"));
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.addConfigEntry(LocalEngine.SPINNING_KEY, "0"); // the engine's default, so both sides match
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession bare = env.createSession(onnx.toString(), options)) {
                Map<String, Tensor> inputs = Map.of(inputName, input);
                Map<String, Tensor> reused = new java.util.LinkedHashMap<>();
                engine.run(pkg, inputs, DevicePreference.CPU).outputs()
                        .forEach((name, t) -> reused.put(name, Tensor.allocate(t.type(), t.shape())));
                String outputName = reused.keySet().iterator().next();
                Tensor pinnedOut = reused.get(outputName);
                List<Action> variants = List.of(
                        () -> baseline(env, bare, inputName, input, shape),
                        () -> engine.run(pkg, inputs, DevicePreference.CPU),
                        () -> baselinePinned(env, bare, inputName, input, outputName, pinnedOut),
                        () -> engine.runInto(pkg, inputs, reused, DevicePreference.CPU));
                for (Action variant : variants) {
                    for (int i = 0; i < WARM_UP_CALLS; i++) {
                        variant.run();
                    }
                }
                // Blocks of consecutive calls per variant, the block order rotating: per-call interleaving
                // measured each side's thread-pool and cache hand-over more than the engine itself.
                long[][] samples = new long[variants.size()][rounds];
                for (int done = 0, block = 0; done < rounds; done += BLOCK, block++) {
                    for (int k = 0; k < variants.size(); k++) {
                        int v = (block + k) % variants.size();
                        for (int i = done; i < Math.min(rounds, done + BLOCK); i++) {
                            samples[v][i] = time(variants.get(v));
                        }
                    }
                }
                long[] base = samples[0];
                long[] run = samples[1];
                long[] basePinned = samples[2];
                long[] into = samples[3];
                System.out.printf("model %s, input FP32%s, %d rounds, %d threads%n", onnx.getFileName(),
                        Arrays.toString(shape), rounds, threads);
                System.out.printf("  copying output:  bare session.run + getFloatBuffer  median %8.2f ms%n",
                        median(base) / 1e6);
                report("copying output:  LocalEngine.run", run, median(base) / 1e6);
                System.out.printf("  reused output:   bare session.run, pinned output    median %8.2f ms%n",
                        median(basePinned) / 1e6);
                report("reused output:   LocalEngine.runInto", into, median(basePinned) / 1e6);
            }
        } finally {
            io.conduit.core.io.FileTrees.deleteQuietly(work);
        }
    }

    private static float baseline(OrtEnvironment env, OrtSession session, String inputName, Tensor input, long[] shape)
            throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input.floats(), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            return out.get(0);
        }
    }

    private static void report(String label, long[] samples, double baseMs) {
        double ms = median(samples) / 1e6;
        System.out.printf("  %-50s median %8.2f ms  ratio %.3f  overhead %+6.2f %%%n", label, ms, ms / baseMs,
                (ms / baseMs - 1) * 100);
    }

    private static long time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    /** One timed call. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static void baselinePinned(OrtEnvironment env, OrtSession session, String inputName, Tensor input,
                                       String outputName, Tensor output) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(env, input.floats(), input.shape());
             OnnxTensor out = OnnxTensor.createTensor(env, output.floats(), output.shape());
             OrtSession.Result result = session.run(Map.of(inputName, in), java.util.Set.of(), Map.of(outputName, out))) {
            result.size();
        }
    }

    private static double median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
