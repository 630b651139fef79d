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
import java.util.Map;

/**
 * Measures what the local engine adds over a bare ONNX Runtime {@code session.run} on the same
 * model, the same 1920x1080 FP32 input and the same thread settings, in one JVM. Rounds alternate
 * between the two so drift in machine load hits both alike; the figure is the ratio of medians.
 *
 * <p>Usage: {@code LocalEngineOverheadBench MODEL.onnx [ROUNDS]}. The baseline reads its output
 * into Java (as anyone using the result must); the engine returns it in a Java buffer too.
 */
public final class LocalEngineOverheadBench {
    private LocalEngineOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LocalEngineOverheadBench MODEL.onnx [ROUNDS]");
            System.exit(2);
        }
        Path onnx = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = Runtime.getRuntime().availableProcessors();
        long[] shape = {1, 3, 1080, 1920};

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
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession bare = env.createSession(onnx.toString(), options)) {
                Map<String, Tensor> inputs = Map.of(inputName, input);
                for (int i = 0; i < 3; i++) {
                    baseline(env, bare, inputName, input, shape);
                    engine.run(pkg, inputs, DevicePreference.CPU);
                }
                long[] base = new long[rounds];
                long[] ours = new long[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    baseline(env, bare, inputName, input, shape);
                    long t1 = System.nanoTime();
                    engine.run(pkg, inputs, DevicePreference.CPU);
                    long t2 = System.nanoTime();
                    base[r] = t1 - t0;
                    ours[r] = t2 - t1;
                }
                double baseMs = median(base) / 1e6;
                double oursMs = median(ours) / 1e6;
                System.out.printf("model %s, input FP32%s, %d rounds, %d threads%n", onnx.getFileName(),
                        Arrays.toString(shape), rounds, threads);
                System.out.printf("bare session.run: median %.2f ms%n", baseMs);
                System.out.printf("LocalEngine.run:  median %.2f ms%n", oursMs);
                System.out.printf("ratio %.4f (overhead %+.2f %%)%n", oursMs / baseMs, (oursMs / baseMs - 1) * 100);
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

    private static double median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
