package io.conduit.core.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The units a model's spatial data are in, declared per tensor ({@code "units": {"length": "m", "angle":
 * "rad"}}), so that a host application converts from its scene's units before a call and back after it: a
 * model trained on metres must not see Maya's centimetres. Only the units the host applications can
 * convert are accepted (Maya's {@code currentUnit} names), each absent when the model does not care.
 *
 * @param length {@code mm}, {@code cm}, {@code m}, {@code km}, {@code in}, {@code ft}, {@code yd} or {@code mi}
 * @param angle  {@code deg} or {@code rad}
 */
public record Units(Optional<String> length, Optional<String> angle) {
    /** Length units, with Maya's short names (CommandsPython currentUnit: mm, cm, m, km, in, ft, yd, mi). */
    public static final List<String> LENGTHS = List.of("mm", "cm", "m", "km", "in", "ft", "yd", "mi");
    /** Angle units. */
    public static final List<String> ANGLES = List.of("deg", "rad");

    public Units {
        length = Objects.requireNonNullElse(length, Optional.empty());
        angle = Objects.requireNonNullElse(angle, Optional.empty());
        length.filter(l -> !LENGTHS.contains(l)).ifPresent(l -> {
            throw new IllegalArgumentException("length unit " + l + "; expected one of " + LENGTHS);
        });
        angle.filter(a -> !ANGLES.contains(a)).ifPresent(a -> {
            throw new IllegalArgumentException("angle unit " + a + "; expected one of " + ANGLES);
        });
    }
}
