package io.conduit.core.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.conduit.core.ManifestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads one JSON object of a manifest, field by field, and names the offending field by its full
 * JSON path ({@code inputs[0].datatype}) with the value found and what was expected. Gson's
 * reflective binding would only say "expected a string at line 12", which helps nobody editing a
 * manifest by hand.
 */
final class JsonFields {
    private final JsonObject object;
    private final String path;

    JsonFields(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Refuses fields this schema does not define, which are nearly always typos. */
    void rejectUnknown(Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw invalid(pathOf(key), "is not a field of this schema; expected one of " + new TreeSet<>(known));
            }
        }
    }

    boolean has(String field) {
        return object.has(field) && !object.get(field).isJsonNull();
    }

    JsonElement require(String field) {
        if (!has(field)) {
            throw new ManifestException("manifest field " + pathOf(field) + " is missing; it is required");
        }
        return object.get(field);
    }

    String requireString(String field) {
        return asString(require(field), pathOf(field));
    }

    String requireNonBlank(String field) {
        String value = requireString(field);
        if (value.isBlank()) {
            throw invalid(pathOf(field), "is empty; expected a non-empty string");
        }
        return value;
    }

    Optional<String> optionalString(String field) {
        return has(field) ? Optional.of(asString(object.get(field), pathOf(field))) : Optional.empty();
    }

    boolean requireBoolean(String field) {
        return asBoolean(require(field), pathOf(field));
    }

    boolean optionalBoolean(String field, boolean fallback) {
        return has(field) ? asBoolean(object.get(field), pathOf(field)) : fallback;
    }

    long requireLong(String field) {
        return asLong(require(field), pathOf(field));
    }

    Optional<Double> optionalDouble(String field) {
        return has(field) ? Optional.of(asDouble(object.get(field), pathOf(field))) : Optional.empty();
    }

    JsonFields requireObject(String field) {
        return asObject(require(field), pathOf(field));
    }

    Optional<JsonFields> optionalObject(String field) {
        return has(field) ? Optional.of(asObject(object.get(field), pathOf(field))) : Optional.empty();
    }

    JsonArray requireArray(String field) {
        JsonElement element = require(field);
        if (!element.isJsonArray()) {
            throw invalid(pathOf(field), "is " + element + "; expected a JSON array");
        }
        return element.getAsJsonArray();
    }

    /** Each element of an array field, read by {@code reader} with its own indexed path. */
    <T> List<T> requireList(String field, ElementReader<T> reader) {
        JsonArray array = requireArray(field);
        List<T> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            result.add(reader.read(array.get(i), pathOf(field) + "[" + i + "]"));
        }
        return result;
    }

    <T> List<T> optionalList(String field, ElementReader<T> reader) {
        return has(field) ? requireList(field, reader) : List.of();
    }

    Set<Map.Entry<String, JsonElement>> entries() {
        return object.entrySet();
    }

    String path() {
        return path;
    }

    /** Reads one element of an array at a known path. */
    interface ElementReader<T> {
        T read(JsonElement element, String elementPath);
    }

    static ElementReader<String> strings() {
        return JsonFields::asString;
    }

    static <T> ElementReader<T> objects(Function<JsonFields, T> reader) {
        return (element, elementPath) -> reader.apply(asObject(element, elementPath));
    }

    static String asString(JsonElement element, String at) {
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            return element.getAsString();
        }
        throw invalid(at, "is " + element + "; expected a string");
    }

    static boolean asBoolean(JsonElement element, String at) {
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isBoolean()) {
            return element.getAsBoolean();
        }
        throw invalid(at, "is " + element + "; expected true or false");
    }

    static long asLong(JsonElement element, String at) {
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
            try {
                return element.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException notWhole) {
                // falls through to the error below
            }
        }
        throw invalid(at, "is " + element + "; expected a whole number");
    }

    static double asDouble(JsonElement element, String at) {
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
            double value = element.getAsDouble();
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw invalid(at, "is " + element + "; expected a finite number");
    }

    static JsonFields asObject(JsonElement element, String at) {
        if (!element.isJsonObject()) {
            throw invalid(at, "is " + element + "; expected a JSON object");
        }
        return new JsonFields(element.getAsJsonObject(), at);
    }

    /** A JSON scalar as the Java value a manifest holds: Long, Double, Boolean or String. */
    static Object asScalar(JsonElement element, String at) {
        if (element.isJsonPrimitive()) {
            JsonPrimitive p = element.getAsJsonPrimitive();
            if (p.isBoolean()) return p.getAsBoolean();
            if (p.isString()) return p.getAsString();
            java.math.BigDecimal number;
            try {
                number = p.getAsBigDecimal();
            } catch (NumberFormatException e) {
                throw invalid(at, "is " + element + "; expected a number within range");
            }
            try {
                return number.longValueExact();
            } catch (ArithmeticException notWhole) {
                return number.doubleValue();
            }
        }
        throw invalid(at, "is " + element + "; expected a number, string or boolean");
    }

    static ManifestException invalid(String at, String problem) {
        return new ManifestException("manifest field " + at + " " + problem);
    }
}
