package io.conduit.core.manifest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Manifest} as the current schema's JSON, field names and order as documented in
 * {@code docs/model-package.md}, so that what {@code conduit init} drafts reads back unchanged.
 */
public final class ManifestWriter {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ManifestWriter() {
    }

    public static String toJson(Manifest m) {
        return PRETTY.toJson(toTree(m)) + "\n";
    }

    public static JsonObject toTree(Manifest m) {
        JsonObject o = new JsonObject();
        o.addProperty("schemaVersion", Manifest.CURRENT_SCHEMA);
        o.addProperty("name", m.name());
        o.addProperty("version", m.version().toString());
        o.addProperty("description", m.description());
        o.add("authors", strings(m.authors()));
        o.addProperty("model", m.modelFile());
        o.add("inputs", tensors(m.inputs()));
        o.add("outputs", tensors(m.outputs()));
        JsonObject req = new JsonObject();
        req.addProperty("gpuMemoryMiB", m.requirements().gpuMemoryMiB());
        req.addProperty("cpuAllowed", m.requirements().cpuAllowed());
        req.addProperty("precision", m.requirements().precision());
        m.requirements().maxInputElements().ifPresent(max -> req.addProperty("maxInputElements", max));
        m.requirements().tiling().ifPresent(t -> {
            JsonObject tiling = new JsonObject();
            tiling.addProperty("tileSize", t.tileSize());
            tiling.addProperty("overlap", t.overlap());
            req.add("tiling", tiling);
        });
        o.add("requirements", req);
        JsonObject hosts = new JsonObject();
        m.hosts().forEach((name, entry) -> hosts.add(name, host(entry)));
        o.add("hosts", hosts);
        o.add("lineage", lineage(m.lineage()));
        o.add("assets", strings(m.assets()));
        JsonObject files = new JsonObject();
        m.files().forEach(files::addProperty);
        o.add("files", files);
        return o;
    }

    /** {@code {"name", "datatype", "shape"}}: a tensor's signature as KServe V2 model metadata spells it. */
    public static JsonObject signature(TensorSpec s) {
        JsonObject t = new JsonObject();
        t.addProperty("name", s.name());
        t.addProperty("datatype", s.datatype().name());
        t.add("shape", shape(s.shape()));
        return t;
    }

    /** A shape as a JSON array of sizes, -1 for dynamic axes. */
    public static JsonArray shape(long[] shape) {
        JsonArray array = new JsonArray();
        for (long axis : shape) {
            array.add(axis);
        }
        return array;
    }

    private static JsonArray tensors(List<TensorSpec> specs) {
        JsonArray array = new JsonArray();
        for (TensorSpec s : specs) {
            JsonObject t = signature(s);
            t.addProperty("layout", s.layout().jsonName());
            t.addProperty("role", s.role().jsonName());
            s.valueRange().ifPresent(r -> {
                JsonArray range = new JsonArray();
                range.add(r.min());
                range.add(r.max());
                t.add("valueRange", range);
            });
            s.colorSpace().ifPresent(c -> t.addProperty("colorSpace", c));
            s.units().ifPresent(u -> {
                JsonObject units = new JsonObject();
                u.length().ifPresent(l -> units.addProperty("length", l));
                u.angle().ifPresent(a -> units.addProperty("angle", a));
                t.add("units", units);
            });
            array.add(t);
        }
        return array;
    }

    private static JsonObject host(HostEntry entry) {
        JsonObject h = new JsonObject();
        h.addProperty("label", entry.label());
        h.addProperty("category", entry.category());
        JsonArray params = new JsonArray();
        for (HostParameter p : entry.parameters()) {
            JsonObject j = new JsonObject();
            j.addProperty("name", p.name());
            j.addProperty("label", p.label());
            j.addProperty("type", p.type());
            j.add("default", scalar(p.defaultValue()));
            p.min().ifPresent(v -> j.addProperty("min", v));
            p.max().ifPresent(v -> j.addProperty("max", v));
            if (!p.choices().isEmpty()) {
                j.add("choices", strings(p.choices()));
            }
            p.input().ifPresent(v -> j.addProperty("input", v));
            params.add(j);
        }
        h.add("parameters", params);
        return h;
    }

    private static JsonObject lineage(Lineage l) {
        JsonObject o = new JsonObject();
        JsonArray data = new JsonArray();
        for (Lineage.DataRef d : l.trainingData()) {
            JsonObject j = new JsonObject();
            j.addProperty("uri", d.uri());
            j.addProperty("sha256", d.sha256());
            data.add(j);
        }
        o.add("trainingData", data);
        o.add("parents", strings(l.parents()));
        l.code().ifPresent(c -> {
            JsonObject j = new JsonObject();
            j.addProperty("repository", c.repository());
            j.addProperty("commit", c.commit());
            c.path().ifPresent(p -> j.addProperty("path", p));
            j.addProperty("dirty", c.dirty());
            o.add("code", j);
        });
        l.framework().ifPresent(t -> o.add("framework", tool(t)));
        l.exporter().ifPresent(t -> o.add("exporter", tool(t)));
        o.addProperty("createdBy", l.createdBy());
        o.addProperty("createdAt", l.createdAt().toString());
        JsonObject metrics = new JsonObject();
        for (Map.Entry<String, Object> e : l.metrics().entrySet()) {
            metrics.add(e.getKey(), scalar(e.getValue()));
        }
        o.add("metrics", metrics);
        return o;
    }

    private static JsonObject tool(Lineage.ToolRef t) {
        JsonObject j = new JsonObject();
        j.addProperty("name", t.name());
        j.addProperty("version", t.version());
        t.opset().ifPresent(v -> j.addProperty("opset", v));
        return j;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    private static JsonElement scalar(Object value) {
        if (value instanceof Boolean b) return new JsonPrimitive(b);
        if (value instanceof Number n) return new JsonPrimitive(n);
        return new JsonPrimitive(String.valueOf(value));
    }
}
