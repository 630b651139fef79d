package io.conduit.core.engine;

import io.conduit.core.InvalidInputException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Checks input tensors against a manifest's signature before they cross into native code or onto
 * the network, and says exactly what is wrong: which input, what was expected, what was given.
 */
public final class InputValidator {
    private InputValidator() {
    }

    public static void validate(Manifest manifest, Map<String, Tensor> inputs) {
        if (!sameNames(manifest.inputs(), inputs)) {
            refuseNames(manifest, inputs);
        }
        for (TensorSpec spec : manifest.inputs()) {
            Tensor given = inputs.get(spec.name());
            if (given.type() != spec.datatype()) {
                throw new InvalidInputException("input \"" + spec.name() + "\" is " + given.type() + "; expected "
                        + spec.datatype() + " (shape " + Shapes.format(spec.shape()) + ")");
            }
            long elements = Shapes.elementCount(given.shape());
            long limit = manifest.requirements().inputElementLimit();
            if (elements > limit) {
                throw new InvalidInputException("input \"" + spec.name() + "\" has " + elements + " elements (shape "
                        + Shapes.format(given.shape()) + "); " + manifest.coordinate() + " takes at most " + limit
                        + " per input (requirements.maxInputElements)");
            }
            if (!Shapes.fits(spec.shape(), given.shape())) {
                throw new InvalidInputException("input \"" + spec.name() + "\" has shape " + Shapes.format(given.shape())
                        + "; expected " + Shapes.format(spec.shape()) + " (-1 = any size)");
            }
        }
    }

    /** Whether the inputs are exactly the declared ones: the common case, checked without building a message. */
    private static boolean sameNames(List<TensorSpec> specs, Map<String, Tensor> inputs) {
        if (specs.size() != inputs.size()) {
            return false;
        }
        for (TensorSpec spec : specs) {
            if (inputs.get(spec.name()) == null) {
                return false;
            }
        }
        return true;
    }

    private static void refuseNames(Manifest manifest, Map<String, Tensor> inputs) {
        List<String> expected = manifest.inputs().stream().map(TensorSpec::name).toList();
        for (String name : inputs.keySet()) {
            if (manifest.input(name).isEmpty()) {
                throw new InvalidInputException("unknown input \"" + name + "\" for " + manifest.coordinate()
                        + "; expected one of " + expected);
            }
        }
        for (TensorSpec spec : manifest.inputs()) {
            if (inputs.get(spec.name()) == null) {
                throw new InvalidInputException("input \"" + spec.name() + "\" of " + manifest.coordinate()
                        + " is missing; the model takes " + expected);
            }
        }
    }
}
