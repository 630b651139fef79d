package io.conduit.bench;

import io.conduit.core.batch.BatchCache;
import io.conduit.core.io.ExrFiles;
import io.conduit.core.io.ExrOutput;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one frame of {@code bench/plates.sh} costs outside the model, phase by phase, once the JIT has
 * compiled the code (two rounds over the frames first, not counted): the input's digest (the batch cache's
 * key), reading (EXR decode, then the tensor with the sRGB curve), writing the output as the default for a
 * HALF plate's colour output makes it (HALF PIZ) and as the old default did (FLOAT ZIP), and the output's
 * digest. Wall and process CPU time (every thread: the EXR chunks and the colour bands run on all cores) per
 * frame, so the phases can be compared with the model's own time per frame.
 *
 * <p>Usage: {@code PlateFramePhases PACKAGE ROUNDS FRAME.exr...}; the outputs go next to the frames and are removed.
 */
public final class PlateFramePhases {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int WARM_UP_ROUNDS = 2;

    private final Map<String, double[]> totals = new LinkedHashMap<>();
    private long wallMark;
    private long cpuMark;

    private PlateFramePhases() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[1]);
        try (ModelPackage pkg = ModelPackage.open(Path.of(args[0]))) {
            TensorSpec in = pkg.manifest().inputs().get(0);
            TensorSpec out = pkg.manifest().outputs().get(0);
            PlateFramePhases clock = new PlateFramePhases();
            List<String> frames = List.of(args).subList(2, args.length);
            for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
                if (round == WARM_UP_ROUNDS) {
                    clock.totals.clear();
                }
                for (String name : frames) {
                    Path frame = Path.of(name);
                    Path written = Path.of(name + ".phases.exr");
                    clock.start();
                    BatchCache.key(pkg, Map.of(in.name(), frame), Map.of(out.name(), written), "");
                    clock.end("input digest");
                    Tensor tensor = ExrFiles.read(frame, in);
                    clock.end("read: decode + tensor");
                    ExrFiles.write(tensor, out, written, new ExrOutput(Optional.empty(), Optional.empty(),
                            List.of("R", "G", "B"), Optional.of(PixelType.HALF)));
                    clock.end("write HALF PIZ");
                    Sha256.ofFile(written);
                    clock.end("output digest");
                    ExrFiles.write(tensor, out, written, new ExrOutput(Optional.of(PixelType.FLOAT), Optional.empty(),
                            List.of("R", "G", "B")));
                    clock.end("write FLOAT ZIP (before)");
                    Files.delete(written);
                }
            }
            int counted = rounds * frames.size();
            System.out.println("per frame, warm (" + counted + " frames): phase, wall ms, CPU ms");
            clock.totals.forEach((phase, t) -> System.out.printf(Locale.ROOT, "  %-26s %7.1f %7.1f%n", phase,
                    t[0] / counted, t[1] / counted));
        }
    }

    private void start() {
        wallMark = System.nanoTime();
        cpuMark = OS.getProcessCpuTime();
    }

    private void end(String phase) {
        double[] t = totals.computeIfAbsent(phase, p -> new double[2]);
        t[0] += (System.nanoTime() - wallMark) / 1e6;
        t[1] += (OS.getProcessCpuTime() - cpuMark) / 1e6;
        start();
    }
}
