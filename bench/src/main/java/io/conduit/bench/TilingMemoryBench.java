package io.conduit.bench;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.tiling.TiledInference;
import io.conduit.core.io.FileTrees;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Peak memory of tiled inference on an 8K plate (7680 x 4320 x 3 FP32, 398 MB), as the process's
 * peak resident set (VmHWM, reset through /proc/self/clear_refs just before the run) above what it
 * held with the plate loaded, in units of the plate's size. Baseline: the plate itself. Run in place
 * (the output goes back into the plate's buffer, as conduit run and conduit batch allow) or with a
 * separate output plate, one per JVM.
 */
public final class TilingMemoryBench {
    private TilingMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        int tile = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        boolean inPlace = args.length < 3 || args[2].equals("in-place"); // one variant per JVM, so neither sees the other's memory
        Path work = Files.createTempDirectory("conduit-bench-tiling-");
        Path pkgDir = BenchSupport.packageOf(onnx, "invert", work.resolve("models"));
        Path manifest = pkgDir.resolve("conduit.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"cpuAllowed\": true",
                "\"cpuAllowed\": true, \"tiling\": {\"tileSize\": " + tile + ", \"overlap\": 32}"));
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("benchmark"));
             ModelPackage pkg = ModelPackage.open(pkgDir)) {
            String input = pkg.manifest().inputs().get(0).name();
            // Warm up on a small plate so the session and JIT are not counted.
            TiledInference.run(engine, pkg, Map.of(input, plate(1024, 1024)), DevicePreference.CPU, true);
            {
                System.gc();
                long before = rss();
                Tensor plate = plate(4320, 7680);
                long plateBytes = plate.bytes().remaining();
                long loaded = rss();
                resetPeak();
                long started = System.nanoTime();
                TiledInference.run(engine, pkg, Map.of(input, plate), DevicePreference.CPU, inPlace);
                long seconds = (System.nanoTime() - started) / 1_000_000;
                long peak = peakRss();
                System.out.printf("8K plate %.0f MB, tiles %d, %s: peak %.0f MB above the process before the plate"
                                + " = %.2f x plate (plate loaded: %.2f x); %d ms%n", plateBytes / 1e6, tile,
                        inPlace ? "in place" : "separate output", (peak - before) / 1e6,
                        (peak - before) / (double) plateBytes, (loaded - before) / (double) plateBytes, seconds);
            }
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    private static Tensor plate(int height, int width) {
        Tensor t = Tensor.allocate(DataType.FP32, 1, 3, height, width);
        var floats = t.floats();
        for (int i = 0; i < floats.capacity(); i++) {
            floats.put(i, (i % 4099) / 4099f);
        }
        return t;
    }

    private static long rss() throws Exception {
        return status("VmRSS:");
    }

    private static long peakRss() throws Exception {
        return status("VmHWM:");
    }

    private static void resetPeak() throws Exception {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS (Linux >= 4.0)
    }

    private static long status(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
