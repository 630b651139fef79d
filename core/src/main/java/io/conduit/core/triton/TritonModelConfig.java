package io.conduit.core.triton;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Triton model configuration (the {@code ModelConfig} message of Triton's
 * {@code model_config.proto}) derived from a Conduit manifest, written either as the
 * {@code config.pbtxt} of a model repository or as the JSON Triton's config endpoint answers.
 * One object renders both, so what {@code conduit serve} says about a model and what
 * {@code conduit models export-triton} writes cannot drift apart.
 *
 * <p>Triton's rules it follows: with {@code max_batch_size > 0} the batch axis is left out of
 * {@code dims}, so it is declared only when the manifest's layouts say every tensor leads with one
 * (a point cloud's {@code N} is data, not a batch); a tensor without dimensions is declared as
 * {@code [1]} reshaped to {@code []}; every exported version is served ({@code version_policy:
 * all}, Triton's default serves only the newest); {@code KIND_GPU} only for a model that
 * forbids the CPU, else {@code KIND_AUTO}, so a CPU-only Triton still loads it.
 *
 * @see <a href="https://github.com/triton-inference-server/server/blob/main/docs/user_guide/model_configuration.md">Triton model configuration</a>
 */
public final class TritonModelConfig {
    static final String PLATFORM = "onnxruntime_onnx";
    private static final int QUEUE_DELAY_MICROS = 2000;

    private final String name;
    private final int maxBatchSize;
    private final List<Tensor> inputs;
    private final List<Tensor> outputs;
    private final String instanceKind;
    private final TritonVersionMap versions;

    private TritonModelConfig(String name, int maxBatchSize, List<Tensor> inputs, List<Tensor> outputs,
                              String instanceKind, TritonVersionMap versions) {
        this.name = name;
        this.maxBatchSize = maxBatchSize;
        this.inputs = inputs;
        this.outputs = outputs;
        this.instanceKind = instanceKind;
        this.versions = versions;
    }

    /** The config for {@code m}'s model, batching up to {@code maxBatchSize} when its layouts allow. */
    public static TritonModelConfig of(Manifest m, int maxBatchSize, TritonVersionMap versions) {
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException("maxBatchSize must be 0 or more; got " + maxBatchSize);
        }
        int batch = hasBatchAxis(m) ? maxBatchSize : 0;
        return new TritonModelConfig(m.name(), batch, tensors(m.inputs(), batch > 0), tensors(m.outputs(), batch > 0),
                m.requirements().cpuAllowed() ? "KIND_AUTO" : "KIND_GPU", versions);
    }

    /** Whether every input and output leads with a dynamic axis its layout calls a batch axis ({@link Manifest#hasBatchAxis()}). */
    public static boolean hasBatchAxis(Manifest m) {
        return m.hasBatchAxis();
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public TritonVersionMap versions() {
        return versions;
    }

    /** This config for another version map (same model, same tensors). */
    public TritonModelConfig withVersions(TritonVersionMap other) {
        return new TritonModelConfig(name, maxBatchSize, inputs, outputs, instanceKind, other);
    }

    /**
     * What every version sharing this one Triton model must agree on: tensors, batching and
     * instance kind (Triton has one config per model, not per version).
     */
    public String signature() {
        return withVersions(new TritonVersionMap(List.of())).toPbtxt();
    }

    /** The {@code config.pbtxt} text. */
    public String toPbtxt() {
        StringBuilder c = new StringBuilder();
        c.append("name: ").append(Pbtxt.quote(name)).append('\n');
        c.append("platform: \"").append(PLATFORM).append("\"\n");
        c.append("version_policy: { all { } }\n");
        c.append("max_batch_size: ").append(maxBatchSize).append('\n');
        c.append("input [\n").append(pbtxt(inputs)).append("]\n");
        c.append("output [\n").append(pbtxt(outputs)).append("]\n");
        if (maxBatchSize > 0) {
            c.append("dynamic_batching { max_queue_delay_microseconds: ").append(QUEUE_DELAY_MICROS).append(" }\n");
        }
        c.append("instance_group [ { count: 1 kind: ").append(instanceKind).append(" } ]\n");
        for (Map.Entry<String, String> p : versions.parameters().entrySet()) {
            c.append("parameters { key: ").append(Pbtxt.quote(p.getKey())).append(" value: { string_value: ")
                    .append(Pbtxt.quote(p.getValue())).append(" } }\n");
        }
        return c.toString();
    }

    /** The JSON form, field for field as Triton's {@code GET /v2/models/NAME/config} answers it. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("platform", PLATFORM);
        JsonObject policy = new JsonObject();
        policy.add("all", new JsonObject());
        o.add("version_policy", policy);
        o.addProperty("max_batch_size", maxBatchSize);
        o.add("input", json(inputs));
        o.add("output", json(outputs));
        if (maxBatchSize > 0) {
            JsonObject batching = new JsonObject();
            batching.addProperty("max_queue_delay_microseconds", QUEUE_DELAY_MICROS);
            o.add("dynamic_batching", batching);
        }
        JsonObject group = new JsonObject();
        group.addProperty("count", 1);
        group.addProperty("kind", instanceKind);
        JsonArray groups = new JsonArray();
        groups.add(group);
        o.add("instance_group", groups);
        JsonObject parameters = new JsonObject();
        versions.parameters().forEach((k, v) -> {
            JsonObject value = new JsonObject();
            value.addProperty("string_value", v);
            parameters.add(k, value);
        });
        o.add("parameters", parameters);
        return o;
    }

    /** A config's string parameters from its JSON form, as a client reads them. */
    public static Map<String, String> parameters(JsonObject config) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (config.has("parameters") && config.get("parameters").isJsonObject()) {
            config.getAsJsonObject("parameters").entrySet().forEach(e -> {
                if (e.getValue().isJsonObject() && e.getValue().getAsJsonObject().has("string_value")
                        && e.getValue().getAsJsonObject().get("string_value").isJsonPrimitive()) {
                    out.put(e.getKey(), e.getValue().getAsJsonObject().get("string_value").getAsString());
                }
            });
        }
        return out;
    }

    private static List<Tensor> tensors(List<TensorSpec> specs, boolean dropBatchAxis) {
        return specs.stream().map(s -> new Tensor(s.name(), tritonType(s),
                dropBatchAxis ? Arrays.copyOfRange(s.shape(), 1, s.shape().length) : s.shape())).toList();
    }

    /** Triton's names are the V2 ones with a {@code TYPE_} prefix, except V2's BYTES, which Triton calls STRING. */
    static String tritonType(TensorSpec s) {
        String v2 = s.datatype().name();
        return "TYPE_" + (v2.equals("BYTES") ? "STRING" : v2);
    }

    private static String pbtxt(List<Tensor> tensors) {
        return tensors.stream().map(t -> {
            String dims = t.scalar() ? "1" : Arrays.stream(t.dims()).mapToObj(Long::toString).collect(Collectors.joining(", "));
            return "  { name: " + Pbtxt.quote(t.name()) + " data_type: " + t.type() + " dims: [ " + dims + " ]"
                    + (t.scalar() ? " reshape: { shape: [ ] }" : "") + " }";
        }).collect(Collectors.joining(",\n", "", "\n"));
    }

    private static JsonArray json(List<Tensor> tensors) {
        JsonArray array = new JsonArray();
        for (Tensor t : tensors) {
            JsonObject o = new JsonObject();
            o.addProperty("name", t.name());
            o.addProperty("data_type", t.type());
            JsonArray dims = new JsonArray();
            if (t.scalar()) {
                dims.add(1);
                JsonObject reshape = new JsonObject();
                reshape.add("shape", new JsonArray());
                o.add("reshape", reshape);
            } else {
                Arrays.stream(t.dims()).forEach(dims::add);
            }
            o.add("dims", dims);
            array.add(o);
        }
        return array;
    }

    private record Tensor(String name, String type, long[] dims) {
        boolean scalar() {
            return dims.length == 0;
        }
    }
}
