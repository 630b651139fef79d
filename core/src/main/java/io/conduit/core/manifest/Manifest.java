package io.conduit.core.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated content of a model package's {@code conduit.json}: identity, signature with the
 * meaning of each tensor, machine requirements, how each application presents the model, lineage,
 * the asset tags it is valid for, and the sha256 of every file. Instances only come from
 * {@link ManifestReader} (which validates) or code that builds a draft for a TD to edit.
 *
 * @param modelFile the ONNX file's path inside the package
 * @param files package-relative path to lowercase hex sha256, for every file but the manifest
 */
public record Manifest(int schemaVersion, String name, SemVer version, String description, List<String> authors,
                       String modelFile, List<TensorSpec> inputs, List<TensorSpec> outputs,
                       Requirements requirements, Map<String, HostEntry> hosts, Lineage lineage,
                       List<String> assets, Map<String, String> files) {

    /** The newest schema this build reads and the one it writes. */
    public static final int CURRENT_SCHEMA = 1;

    public Manifest {
        authors = List.copyOf(authors);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        assets = List.copyOf(assets);
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** {@code name@version}, the way registries, logs and lineage refer to a model. */
    public String coordinate() {
        return name + "@" + version;
    }

    public Optional<TensorSpec> input(String inputName) {
        return inputs.stream().filter(s -> s.name().equals(inputName)).findFirst();
    }

    public Optional<TensorSpec> output(String outputName) {
        return outputs.stream().filter(s -> s.name().equals(outputName)).findFirst();
    }

    /** The sha256 the manifest records for the ONNX file; sessions are cached by it. */
    public String modelDigest() {
        return files.get(modelFile);
    }

    /**
     * Whether every input and output leads with a dynamic axis its layout calls a batch axis (NCHW, NHWC,
     * POINTS, VOLUME, VECTOR at their full rank), as Triton's {@code max_batch_size} reads it: a service may
     * join requests along it, and each output's first axis is then the inputs'.
     */
    public boolean hasBatchAxis() {
        List<TensorSpec> all = new java.util.ArrayList<>(inputs());
        all.addAll(outputs());
        return !all.isEmpty() && all.stream().allMatch(s -> s.shape().length > 0
                && s.shape()[0] == io.conduit.core.tensor.Shapes.DYNAMIC && s.layout().leadsWithBatch(s.shape().length));
    }
}
