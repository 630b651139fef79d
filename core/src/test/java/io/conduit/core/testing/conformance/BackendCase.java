package io.conduit.core.testing.conformance;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.pkg.PackageDraft;
import io.conduit.core.pkg.PackageWriter;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Assertions;

/**
 * One of the ONNX backend tests that ship with ONNX (Debian's {@code libonnx-testdata}: a folder with
 * {@code model.onnx} and {@code test_data_set_0/input_N.pb, output_N.pb}), packaged as {@code conduit
 * init} would and read into tensors named as the package's manifest names them. Shared by core's local
 * conformance suite and the server's, which sends the same cases through {@code conduit serve}.
 */
public record BackendCase(String id, Path folder) {
    /** The inputs and expected outputs of a case, by manifest name, or why its data cannot be carried. */
    public record Data(Map<String, Tensor> inputs, Map<String, Tensor> expected, String notCarried) {
    }

    /** Where the test data is ({@code CONDUIT_ONNX_TESTDATA}, else Debian's folder); under CI=true a missing folder fails. */
    public static Path dataFolder() {
        Path data = Path.of(System.getenv().getOrDefault("CONDUIT_ONNX_TESTDATA", "/usr/share/libonnx-testdata/data"));
        if (!Files.isDirectory(data)) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("the ONNX backend test data is not at " + data + " (apt-get install libonnx-testdata)");
            }
            Assumptions.abort("no ONNX backend test data at " + data);
        }
        return data;
    }

    /** Every test folder under {@code data} (node, model and operator tests), sorted. */
    public static List<BackendCase> all(Path data) throws IOException {
        try (Stream<Path> walk = Files.walk(data, 2)) {
            return walk.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))
                            && Files.isDirectory(p.resolve("test_data_set_0"))).sorted()
                    .map(p -> new BackendCase(data.relativize(p).toString(), p)).toList();
        }
    }

    public Path model() {
        return folder.resolve("model.onnx");
    }

    /**
     * Writes the package {@code conduit init} would write for this model into {@code pkgDir}, named
     * {@code name}; a model Conduit refuses throws the same {@code ConduitException} init would.
     */
    public void packageInto(Path pkgDir, String name) throws IOException {
        var signature = OnnxModels.readSignature(model());
        Manifest draft = PackageDraft.draft(signature, name, SemVer.parse("1.0.0"), Files.size(model()), "model.onnx");
        PackageWriter.write(draft, model(), pkgDir);
    }

    /** The inputs and expected outputs of {@code test_data_set_0}, named and typed as {@code m} declares them. */
    public Data read(Manifest m) throws IOException {
        Path data = folder.resolve("test_data_set_0");
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < m.inputs().size(); i++) {
            Path file = data.resolve("input_" + i + ".pb");
            if (!Files.exists(file)) {
                return new Data(inputs, Map.of(), "no " + file.getFileName() + " (an optional input left out)");
            }
            TensorProtos.Read read = TensorProtos.read(file);
            if (read.tensor() == null) {
                return new Data(inputs, Map.of(), "input " + i + " has " + read.unsupported());
            }
            String name = m.input(read.name()).map(TensorSpec::name).orElse(m.inputs().get(i).name());
            inputs.put(name, asDeclared(read.tensor(), m.input(name).orElseThrow()));
        }
        Map<String, Tensor> expected = new LinkedHashMap<>();
        for (int i = 0; i < m.outputs().size(); i++) {
            TensorProtos.Read read = TensorProtos.read(data.resolve("output_" + i + ".pb"));
            if (read.tensor() == null) {
                return new Data(inputs, expected, "output " + i + " has " + read.unsupported());
            }
            String name = m.output(read.name()).map(TensorSpec::name).orElse(m.outputs().get(i).name());
            expected.put(name, asDeclared(read.tensor(), m.output(name).orElseThrow()));
        }
        return new Data(inputs, expected, null);
    }

    /** The element types of every port of {@code m}, for results per type. */
    public static TreeSet<DataType> elementTypes(Manifest m) {
        TreeSet<DataType> types = new TreeSet<>();
        m.inputs().forEach(s -> types.add(s.datatype()));
        m.outputs().forEach(s -> types.add(s.datatype()));
        return types;
    }

    /**
     * ONNX 1.12's test data stores bfloat16 tensors as UINT16 (numpy has no bfloat16): the same bits,
     * read as the model's declared BF16.
     */
    private static Tensor asDeclared(Tensor t, TensorSpec spec) {
        return t.type() == DataType.UINT16 && spec.datatype() == DataType.BF16
                ? Tensor.wrap(DataType.BF16, t.shape(), t.bytes()) : t;
    }

    /**
     * Null when {@code actual} is {@code expected} bit for bit (type, shape, every byte, so NaN
     * payloads and -0.0 too; strings equal), else what differs.
     */
    public static String bitDifference(Tensor expected, Tensor actual) {
        if (actual == null) {
            return "is missing";
        }
        if (expected.type() != actual.type() || !java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return "is " + actual + ", expected " + expected;
        }
        boolean same = expected.type() == DataType.BYTES ? java.util.Arrays.equals(expected.strings(), actual.strings())
                : expected.bytes().equals(actual.bytes());
        return same ? null : "differs in its " + (expected.type() == DataType.BYTES ? "strings" : "bits");
    }
}
