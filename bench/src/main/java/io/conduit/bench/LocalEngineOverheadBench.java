package io.conduit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
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
 * model, the same 1920x1080 FP32 input and the same thread settings, in one JVM. Bare and engine
 * calls alternate (A/B, then B/A), so drift in machine load hits both sides alike; the figure is the
 * median of the rounds' engine/bare ratios, with the ratio of medians beside it.
 *
 * <p>Usage: {@code LocalEngineOverheadBench MODEL.onnx [ROUNDS [HEIGHT WIDTH]]}. The baseline reads its output
 * into Java (as anyone using the result must). Two engine calls are measured: {@code run}, which
 * copies outputs out of ONNX Runtime as the baseline does, and {@code runInto}, which has ONNX
 * Runtime write into output buffers reused from call to call, as a frame-range batch job would.
 */
public final class LocalEngineOverheadBench {
    private static final int WARM_UP_CALLS = 10;

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
            try (OrtSession twin = env.createSession(onnx.toString(), options)) {
                Map<String, Tensor> inputs = Map.of(inputName, input);
                Map<String, Tensor> reused = new java.util.LinkedHashMap<>();
                engine.run(pkg, inputs, DevicePreference.CPU).outputs()
                        .forEach((name, t) -> reused.put(name, Tensor.allocate(t.type(), t.shape())));
                OrtSession bare = engineSession(engine);
                String outputName = reused.keySet().iterator().next();
                Tensor pinnedOut = reused.get(outputName);
                Action bareCopy = () -> baseline(env, bare, inputName, input, shape);
                long[] ownRun = new long[rounds];
                long[] ownInto = new long[rounds];
                int[] round = {0};
                Action engineCopy = () -> ownRun[round[0]] = own(engine.run(pkg, inputs, DevicePreference.CPU));
                Action barePinned = () -> baselinePinned(env, bare, inputName, input, outputName, pinnedOut);
                Action twinPinned = () -> baselinePinned(env, twin, inputName, input, outputName, pinnedOut);
                Action engineInto = () -> ownInto[round[0]] = own(engine.runInto(pkg, inputs, reused, DevicePreference.CPU));
                for (int i = 0; i < WARM_UP_CALLS; i++) {
                    for (Action a : List.of(bareCopy, engineCopy, barePinned, engineInto, twinPinned)) {
                        a.run();
                    }
                }
                // A/B/B/A: each engine call sits next to a bare call of the same kind, the order flipping every
                // round, so load from other processes and the JIT's and allocator's drift hit both sides alike.
                long[][] copying = new long[2][rounds];
                long[][] pinned = new long[2][rounds];
                long[][] control = new long[2][rounds];
                // One comparison at a time: the copying calls' 25 MB of garbage each would otherwise be collected
                // during whichever call of the next pair came first.
                for (int r = 0; r < rounds; r++) {
                    round[0] = r;
                    timePair(bareCopy, engineCopy, copying, r);
                }
                for (int r = 0; r < rounds; r++) {
                    round[0] = r;
                    timePair(barePinned, engineInto, pinned, r);
                }
                for (int r = 0; r < rounds; r++) {
                    timePair(barePinned, twinPinned, control, r);
                }
                System.out.printf("model %s, input FP32%s, %d rounds, %d threads%n", onnx.getFileName(),
                        Arrays.toString(shape), rounds, threads);
                report("copying output:  bare session.run + getFloatBuffer", "LocalEngine.run", copying);
                report("reused output:   bare session.run, pinned output", "LocalEngine.runInto", pinned);
                // The same bare call on a second session made alike: how far apart two sessions run with nothing
                // else different, which is why the baseline is the engine's own session.
                report("control:         bare session.run, pinned output", "the same on a second session", control);
                // Time the engine spends outside ONNX Runtime's run and the output copy, measured inside each call.
                System.out.printf("  engine's own time per call (validation, routing, session lookup, tensor set-up):"
                        + " run %.3f ms (%.2f %% of bare), runInto %.3f ms (%.2f %% of bare)%n",
                        median(ownRun) / 1e6, median(ownRun) / median(copying[0]) * 100,
                        median(ownInto) / 1e6, median(ownInto) / median(pinned[0]) * 100);
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

    /**
     * The session the engine itself runs, taken out by reflection (the engine does not hand out its
     * sessions): bare calls on it share the engine's thread pool and ONNX Runtime's memory arena, so the
     * two sides differ only by the engine's Java. Two identical sessions differ by more than that on a
     * busy machine (see the control line).
     */
    private static OrtSession engineSession(LocalEngine engine) throws ReflectiveOperationException {
        java.lang.reflect.Field cacheField = LocalEngine.class.getDeclaredField("sessions");
        cacheField.setAccessible(true);
        Object cache = cacheField.get(engine);
        java.lang.reflect.Field mapField = cache.getClass().getDeclaredField("sessions");
        mapField.setAccessible(true);
        Map<?, ?> sessions = (Map<?, ?>) mapField.get(cache);
        if (sessions.size() != 1) {
            throw new IllegalStateException("expected the engine to hold one session, it holds " + sessions.size());
        }
        Object loaded = ((java.util.concurrent.CompletableFuture<?>) sessions.values().iterator().next()).join();
        java.lang.reflect.Method session = loaded.getClass().getDeclaredMethod("session");
        session.setAccessible(true);
        return (OrtSession) session.invoke(loaded);
    }

    private static long own(InferenceResult result) {
        return result.totalNanos() - result.computeNanos();
    }

    private static void timePair(Action bare, Action engine, long[][] samples, int round) throws Exception {
        if (round % 2 == 0) {
            samples[0][round] = time(bare);
            samples[1][round] = time(engine);
        } else {
            samples[1][round] = time(engine);
            samples[0][round] = time(bare);
        }
    }

    /** Ratio of medians, and the median of each round's engine/bare ratio (the pair shared that moment's load). */
    private static void report(String bareLabel, String engineLabel, long[][] samples) {
        double base = median(samples[0]) / 1e6;
        double mine = median(samples[1]) / 1e6;
        double[] ratios = new double[samples[0].length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = (double) samples[1][i] / samples[0][i];
        }
        Arrays.sort(ratios);
        double paired = ratios[ratios.length / 2];
        System.out.printf("  %-52s median %8.2f ms%n", bareLabel, base);
        System.out.printf("  %-52s median %8.2f ms  ratio of medians %.3f  median paired ratio %.3f (%+.1f %%)%n",
                "  " + engineLabel, mine, mine / base, paired, (paired - 1) * 100);
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
