package io.conduit.core.engine;

import io.conduit.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of one inference, in the model's output order, with the route that produced them
 * and how long it took. Output tensors are Java-managed buffers, so the result needs no closing.
 *
 * @param computeNanos time inside ONNX Runtime's run (or the remote call)
 * @param totalNanos time inside the engine, validation and tensor set-up included
 */
public record InferenceResult(Map<String, Tensor> outputs, RouteDecision route, long computeNanos, long totalNanos) {
    public InferenceResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    public Tensor output(String name) {
        Tensor tensor = outputs.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no output named " + name + "; outputs are " + outputs.keySet());
        }
        return tensor;
    }
}
