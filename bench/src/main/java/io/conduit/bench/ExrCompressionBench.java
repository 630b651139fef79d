package io.conduit.bench;

import io.conduit.core.io.exr.ExrBox;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Which compression {@code conduit run} and {@code conduit batch} should default to for HALF EXR
 * outputs: PIZ against ZIP (the baseline) on three 1920 x 1080 RGB plates: a filmed one (smooth light with
 * grain, what a grade or an upscaler writes), a denoised one (the same light with a tenth of the grain) and a
 * rendered one (flat areas and hard edges without noise, a worst case for PIZ). For
 * each it prints the file size and the write and read times of PIZ as ratios of ZIP's, in this JVM.
 */
public final class ExrCompressionBench {
    private ExrCompressionBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("conduit-bench-exr-");
        try {
            for (String kind : new String[]{"filmed", "denoised", "rendered"}) {
                ExrImage plate = plate(kind, 1920, 1080);
                measure(kind, plate, work, rounds);
            }
        } finally {
            io.conduit.core.io.FileTrees.deleteQuietly(work);
        }
    }

    private static void measure(String kind, ExrImage plate, Path work, int rounds) throws Exception {
        long[] size = new long[2];
        long[] write = new long[2];
        long[] read = new long[2];
        ExrCompression[] compressions = {ExrCompression.ZIP, ExrCompression.PIZ};
        for (int round = -1; round < rounds; round++) { // round -1 warms up the JIT and is not counted
            for (int c = 0; c < 2; c++) {
                Path file = work.resolve(kind + "-" + compressions[c] + ".exr");
                long t0 = System.nanoTime();
                ExrWriter.write(plate, file, compressions[c]);
                long t1 = System.nanoTime();
                ExrReader.read(file);
                long t2 = System.nanoTime();
                if (round >= 0) {
                    write[c] += t1 - t0;
                    read[c] += t2 - t1;
                }
                size[c] = Files.size(file);
            }
        }
        System.out.printf("%-8s half 1920x1080 RGB: ZIP %.2f MB, write %.0f ms, read %.0f ms; PIZ %.2f MB, write %.0f ms,"
                        + " read %.0f ms; PIZ/ZIP size %.2f, write %.2f, read %.2f%n", kind, size[0] / 1e6,
                write[0] / 1e6 / rounds, read[0] / 1e6 / rounds, size[1] / 1e6, write[1] / 1e6 / rounds,
                read[1] / 1e6 / rounds, (double) size[1] / size[0], (double) write[1] / write[0], (double) read[1] / read[0]);
    }

    /** A deterministic plate: smooth light plus grain (filmed, denoised), or flat shapes with hard edges (rendered). */
    static ExrImage plate(String kind, int width, int height) {
        return plate(kind, width, height, PixelType.HALF);
    }

    /** The same plate with samples of {@code type}. */
    static ExrImage plate(String kind, int width, int height, PixelType type) {
        return plate(kind, width, height, type, 42);
    }

    /** The same plate with samples of {@code type} and the grain drawn from {@code seed} (one per frame). */
    static ExrImage plate(String kind, int width, int height, PixelType type, long seed) {
        Random grain = new Random(seed);
        boolean filmed = !kind.equals("rendered");
        double sigma = kind.equals("filmed") ? 0.04 : 0.004;
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(width, height));
        String[] names = {"R", "G", "B"};
        for (int c = 0; c < 3; c++) {
            float[] values = new float[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double light = 0.18 * (1 + Math.sin(x / 300.0 + c) * Math.cos(y / 200.0)) + 0.02 * c;
                    double v;
                    if (filmed) {
                        v = light * (1 + sigma * grain.nextGaussian());
                    } else {
                        boolean inside = ((x / 240) + (y / 180)) % 3 == 0;
                        v = inside ? 0.8 - 0.1 * c : light;
                    }
                    values[y * width + x] = (float) v;
                }
            }
            builder.channel(names[c], type, values);
        }
        return builder.build();
    }
}
