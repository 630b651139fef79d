package io.conduit.core.protocol;

import io.conduit.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A V2 inference request: an optional id, the input tensors, and which outputs the caller wants
 * and how (binary or JSON). An empty {@code outputs} list asks for every output, in binary when
 * {@code binaryOutputs} is set (the request-level {@code binary_data_output} parameter).
 */
public record InferRequest(String id, List<NamedTensor> inputs, List<OutputRequest> outputs, boolean binaryOutputs) {
    public InferRequest {
        id = id == null ? "" : id;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The inputs by name, in request order. */
    public Map<String, Tensor> inputMap() {
        Map<String, Tensor> map = new LinkedHashMap<>();
        inputs.forEach(t -> map.put(t.name(), t.tensor()));
        return map;
    }

    /** One requested output; {@code binary} is its {@code parameters.binary_data}. */
    public record OutputRequest(String name, boolean binary) {
    }
}
