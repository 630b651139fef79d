package io.conduit.core.pkg;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.io.Npy;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.tensor.TensorMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A package's golden tests: {@code tests/CASE/input.NAME.npy} for every model input and
 * {@code tests/CASE/expected.NAME.npy} for the outputs to check, with tolerances in
 * {@code tests/tolerance.json} ({@code {"absolute": 1e-4, "outputs": {"NAME": {"absolute": 0.01}}}};
 * default 1e-4). Running them on a route reports the largest error per output, so a TD sees
 * whether the GPU, the CPU and the remote service agree with what the model was exported to do.
 */
public final class GoldenTests {
    static final double DEFAULT_TOLERANCE = 1e-4;

    /** One output of one case on one route. */
    public record Result(String route, String testCase, String output, double maxAbsError, double tolerance) {
        public boolean passed() {
            return maxAbsError <= tolerance;
        }
    }

    private final ModelPackage pkg;
    private final Map<String, Path> cases;

    private GoldenTests(ModelPackage pkg, Map<String, Path> cases) {
        this.pkg = pkg;
        this.cases = cases;
    }

    public static GoldenTests of(ModelPackage pkg) {
        Path tests = pkg.root().resolve("tests");
        Map<String, Path> cases = new LinkedHashMap<>();
        if (Files.isDirectory(tests)) {
            try (Stream<Path> dirs = Files.list(tests)) {
                dirs.filter(Files::isDirectory).sorted().forEach(d -> cases.put(d.getFileName().toString(), d));
            } catch (IOException e) {
                throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + tests + ": " + e.getMessage(), e);
            }
        }
        return new GoldenTests(pkg, cases);
    }

    public boolean isEmpty() {
        return cases.isEmpty();
    }

    public List<String> caseNames() {
        return List.copyOf(cases.keySet());
    }

    /** The inputs of a case, by model input name. */
    public Map<String, Tensor> inputs(String testCase) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (var spec : pkg.manifest().inputs()) {
            Path file = cases.get(testCase).resolve("input." + spec.name() + ".npy");
            if (!Files.isRegularFile(file)) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "golden test " + testCase + " lacks "
                        + pkg.root().relativize(file) + " for input " + spec.name());
            }
            inputs.put(spec.name(), Npy.read(file));
        }
        return inputs;
    }

    /** Runs every case on {@code engine} with {@code device}; one result per checked output. */
    public List<Result> run(InferenceEngine engine, DevicePreference device) {
        Manifest m = pkg.manifest();
        List<Result> results = new ArrayList<>();
        for (String testCase : cases.keySet()) {
            requireKnownOutputs(testCase);
            InferenceResult r = engine.run(pkg, inputs(testCase), device);
            for (var spec : m.outputs()) {
                Path expectedFile = cases.get(testCase).resolve("expected." + spec.name() + ".npy");
                if (!Files.isRegularFile(expectedFile)) {
                    continue; // an output a case does not pin down
                }
                Tensor expected = Npy.read(expectedFile);
                Tensor actual = r.output(spec.name());
                double error = !Arrays.equals(expected.shape(), actual.shape()) || expected.type() != actual.type()
                        ? Double.POSITIVE_INFINITY : TensorMetrics.maxAbsDifference(expected, actual);
                results.add(new Result(r.route().route().label() + (r.route().endpoint().isEmpty() ? ""
                        : " " + r.route().endpoint()), testCase, spec.name(), error, tolerance(spec.name())));
            }
        }
        return results;
    }

    /** A case must pin at least one output, and only outputs the model has: otherwise it would check nothing. */
    private void requireKnownOutputs(String testCase) {
        List<String> outputs = pkg.manifest().outputs().stream().map(o -> o.name()).toList();
        List<String> pinned = new ArrayList<>();
        try (Stream<Path> files = Files.list(cases.get(testCase))) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.startsWith("expected.") && file.endsWith(".npy")) {
                    String output = file.substring("expected.".length(), file.length() - ".npy".length());
                    if (!outputs.contains(output)) {
                        throw new ConduitException(ErrorCode.MANIFEST_INVALID, "golden test " + testCase + " has " + file
                                + ", but the model has no output " + output + "; outputs are " + outputs);
                    }
                    pinned.add(output);
                }
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list golden test " + testCase + ": " + e.getMessage(), e);
        }
        if (pinned.isEmpty()) {
            throw new ConduitException(ErrorCode.MANIFEST_INVALID, "golden test " + testCase + " pins no output; add"
                    + " expected.NAME.npy for one of " + outputs);
        }
    }

    private double tolerance(String output) {
        Path file = pkg.root().resolve("tests").resolve("tolerance.json");
        if (!Files.isRegularFile(file)) {
            return DEFAULT_TOLERANCE;
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            double base = json.has("absolute") ? json.get("absolute").getAsDouble() : DEFAULT_TOLERANCE;
            JsonElement outputs = json.get("outputs");
            if (outputs != null && outputs.getAsJsonObject().has(output)) {
                return outputs.getAsJsonObject().getAsJsonObject(output).get("absolute").getAsDouble();
            }
            return base;
        } catch (IOException | RuntimeException e) {
            throw new ConduitException(ErrorCode.MANIFEST_INVALID, "tests/tolerance.json in " + pkg.root()
                    + " is not {\"absolute\": N, \"outputs\": {NAME: {\"absolute\": N}}}: " + e.getMessage());
        }
    }
}
