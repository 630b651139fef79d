package io.conduit.core.engine.local;

import io.conduit.core.InvalidInputException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.util.Map;

/** Checks caller-supplied output tensors against the manifest before ONNX Runtime writes into them. */
final class OutputValidator {
    private OutputValidator() {
    }

    static void validate(Manifest manifest, Map<String, Tensor> outputs) {
        for (Map.Entry<String, Tensor> entry : outputs.entrySet()) {
            TensorSpec spec = manifest.output(entry.getKey()).orElseThrow(() -> new InvalidInputException(
                    "unknown output \"" + entry.getKey() + "\" for " + manifest.coordinate() + "; expected one of "
                            + manifest.outputs().stream().map(TensorSpec::name).toList()));
            Tensor given = entry.getValue();
            if (spec.datatype() == DataType.BYTES) {
                throw new InvalidInputException("output \"" + spec.name() + "\" is BYTES: strings are returned, not"
                        + " written into a buffer the caller gives; leave it out of the buffers");
            }
            if (given.type() != spec.datatype() || !Shapes.fits(spec.shape(), given.shape())) {
                throw new InvalidInputException("output buffer \"" + spec.name() + "\" is " + given + "; expected "
                        + spec.datatype() + Shapes.format(spec.shape()));
            }
            if (!given.bytes().isDirect()) {
                throw new InvalidInputException("output buffer \"" + spec.name() + "\" is on the Java heap; ONNX Runtime"
                        + " can only write into a direct buffer (use Tensor.allocate)");
            }
        }
    }
}
