package io.conduit.core.engine;

import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import java.util.Map;

/**
 * Runs a model package on named input tensors. The local engine (ONNX Runtime in this process) and
 * the remote engine (an inference service over HTTP) both implement it, so callers and the policy
 * that chooses between them see one contract: inputs are validated against the manifest before any
 * native or network boundary, and the result says which route ran and why.
 */
public interface InferenceEngine extends AutoCloseable {

    /** Runs {@code model} on {@code inputs} (input name to tensor) on the device {@code device} allows. */
    InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device);

    /** Says which route {@link #run} would take for this model now, and why, without running it. */
    RouteDecision plan(ModelPackage model, DevicePreference device);

    /**
     * Does now what the first {@link #run} on {@code device}'s route would otherwise do on its way
     * (for the local engine: create the ONNX Runtime session), so a service that loads its models in
     * the background answers ready only once a model can run, and a model that cannot load is found
     * at start, not by its first caller. Engines with nothing to prepare do nothing.
     */
    default void prepare(ModelPackage model, DevicePreference device) {
    }

    @Override
    void close();
}
