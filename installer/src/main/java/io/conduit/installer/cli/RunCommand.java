package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.io.ExrOutput;
import io.conduit.core.io.TensorFiles;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.io.PrintWriter;

/** {@code conduit run}: one inference on files, printing the route, its reason and the time. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a model package on input files and writes its outputs.",
                "Files: .npy (C order; bool, uint8, int32, int64, float16, float32) and PNG/JPEG images,"
                        + " mapped to image tensors as the manifest describes (layout, value range, colour space)."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PACKAGE", description = "A package folder or .zip, or a registry model:"
            + " NAME (the version your show/department/user resolves to), NAME@VERSION or NAME@ALIAS.")
    String packageReference;

    @Mixin
    RegistryOptions registry;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE",
            description = "An input tensor's file; NAME= may be left out when the model has one input."
                    + " Every input the model declares must be given.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "NAME=FILE",
            description = "Where to write an output; NAME= may be left out when the model has one output."
                    + " Outputs not named are summarised only.")
    List<String> outputs = new ArrayList<>();

    @Mixin
    EngineOptions engine;

    @Mixin
    ExrOptions exr;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PhaseClock clock = new PhaseClock();
        try (CommandSession session = CommandSession.open(engine);
             ModelPackage pkg = session.open(packageReference, registry, spec.commandLine().getErr());
             CommandSession.Preparation preparing = session.prepareInBackground(pkg)) {
            DevicePreference device = session.device();
            clock.end("open");
            Manifest manifest = pkg.manifest();
            Map<String, Path> inputFiles = FileBindings.parse(inputs, manifest.inputs(), "input");
            Map<String, Path> outputFiles = FileBindings.parse(outputs, manifest.outputs(), "output");
            outputFiles.forEach((name, file) -> TensorFiles.checkWritable(file, manifest.output(name).orElseThrow()));
            ExrOutput exrOutput = exr.settings().withChannelsOf(manifest, inputFiles);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Path> entry : inputFiles.entrySet()) {
                tensors.put(entry.getKey(), TensorFiles.read(entry.getValue(), manifest.input(entry.getKey()).orElseThrow()));
            }
            clock.end("read");
            // The tensors were read from files for this run alone, so a tiled run may write its output into them.
            InferenceResult result;
            try {
                InferenceEngine local = session.engine();
                result = io.conduit.core.engine.tiling.TiledInference.run(local, pkg, tensors, device, true);
            } catch (RuntimeException failure) {
                throw session.withSource(failure);
            }
            clock.end("infer");
            for (Map.Entry<String, Path> entry : outputFiles.entrySet()) {
                TensorSpec spec = manifest.output(entry.getKey()).orElseThrow();
                TensorFiles.write(result.output(entry.getKey()), spec, entry.getValue(), exrOutput);
            }
            clock.end("write");
            report(manifest, result, outputFiles, clock);
            return 0;
        }
    }

    private void report(Manifest manifest, InferenceResult result, Map<String, Path> outputFiles, PhaseClock clock) {
        PrintWriter out = spec.commandLine().getOut();
        double millis = result.totalNanos() / 1e6;
        if (json.enabled) {
            JsonObject o = CliJson.runSummary(manifest, result);
            JsonObject outs = new JsonObject();
            result.outputs().forEach((name, tensor) -> {
                JsonObject t = new JsonObject();
                t.addProperty("datatype", tensor.type().name());
                t.add("shape", CliJson.shape(tensor.shape()));
                Path file = outputFiles.get(name);
                if (file != null) {
                    t.addProperty("file", file.toString());
                }
                outs.add(name, t);
            });
            o.add("outputs", outs);
            o.add("timings", clock.toJson(result.computeNanos()));
            json.print(out, o);
            return;
        }
        out.println(manifest.coordinate() + " ran on " + result.route().route().label()
                + (result.route().endpoint().isEmpty() ? "" : " (" + result.route().endpoint() + ")"));
        out.println("  reason: " + result.route().reason());
        out.printf("  time:   %s%n", clock.describe(result.computeNanos()));
        result.outputs().forEach((name, tensor) -> {
            Path file = outputFiles.get(name);
            out.println("  output " + name + ": " + tensor.type() + Shapes.format(tensor.shape())
                    + (file != null ? " -> " + file : " (not written; add --output " + name + "=FILE)"));
        });
    }
}
