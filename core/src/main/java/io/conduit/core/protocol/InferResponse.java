package io.conduit.core.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A V2 inference response: the model, its version, the request id, the output tensors and free
 * parameters. Conduit's server puts the route and its reason in {@code parameters}
 * ({@code conduit_route}, {@code conduit_reason}).
 */
public record InferResponse(String modelName, String modelVersion, String id, List<NamedTensor> outputs,
                            Map<String, String> parameters) {
    public InferResponse {
        id = id == null ? "" : id;
        outputs = List.copyOf(outputs);
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public Map<String, io.conduit.core.tensor.Tensor> outputMap() {
        Map<String, io.conduit.core.tensor.Tensor> map = new LinkedHashMap<>();
        outputs.forEach(t -> map.put(t.name(), t.tensor()));
        return map;
    }
}
