package io.conduit.core.pkg;

import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Lineage;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.Requirements;
import io.conduit.core.manifest.Role;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.tensor.DataType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drafts a manifest from an ONNX file's signature for {@code conduit init}: names, datatypes and
 * shapes are exact; layouts, roles, value ranges and requirements are guesses a TD reviews. A
 * four-axis tensor with 1, 3 or 4 channels is taken for an sRGB image in [0, 1].
 */
public final class PackageDraft {
    /** The file name the ONNX model gets inside a package. */
    public static final String MODEL_FILE = "model.onnx";

    private PackageDraft() {
    }

    public static Manifest draft(OnnxSignature signature, String name, SemVer version, long modelBytes,
                                 String sourceFileName) {
        String user = System.getProperty("user.name", "unknown");
        List<TensorSpec> inputs = signature.inputs().stream().map(PackageDraft::guess).toList();
        List<TensorSpec> outputs = signature.outputs().stream().map(PackageDraft::guess).toList();
        boolean half = inputs.stream().anyMatch(s -> s.datatype() == DataType.FP16);
        // Weights, activations and the CUDA context: a generous first guess for a TD to tune.
        long gpuMiB = Math.max(256, 4 * ((modelBytes + (1 << 20) - 1) >> 20));
        Lineage lineage = new Lineage(List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                user, Instant.now().truncatedTo(ChronoUnit.SECONDS), Map.of());
        return new Manifest(Manifest.CURRENT_SCHEMA, name, version,
                "Draft made by conduit init from " + sourceFileName + "; review every field before publishing.",
                List.of(user), MODEL_FILE, inputs, outputs, new Requirements(gpuMiB, true, half ? "fp16" : "fp32"),
                Map.of(), lineage, List.of(), Map.of());
    }

    private static TensorSpec guess(OnnxSignature.Port port) {
        long[] shape = port.shape();
        boolean imageType = port.datatype() == DataType.FP32 || port.datatype() == DataType.FP16
                || port.datatype() == DataType.UINT8;
        if (imageType && shape.length == 4) {
            Optional<TensorSpec.ValueRange> range = Optional.of(port.datatype() == DataType.UINT8
                    ? new TensorSpec.ValueRange(0, 255) : new TensorSpec.ValueRange(0, 1));
            if (isChannelCount(shape[1])) {
                return new TensorSpec(port.name(), port.datatype(), shape, Layout.NCHW, Role.IMAGE, range, Optional.of("sRGB"));
            }
            if (isChannelCount(shape[3])) {
                return new TensorSpec(port.name(), port.datatype(), shape, Layout.NHWC, Role.IMAGE, range, Optional.of("sRGB"));
            }
        }
        return TensorSpec.plain(port.name(), port.datatype(), shape);
    }

    private static boolean isChannelCount(long axis) {
        return axis == 1 || axis == 3 || axis == 4;
    }
}
