package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.io.ImageTensors;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.tensor.TensorMetrics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code conduit demo}: runs the bundled denoiser on the bundled noisy plate, writes the result
 * next to it and prints the PSNR against the clean plate before and after, the route and the time.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Denoises the sample plate with the bundled demo model and reports PSNR, route and time.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--package", paramLabel = "DIR", description = "Default: demo/denoiser/package in the distribution.")
    Path packagePath;

    @Option(names = "--input", paramLabel = "NOISY.png", description = "Default: demo/denoiser/sample_noisy.png.")
    Path input;

    @Option(names = "--reference", paramLabel = "CLEAN.png",
            description = "Clean plate to measure PSNR against. Default: demo/denoiser/sample_clean.png.")
    Path reference;

    @Option(names = "--output", paramLabel = "OUT.png", description = "Default: NOISY-denoised.png beside the input.")
    Path output;

    @Mixin
    EngineOptions engine;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path demo = ConduitHome.locate().resolve("demo").resolve("denoiser");
        Path pkgPath = packagePath != null ? packagePath : demo.resolve("package");
        Path noisyFile = input != null ? input : demo.resolve("sample_noisy.png");
        Path cleanFile = reference != null ? reference : demo.resolve("sample_clean.png");
        Path outFile = output != null ? output : besideInput(noisyFile);
        try (CommandSession session = CommandSession.open(engine); ModelPackage pkg = ModelPackage.open(pkgPath)) {
            InferenceEngine local = session.engine();
            Manifest m = pkg.manifest();
            TensorSpec in = m.inputs().get(0);
            TensorSpec out = m.outputs().get(0);
            Tensor noisy = ImageTensors.read(noisyFile, in);
            InferenceResult result;
            try {
                result = local.run(pkg, Map.of(in.name(), noisy), session.device());
            } catch (RuntimeException failure) {
                throw session.withSource(failure);
            }
            ImageTensors.write(result.output(out.name()), out, outFile);
            Double before = null;
            Double after = null;
            if (Files.isRegularFile(cleanFile)) {
                Tensor clean = ImageTensors.read(cleanFile, in);
                double peak = in.valueRange().map(r -> r.max() - r.min()).orElse(1.0);
                before = TensorMetrics.psnr(noisy, clean, peak);
                after = TensorMetrics.psnr(ImageTensors.read(outFile, in), clean, peak);
            }
            report(m, result, noisyFile, noisy, outFile, before, after);
        }
        return 0;
    }

    /** Beside the input, or in the current folder when the input's folder is read-only (a shared install). */
    private static Path besideInput(Path noisy) {
        String name = noisy.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String fileName = (dot > 0 ? name.substring(0, dot) : name) + "-denoised.png";
        Path folder = noisy.toAbsolutePath().getParent();
        return Files.isWritable(folder) ? folder.resolve(fileName) : Path.of(fileName).toAbsolutePath();
    }

    private void report(Manifest m, InferenceResult result, Path input, Tensor noisy, Path outFile, Double before,
                        Double after) {
        PrintWriter w = spec.commandLine().getOut();
        double millis = result.totalNanos() / 1e6;
        if (json.enabled) {
            JsonObject o = CliJson.runSummary(m, result);
            if (before != null) {
                o.addProperty("psnrBeforeDb", Math.round(before * 100) / 100.0);
                o.addProperty("psnrAfterDb", Math.round(after * 100) / 100.0);
            }
            o.addProperty("output", outFile.toString());
            json.print(w, o);
            return;
        }
        w.println("Conduit demo: " + m.coordinate() + " on " + input.getFileName() + " " + noisy);
        w.println("  route:  " + result.route().route().label() + " (" + result.route().reason() + ")");
        w.printf("  time:   %.1f ms (ONNX Runtime %.1f ms, first run includes loading the model)%n", millis,
                result.computeNanos() / 1e6);
        if (before != null) {
            w.printf("  PSNR:   %.2f dB noisy -> %.2f dB denoised (%+.2f dB)%n", before, after, after - before);
        } else {
            w.println("  PSNR:   no clean reference found, not measured");
        }
        w.println("  wrote:  " + outFile);
    }
}
