package io.conduit.core.manifest;

import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code lineage} object; optional parts default to empty so older records still load. */
final class LineageReader {
    private LineageReader() {
    }

    static Lineage read(JsonFields l) {
        l.rejectUnknown(Set.of("trainingData", "parents", "code", "framework", "exporter", "createdBy", "createdAt",
                "metrics"));
        List<Lineage.DataRef> data = l.optionalList("trainingData", JsonFields.objects(LineageReader::readData));
        List<String> parents = l.optionalList("parents", (element, at) -> {
            String parent = JsonFields.asString(element, at);
            int at2 = parent.lastIndexOf('@');
            boolean valid = at2 > 0 && ManifestReader.NAME.matcher(parent.substring(0, at2)).matches();
            if (valid) {
                try {
                    SemVer.parse(parent.substring(at2 + 1));
                } catch (IllegalArgumentException e) {
                    valid = false;
                }
            }
            if (!valid) {
                throw JsonFields.invalid(at, "is \"" + parent + "\"; expected name@version, e.g. plate-denoiser@1.2.0");
            }
            return parent;
        });
        Optional<Lineage.CodeRef> code = l.optionalObject("code").map(c -> {
            c.rejectUnknown(Set.of("repository", "commit", "path", "dirty"));
            return new Lineage.CodeRef(c.requireNonBlank("repository"), c.requireNonBlank("commit"),
                    c.optionalString("path"), c.optionalBoolean("dirty", false));
        });
        Optional<Lineage.ToolRef> framework = l.optionalObject("framework").map(LineageReader::readTool);
        Optional<Lineage.ToolRef> exporter = l.optionalObject("exporter").map(LineageReader::readTool);
        String createdBy = l.requireNonBlank("createdBy");
        String createdAtText = l.requireString("createdAt");
        Map<String, Object> metrics = new LinkedHashMap<>();
        l.optionalObject("metrics").ifPresent(m -> {
            for (Map.Entry<String, JsonElement> e : m.entries()) {
                metrics.put(e.getKey(), JsonFields.asScalar(e.getValue(), m.pathOf(e.getKey())));
            }
        });
        return new Lineage(data, parents, code, framework, exporter, createdBy,
                ManifestReader.parseInstant(createdAtText, l.pathOf("createdAt")), metrics);
    }

    private static Lineage.DataRef readData(JsonFields d) {
        d.rejectUnknown(Set.of("uri", "sha256"));
        String sha = d.requireString("sha256");
        if (!ManifestReader.SHA256.matcher(sha).matches()) {
            throw JsonFields.invalid(d.pathOf("sha256"), "is \"" + sha + "\"; expected a sha256 as 64 lowercase hex digits");
        }
        return new Lineage.DataRef(d.requireNonBlank("uri"), sha);
    }

    private static Lineage.ToolRef readTool(JsonFields t) {
        t.rejectUnknown(Set.of("name", "version", "opset"));
        Optional<Integer> opset = t.has("opset") ? Optional.of((int) t.requireLong("opset")) : Optional.empty();
        return new Lineage.ToolRef(t.requireNonBlank("name"), t.requireNonBlank("version"), opset);
    }
}
