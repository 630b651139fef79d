package io.conduit.core.manifest;

import java.util.List;
import java.util.Optional;

/**
 * A control an artist sees on the model's node, menu action or gizmo. When {@code input} names a
 * model input, the control's value is fed to that tensor; otherwise the bridge uses it itself
 * (e.g. a blend amount applied after inference).
 *
 * @param type {@code float}, {@code int}, {@code bool}, {@code choice} or {@code string}
 * @param defaultValue a Double, Long, Boolean or String matching {@code type}
 */
public record HostParameter(String name, String label, String type, Object defaultValue,
                            Optional<Double> min, Optional<Double> max, List<String> choices,
                            Optional<String> input) {
    public static final List<String> TYPES = List.of("float", "int", "bool", "choice", "string");

    public HostParameter {
        choices = List.copyOf(choices);
    }
}
