package io.conduit.bench;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.pkg.PackageDraft;
import io.conduit.core.pkg.PackageWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Shared chores of the benchmarks: packaging a bare ONNX file, and percentiles. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** Packages {@code onnx} as {@code name}@1.0.0 under {@code modelsDir} and returns the package folder. */
    static Path packageOf(Path onnx, String name, Path modelsDir) throws IOException {
        Manifest draft = PackageDraft.draft(OnnxModels.readSignature(onnx), name, SemVer.parse("1.0.0"),
                Files.size(onnx), onnx.getFileName().toString());
        Path dir = modelsDir.resolve(name);
        PackageWriter.write(draft, onnx, dir);
        return dir;
    }

    static double percentile(long[] samples, double p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.round(p / 100 * (sorted.length - 1)));
        return sorted[index];
    }
}
