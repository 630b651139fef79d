package io.conduit.core.manifest;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads one application's entry under {@code hosts}, checking each parameter against its type. */
final class HostReader {
    private HostReader() {
    }

    static HostEntry read(JsonFields host, List<TensorSpec> inputs) {
        host.rejectUnknown(Set.of("label", "category", "parameters"));
        String label = host.requireNonBlank("label");
        String category = host.requireNonBlank("category");
        List<HostParameter> parameters = host.optionalList("parameters",
                JsonFields.objects(p -> readParameter(p, inputs)));
        return new HostEntry(label, category, parameters);
    }

    private static HostParameter readParameter(JsonFields p, List<TensorSpec> inputs) {
        p.rejectUnknown(Set.of("name", "label", "type", "default", "min", "max", "choices", "input"));
        String name = p.requireNonBlank("name");
        String label = p.optionalString("label").orElse(name);
        String type = p.requireString("type");
        if (!HostParameter.TYPES.contains(type)) {
            throw JsonFields.invalid(p.pathOf("type"), "is \"" + type + "\"; expected one of " + HostParameter.TYPES);
        }
        Optional<Double> min = p.optionalDouble("min");
        Optional<Double> max = p.optionalDouble("max");
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            throw JsonFields.invalid(p.pathOf("min"), "is " + min.get() + ", above max " + max.get() + "; expected min <= max");
        }
        List<String> choices = p.optionalList("choices", JsonFields.strings());
        if (type.equals("choice") && choices.isEmpty()) {
            throw JsonFields.invalid(p.pathOf("choices"), "is missing or empty; a choice parameter needs its choices");
        }
        Object defaultValue = readDefault(p, type, min, max, choices);
        Optional<String> input = p.optionalString("input");
        if (input.isPresent() && inputs.stream().noneMatch(s -> s.name().equals(input.get()))) {
            throw JsonFields.invalid(p.pathOf("input"), "is \"" + input.get() + "\", which is not a model input; expected one of "
                    + inputs.stream().map(TensorSpec::name).toList());
        }
        return new HostParameter(name, label, type, defaultValue, min, max, choices, input);
    }

    private static Object readDefault(JsonFields p, String type, Optional<Double> min, Optional<Double> max,
                                      List<String> choices) {
        JsonElement raw = p.require("default");
        String at = p.pathOf("default");
        switch (type) {
            case "float", "int" -> {
                double value = JsonFields.asDouble(raw, at);
                if (type.equals("int") && value != Math.rint(value)) {
                    throw JsonFields.invalid(at, "is " + raw + "; expected a whole number for an int parameter");
                }
                if (min.isPresent() && value < min.get() || max.isPresent() && value > max.get()) {
                    throw JsonFields.invalid(at, "is " + raw + ", outside [" + min.map(String::valueOf).orElse("-inf") + ", "
                            + max.map(String::valueOf).orElse("inf") + "]; expected a value within min and max");
                }
                return type.equals("int") ? (Object) JsonFields.asLong(raw, at) : (Object) value;
            }
            case "bool" -> {
                return JsonFields.asBoolean(raw, at);
            }
            case "choice" -> {
                String value = JsonFields.asString(raw, at);
                if (!choices.contains(value)) {
                    throw JsonFields.invalid(at, "is \"" + value + "\"; expected one of the choices " + choices);
                }
                return value;
            }
            default -> {
                return JsonFields.asString(raw, at);
            }
        }
    }
}
