package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Shapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes packages as an NVIDIA Triton model repository: {@code NAME/1/model.onnx} and a
 * {@code config.pbtxt} declaring the inputs and outputs, the batch size, dynamic batching and an
 * instance group. Triton numbers versions, so each model's resolved version is exported as version 1
 * and its semantic version is kept in the config's parameters.
 *
 * @see <a href="https://github.com/triton-inference-server/server/blob/main/docs/user_guide/model_configuration.md">Triton model configuration</a>
 */
public final class TritonExport {
    private TritonExport() {
    }

    /** Exports one package under {@code repository}; returns the model folder written. */
    public static Path export(ModelPackage pkg, Path repository, int maxBatchSize) {
        Manifest m = pkg.manifest();
        Path modelDir = repository.resolve(m.name());
        try {
            Files.createDirectories(modelDir.resolve("1"));
            Files.copy(pkg.modelFile(), modelDir.resolve("1").resolve("model.onnx"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String config = config(m, batchable(m) ? maxBatchSize : 0);
            AtomicFiles.write(modelDir.resolve("config.pbtxt"), out -> out.write(config.getBytes(StandardCharsets.UTF_8)));
            return modelDir;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot export " + m.coordinate() + " to " + repository + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A dynamic first axis on every tensor of rank two or more; a rank-one tensor's only axis may be
     * its data (a flattened result), and Triton needs at least one dimension besides the batch.
     */
    static boolean batchable(Manifest m) {
        return java.util.stream.Stream.concat(m.inputs().stream(), m.outputs().stream())
                .allMatch(s -> s.shape().length > 1 && s.shape()[0] == Shapes.DYNAMIC);
    }

    static String config(Manifest m, int maxBatchSize) {
        StringBuilder c = new StringBuilder();
        c.append("name: \"").append(m.name()).append("\"\n");
        c.append("platform: \"onnxruntime_onnx\"\n");
        c.append("max_batch_size: ").append(maxBatchSize).append('\n');
        c.append("input [\n").append(tensors(m.inputs(), maxBatchSize > 0)).append("]\n");
        c.append("output [\n").append(tensors(m.outputs(), maxBatchSize > 0)).append("]\n");
        if (maxBatchSize > 0) {
            c.append("dynamic_batching { max_queue_delay_microseconds: 2000 }\n");
        }
        c.append("instance_group [ { count: 1, kind: KIND_GPU } ]\n");
        c.append("parameters { key: \"conduit_version\" value: { string_value: \"").append(m.version()).append("\" } }\n");
        return c.toString();
    }

    private static String tensors(List<TensorSpec> specs, boolean dropBatchAxis) {
        return specs.stream().map(s -> {
            long[] dims = dropBatchAxis ? Arrays.copyOfRange(s.shape(), 1, s.shape().length) : s.shape();
            String list = Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(", "));
            return "  { name: \"" + s.name() + "\" data_type: TYPE_" + tritonType(s) + " dims: [ " + list + " ] }";
        }).collect(Collectors.joining(",\n", "", "\n"));
    }

    private static String tritonType(TensorSpec s) {
        return switch (s.datatype()) {
            case BOOL -> "BOOL";
            case UINT8 -> "UINT8";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case FP16 -> "FP16";
            case FP32 -> "FP32";
            case FP64 -> "FP64";
            case INT8 -> "INT8";
            case INT16 -> "INT16";
            case UINT16 -> "UINT16";
            case UINT32 -> "UINT32";
            case UINT64 -> "UINT64";
            case BF16 -> "BF16";
        };
    }
}
