package io.conduit.core.manifest;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.ManifestException;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code conduit.json} into a {@link Manifest}, validating every field on the way. Every
 * schema version ever released is read here (see {@code docs/model-package.md}); an invalid
 * manifest is refused with a {@link ManifestException} that names the field, the value and what
 * was expected.
 */
public final class ManifestReader {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final Set<String> TOP_FIELDS = Set.of("schemaVersion", "name", "version", "description", "authors",
            "model", "inputs", "outputs", "requirements", "hosts", "lineage", "assets", "files");
    private static final Set<String> TENSOR_FIELDS = Set.of("name", "datatype", "shape", "layout", "role",
            "valueRange", "colorSpace", "units");

    private ManifestReader() {
    }

    public static Manifest read(Path manifestFile) {
        String text;
        try {
            text = Files.readString(manifestFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no manifest at " + manifestFile
                    + "; a model package is a folder or .zip holding conduit.json and the ONNX file");
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ManifestException invalid) {
            throw new ManifestException(manifestFile + ": " + invalid.getMessage(), invalid);
        }
    }

    public static Manifest parse(String json) {
        JsonElement root;
        try {
            // Strict: comments, single quotes and unquoted keys are not JSON, and hide typos.
            com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(json));
            reader.setStrictness(com.google.gson.Strictness.STRICT);
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new ManifestException("the manifest is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new ManifestException("the manifest is not a JSON object; expected {\"schemaVersion\": 1, ...}");
        }
        JsonFields top = new JsonFields(root.getAsJsonObject(), "");
        long schema = top.requireLong("schemaVersion");
        if (schema < 1 || schema > Manifest.CURRENT_SCHEMA) {
            throw JsonFields.invalid("schemaVersion", "is " + schema + "; this Conduit reads schema versions 1 to "
                    + Manifest.CURRENT_SCHEMA + (schema > Manifest.CURRENT_SCHEMA ? " (upgrade Conduit to read it)" : ""));
        }
        return readV1(top);
    }

    private static Manifest readV1(JsonFields top) {
        top.rejectUnknown(TOP_FIELDS);
        String name = top.requireString("name");
        if (!NAME.matcher(name).matches()) {
            throw JsonFields.invalid("name", "is \"" + name + "\"; expected lowercase letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit, at most 64 characters");
        }
        SemVer version;
        try {
            version = SemVer.parse(top.requireString("version"));
        } catch (IllegalArgumentException e) {
            throw JsonFields.invalid("version", "is " + e.getMessage());
        }
        String description = top.requireString("description");
        List<String> authors = top.requireList("authors", JsonFields.strings());
        if (authors.isEmpty()) {
            throw JsonFields.invalid("authors", "is empty; expected at least one author");
        }
        String modelFile = requireRelativePath(top.requireNonBlank("model"), "model");
        List<TensorSpec> inputs = readTensors(top, "inputs");
        List<TensorSpec> outputs = readTensors(top, "outputs");
        Requirements requirements = readRequirements(top.requireObject("requirements"));
        Map<String, HostEntry> hosts = readHosts(top.optionalObject("hosts"), inputs);
        Lineage lineage = LineageReader.read(top.requireObject("lineage"));
        List<String> assets = top.optionalList("assets", JsonFields.strings());
        Map<String, String> files = readFiles(top.requireObject("files"));
        if (!files.containsKey(modelFile)) {
            throw JsonFields.invalid("files", "has no sha256 for the model file \"" + modelFile
                    + "\"; expected an entry for every file in the package");
        }
        return new Manifest(1, name, version, description, authors, modelFile, inputs, outputs, requirements, hosts,
                lineage, assets, files);
    }

    private static List<TensorSpec> readTensors(JsonFields top, String field) {
        List<TensorSpec> specs = top.requireList(field, JsonFields.objects(ManifestReader::readTensor));
        // A model without inputs (a generator, a constant table) is valid ONNX; one without outputs computes nothing.
        if (specs.isEmpty() && field.equals("outputs")) {
            throw JsonFields.invalid(field, "is empty; expected at least one tensor");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            if (!seen.add(specs.get(i).name())) {
                throw JsonFields.invalid(field + "[" + i + "].name", "is \"" + specs.get(i).name()
                        + "\", which an earlier entry already uses; expected unique names");
            }
        }
        return specs;
    }

    private static TensorSpec readTensor(JsonFields t) {
        t.rejectUnknown(TENSOR_FIELDS);
        String name = t.requireNonBlank("name");
        String typeName = t.requireString("datatype");
        DataType type = DataType.fromName(typeName).orElseThrow(() -> JsonFields.invalid(t.pathOf("datatype"),
                "is \"" + typeName + "\"; expected one of " + DataType.supportedNames()));
        long[] shape = t.requireList("shape", JsonFields::asLong).stream().mapToLong(Long::longValue).toArray();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 && shape[i] != Shapes.DYNAMIC) {
                throw JsonFields.invalid(t.pathOf("shape") + "[" + i + "]", "is " + shape[i]
                        + "; expected a size of 0 or more, or -1 for a dynamic axis");
            }
        }
        Layout layout = t.optionalString("layout").map(l -> Layout.fromJson(l).orElseThrow(() ->
                JsonFields.invalid(t.pathOf("layout"), "is \"" + l + "\"; expected one of " + Layout.jsonNames())))
                .orElse(Layout.ANY);
        if (!layout.allowsRank(shape.length)) {
            throw JsonFields.invalid(t.pathOf("shape"), "is " + Shapes.format(shape) + " (rank " + shape.length
                    + "), which layout " + layout.jsonName() + " cannot hold; expected rank " + layout.allowedRanks());
        }
        if (type == DataType.BYTES && layout != Layout.ANY && layout != Layout.SCALAR && layout != Layout.VECTOR) {
            throw JsonFields.invalid(t.pathOf("layout"), "is " + layout.jsonName() + " for a BYTES (string) tensor;"
                    + " strings are no image, points or volume: expected any, scalar or vector");
        }
        Role role = t.optionalString("role").map(r -> Role.fromJson(r).orElseThrow(() ->
                JsonFields.invalid(t.pathOf("role"), "is \"" + r + "\"; expected one of " + Role.jsonNames())))
                .orElse(Role.GENERIC);
        Optional<TensorSpec.ValueRange> range = Optional.empty();
        if (t.has("valueRange")) {
            List<Double> bounds = t.requireList("valueRange", JsonFields::asDouble);
            if (bounds.size() != 2 || !(bounds.get(0) < bounds.get(1))
                    || !Double.isFinite(bounds.get(1) - bounds.get(0))) {
                throw JsonFields.invalid(t.pathOf("valueRange"), "is " + bounds + "; expected [min, max] with finite"
                        + " min < max");
            }
            range = Optional.of(new TensorSpec.ValueRange(bounds.get(0), bounds.get(1)));
        }
        Optional<String> colorSpace = t.optionalString("colorSpace");
        if (type == DataType.BYTES && (range.isPresent() || colorSpace.isPresent() || role == Role.IMAGE)) {
            throw JsonFields.invalid(t.path(), "is a BYTES (string) tensor with " + (role == Role.IMAGE ? "role image"
                    : range.isPresent() ? "a valueRange" : "a colorSpace") + "; strings have no values or colours:"
                    + " leave it out");
        }
        if (colorSpace.isPresent() && ColorSpace.fromJson(colorSpace.get()).isEmpty()) {
            throw JsonFields.invalid(t.pathOf("colorSpace"), "is \"" + colorSpace.get() + "\"; expected one of "
                    + ColorSpace.jsonNames() + " (Conduit has no OCIO: convert the plates to scene-linear and declare linear)");
        }
        if (role == Role.IMAGE && (range.isEmpty() || colorSpace.isEmpty())) {
            throw JsonFields.invalid(t.path(), "declares role image without " + (range.isEmpty() ? "valueRange" : "colorSpace")
                    + "; expected both valueRange (e.g. [0, 1]) and colorSpace (e.g. \"sRGB\" or \"linear\") for images");
        }
        return new TensorSpec(name, type, shape, layout, role, range, colorSpace, t.optionalObject("units")
                .map(ManifestReader::readUnits));
    }

    private static Units readUnits(JsonFields u) {
        u.rejectUnknown(Set.of("length", "angle"));
        Optional<String> length = u.optionalString("length");
        Optional<String> angle = u.optionalString("angle");
        if (length.isPresent() && !Units.LENGTHS.contains(length.get())) {
            throw JsonFields.invalid(u.pathOf("length"), "is \"" + length.get() + "\"; expected one of " + Units.LENGTHS);
        }
        if (angle.isPresent() && !Units.ANGLES.contains(angle.get())) {
            throw JsonFields.invalid(u.pathOf("angle"), "is \"" + angle.get() + "\"; expected one of " + Units.ANGLES);
        }
        return new Units(length, angle);
    }

    private static Requirements readRequirements(JsonFields r) {
        r.rejectUnknown(Set.of("gpuMemoryMiB", "cpuAllowed", "precision", "tiling", "maxInputElements"));
        long gpuMemory = r.requireLong("gpuMemoryMiB");
        if (gpuMemory < 0) {
            throw JsonFields.invalid(r.pathOf("gpuMemoryMiB"), "is " + gpuMemory + "; expected 0 or more MiB");
        }
        boolean cpuAllowed = r.requireBoolean("cpuAllowed");
        String precision = r.optionalString("precision").orElse("fp32");
        if (!Requirements.PRECISIONS.contains(precision)) {
            throw JsonFields.invalid(r.pathOf("precision"), "is \"" + precision + "\"; expected one of " + Requirements.PRECISIONS);
        }
        java.util.OptionalLong maxElements = java.util.OptionalLong.empty();
        if (r.has("maxInputElements")) {
            long max = r.requireLong("maxInputElements");
            if (max < 1) {
                throw JsonFields.invalid(r.pathOf("maxInputElements"), "is " + max + "; expected 1 or more elements");
            }
            maxElements = java.util.OptionalLong.of(max);
        }
        return new Requirements(gpuMemory, cpuAllowed, precision, r.optionalObject("tiling").map(ManifestReader::readTiling),
                maxElements);
    }

    private static Tiling readTiling(JsonFields t) {
        t.rejectUnknown(Set.of("tileSize", "overlap"));
        long tile = t.requireLong("tileSize");
        long overlap = t.requireLong("overlap");
        if (tile < Tiling.MIN_TILE || tile > 1 << 16) {
            throw JsonFields.invalid(t.pathOf("tileSize"), "is " + tile + "; expected " + Tiling.MIN_TILE + " to 65536 pixels");
        }
        if (overlap < 0 || 2 * overlap >= tile) {
            throw JsonFields.invalid(t.pathOf("overlap"), "is " + overlap + "; expected 0 or more and under half the tile ("
                    + tile + ")");
        }
        return new Tiling((int) tile, (int) overlap);
    }

    private static Map<String, HostEntry> readHosts(Optional<JsonFields> hostsObject, List<TensorSpec> inputs) {
        Map<String, HostEntry> hosts = new LinkedHashMap<>();
        if (hostsObject.isEmpty()) {
            return hosts;
        }
        JsonFields all = hostsObject.get();
        all.rejectUnknown(Set.copyOf(HostEntry.HOSTS));
        for (String host : HostEntry.HOSTS) {
            all.optionalObject(host).ifPresent(h -> hosts.put(host, HostReader.read(h, inputs)));
        }
        return hosts;
    }

    private static Map<String, String> readFiles(JsonFields files) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : files.entries()) {
            String at = files.pathOf(entry.getKey());
            requireRelativePath(entry.getKey(), at);
            String digest = JsonFields.asString(entry.getValue(), at);
            if (!SHA256.matcher(digest).matches()) {
                throw JsonFields.invalid(at, "is \"" + digest + "\"; expected a sha256 as 64 lowercase hex digits");
            }
            digests.put(entry.getKey(), digest);
        }
        return digests;
    }

    /** Package paths are relative, use '/', and never climb out of the package. */
    static String requireRelativePath(String path, String at) {
        List<String> segments = List.of(path.split("/", -1));
        boolean escapes = path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")
                || segments.contains("..") || segments.contains(".") || segments.contains("");
        if (escapes || path.isBlank() || path.equals("conduit.json")) {
            throw JsonFields.invalid(at, "is \"" + path + "\"; expected a relative path inside the package, using '/',"
                    + " without '.', '..' or empty segments, other than conduit.json");
        }
        return path;
    }

    static Instant parseInstant(String text, String at) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw JsonFields.invalid(at, "is \"" + text + "\"; expected an ISO-8601 UTC time such as 2026-11-21T09:30:00Z");
        }
    }
}
