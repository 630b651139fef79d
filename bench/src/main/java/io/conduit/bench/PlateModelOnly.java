package io.conduit.bench;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.io.TensorFiles;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The baseline of {@code bench/plates.sh}: the model alone on the plates a {@code conduit run} or
 * {@code batch} processes, in a JVM of its own with the engine's default settings. The frames are read
 * before the clock starts; what is timed is the session's creation and one run per frame, back to back,
 * which is what any way of getting these frames through this model must spend. Prints
 * {@code read-split DECODE_MS TENSOR_MS} (the first frame's EXR decoding, and what making the tensor adds:
 * layout and colour) and {@code model-only FIRST_RUN_MS ALL_RUNS_MS COMPUTE_MS} (the first run includes
 * creating the session).
 *
 * <p>Usage: {@code PlateModelOnly PACKAGE INPUT_FILE...}.
 */
public final class PlateModelOnly {
    private PlateModelOnly() {
    }

    public static void main(String[] args) {
        try (ModelPackage pkg = ModelPackage.open(Path.of(args[0]));
             LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("CPU baseline"))) {
            TensorSpec spec = pkg.manifest().inputs().get(0);
            List<Tensor> frames = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                frames.add(TensorFiles.read(Path.of(args[i]), spec));
            }
            // The read phase split: decoding the EXR, then the tensor (layout and sRGB curve), on the first frame.
            Path first = Path.of(args[1]);
            long t0 = System.nanoTime();
            io.conduit.core.io.exr.ExrReader.read(first);
            long t1 = System.nanoTime();
            TensorFiles.read(first, spec);
            long t2 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "read-split %.1f %.1f%n", (t1 - t0) / 1e6, (t2 - t1 - (t1 - t0)) / 1e6);
            long start = System.nanoTime();
            long compute = 0;
            long firstRun = 0;
            for (Tensor frame : frames) {
                long before = System.nanoTime();
                compute += engine.run(pkg, Map.of(spec.name(), frame), DevicePreference.CPU).computeNanos();
                if (firstRun == 0) {
                    firstRun = System.nanoTime() - before;
                }
            }
            long total = System.nanoTime() - start;
            System.out.printf(java.util.Locale.ROOT, "model-only %.1f %.1f %.1f%n", firstRun / 1e6, total / 1e6,
                    compute / 1e6);
        }
    }
}
