package io.conduit.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.tensor.TensorMetrics;
import io.conduit.core.testing.conformance.BackendCase;
import io.conduit.core.testing.conformance.RawRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX backend conformance tests that ship with ONNX (Debian's {@code libonnx-testdata}: node,
 * model and operator tests, each a {@code model.onnx} with inputs and expected outputs as
 * TensorProto files), each packaged as {@code conduit init} would, run through the local engine on
 * the CPU, compared with the expected outputs (ONNX's own tolerance: rtol 1e-3, atol 1e-7), and
 * sent through V2 in binary and JSON (in process; the server module's suite sends them through
 * {@code conduit serve}), which must return the local result bit for bit. Where the
 * answer differs from the expected one, ONNX Runtime is run directly on the same file and inputs:
 * Conduit must give exactly its answer (a runtime difference), or the test fails. Tagged
 * {@code conformance} and left out of the default build (minutes, and a Debian package):
 * {@code mvn -pl core test -Dgroups=conformance -Dconformance.skip=none}. Results in
 * docs/benchmarks.md.
 */
@Tag("conformance")
class OnnxBackendConformanceTest {
    @TempDir
    Path dir;

    /** How one backend test ended. */
    enum Outcome {
        PASSED, REFUSED_UNSUPPORTED, RUNTIME_CANNOT_LOAD, RUNTIME_FAILED, DATA_NOT_CARRIED, DATA_DOES_NOT_FIT_MODEL,
        RUNTIME_DIFFERS, RANDOM_OPERATOR, WRONG_RESULT, CONDUIT_ERROR
    }

    /** Operators whose outputs are random draws: no fixed expected output exists to compare. */
    private static final java.util.regex.Pattern RANDOM = java.util.regex.Pattern.compile("bernoulli|dropout|random");

    @Test
    void everyBackendTestRunsLocallyAndTravelsBitForBitThroughV2() throws Exception {
        Path data = BackendCase.dataFolder();
        List<BackendCase> cases = BackendCase.all(data);
        Map<Outcome, List<String>> results = new TreeMap<>();
        Map<DataType, Map<Outcome, Integer>> byType = new TreeMap<>();
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("conformance runs on the CPU"))) {
            for (BackendCase c : cases) {
                java.util.Set<DataType> types = new java.util.TreeSet<>();
                String[] outcome = run(c, engine, types);
                Outcome o = Outcome.valueOf(outcome[0]);
                results.computeIfAbsent(o, k -> new ArrayList<>()).add(c.id() + (outcome[1].isEmpty() ? "" : ": " + outcome[1]));
                types.forEach(t -> byType.computeIfAbsent(t, k -> new TreeMap<>()).merge(o, 1, Integer::sum));
            }
        }
        StringBuilder report = new StringBuilder("ONNX backend tests at " + data + ": " + cases.size() + "\n");
        results.forEach((o, ids) -> report.append(o).append(": ").append(ids.size()).append('\n'));
        report.append("by element type (a test counts under each type its ports have):\n");
        byType.forEach((t, counts) -> report.append("  ").append(t).append(' ').append(counts).append('\n'));
        results.forEach((o, ids) -> {
            if (o != Outcome.PASSED) {
                ids.forEach(line -> report.append("  ").append(o).append("  ").append(line).append('\n'));
            }
        });
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/conformance.txt"), report);
        System.out.println(report);
        assertTrue(results.getOrDefault(Outcome.CONDUIT_ERROR, List.of()).isEmpty(),
                "Conduit itself failed where it should have run or refused by name:\n" + report);
        assertEquals(List.of(), results.getOrDefault(Outcome.WRONG_RESULT, List.of()),
                "outputs where Conduit's answer differs from ONNX Runtime's own:\n" + report);
    }

    /** {outcome, detail} for one backend test; {@code types} gets its ports' element types once it is packaged. */
    private String[] run(BackendCase testCase, LocalEngine engine, java.util.Set<DataType> types) throws IOException {
        Path pkgDir = dir.resolve(testCase.folder().getFileName().toString() + "-" + Math.abs(testCase.id().hashCode()));
        try {
            testCase.packageInto(pkgDir, "conformance");
        } catch (ConduitException e) {
            return classify(e);
        }
        Map<String, Tensor> inputs = Map.of();
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Manifest m = pkg.manifest();
            types.addAll(BackendCase.elementTypes(m));
            BackendCase.Data data = testCase.read(m);
            inputs = data.inputs();
            if (data.notCarried() != null) {
                return new String[]{"DATA_NOT_CARRIED", data.notCarried()};
            }
            InferenceResult result = engine.run(pkg, inputs, DevicePreference.CPU);
            for (Map.Entry<String, Tensor> expected : data.expected().entrySet()) {
                String name = expected.getKey();
                String difference = compare(expected.getValue(), result.output(name));
                if (difference != null) {
                    // Conduit's answer against ONNX Runtime's own, run directly on the same file and inputs.
                    boolean runtimeSaysTheSame = RawRuntime.sameAsConduit(testCase.model(), inputs, result);
                    String outcome = !runtimeSaysTheSame && RANDOM.matcher(testCase.folder().getFileName().toString()).find()
                            ? "RANDOM_OPERATOR" : runtimeSaysTheSame ? "RUNTIME_DIFFERS" : "WRONG_RESULT";
                    return new String[]{outcome, "output " + name + " " + difference};
                }
            }
            String v2 = throughV2(result);
            return v2 == null ? new String[]{"PASSED", ""} : new String[]{"CONDUIT_ERROR", v2};
        } catch (ConduitException e) {
            if (e.code() == ErrorCode.INPUT_INVALID && !inputs.isEmpty()) {
                String runtime = RawRuntime.refusal(testCase.model(), inputs);
                if (runtime != null) {
                    // The test data does not fit the model's own declaration; ONNX Runtime refuses it as well.
                    return new String[]{"DATA_DOES_NOT_FIT_MODEL", e.getMessage() + " (ONNX Runtime: "
                            + runtime.lines().findFirst().orElse("") + ")"};
                }
            }
            return classify(e);
        } catch (RuntimeException e) {
            return new String[]{"CONDUIT_ERROR", e.toString()};
        }
    }

    private static String[] classify(ConduitException e) {
        String first = e.getMessage().lines().findFirst().orElse("");
        String brief = first.length() > 160 ? first.substring(0, 160) + "..." : first;
        return switch (e.code()) {
            case MODEL_UNSUPPORTED -> new String[]{"REFUSED_UNSUPPORTED", brief};
            case MODEL_CORRUPT -> new String[]{"RUNTIME_CANNOT_LOAD", brief};
            case INFERENCE_FAILED -> new String[]{"RUNTIME_FAILED", brief};
            default -> new String[]{"CONDUIT_ERROR", e.code().searchCode() + " " + brief};
        };
    }

    /** Null when equal within ONNX's backend-test tolerance (integers, booleans and strings exactly). */
    private static String compare(Tensor expected, Tensor actual) {
        if (expected.type() != actual.type() || !java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return "is " + actual + ", expected " + expected;
        }
        if (expected.type() == DataType.BYTES) {
            return BackendCase.bitDifference(expected, actual);
        }
        boolean floating = expected.type().isFloatingPoint();
        for (long i = 0; i < expected.elementCount(); i++) {
            double e = TensorMetrics.value(expected, i);
            double a = TensorMetrics.value(actual, i);
            boolean same = floating ? (Double.isNaN(e) ? Double.isNaN(a) : Math.abs(a - e) <= 1e-7 + 1e-3 * Math.abs(e)
                    || a == e) : a == e;
            if (!same) {
                return "[" + i + "] is " + a + ", expected " + e;
            }
        }
        return floating ? null : BackendCase.bitDifference(expected, actual);
    }

    /** Null when every output survives V2 binary and, where JSON can carry it, V2 JSON bit for bit. */
    private static String throughV2(InferenceResult result) throws IOException {
        List<NamedTensor> outputs = new ArrayList<>();
        result.outputs().forEach((name, t) -> outputs.add(new NamedTensor(name, t)));
        boolean jsonCarries = outputs.stream().allMatch(o -> V2Codec.jsonRefusal(o.tensor()).isEmpty());
        for (boolean binary : jsonCarries ? new boolean[]{true, false} : new boolean[]{true}) {
            V2Body body = V2Codec.encodeResponse(new InferResponse("conformance", "1.0.0", "", outputs, Map.of()),
                    name -> binary);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.writeTo(bytes);
            InferResponse back = V2Codec.decodeResponse(new ByteArrayInputStream(bytes.toByteArray()),
                    body.binary() ? (long) body.header().length : null);
            for (NamedTensor o : outputs) {
                if (BackendCase.bitDifference(o.tensor(), back.outputMap().get(o.name())) != null) {
                    return "output " + o.name() + " changed through V2 " + (binary ? "binary" : "JSON");
                }
            }
        }
        return null;
    }
}
