package io.conduit.core.manifest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a model came from: the data it was trained on (by URI and digest), the model versions it
 * was fine-tuned from, the code and commit that trained it, the framework and exporter, who made
 * it and when, and free-form metrics. It is an immutable value so that a published version's
 * history can never be rewritten after the fact.
 *
 * @param parents earlier models as {@code name@version}
 * @param metrics values are Double, Long, Boolean or String
 */
public record Lineage(List<DataRef> trainingData, List<String> parents, Optional<CodeRef> code,
                      Optional<ToolRef> framework, Optional<ToolRef> exporter, String createdBy,
                      Instant createdAt, Map<String, Object> metrics) {

    public Lineage {
        trainingData = List.copyOf(trainingData);
        parents = List.copyOf(parents);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** A data set by location and content digest. */
    public record DataRef(String uri, String sha256) {
    }

    /** The code that produced the model; {@code dirty} when it differed from {@code commit}. */
    public record CodeRef(String repository, String commit, Optional<String> path, boolean dirty) {
    }

    /** A tool and its version; {@code opset} only for exporters. */
    public record ToolRef(String name, String version, Optional<Integer> opset) {
    }
}
