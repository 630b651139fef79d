package io.conduit.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a tensor means to an artist's data, so a bridge knows what to feed it: an image plane, a
 * matte, point positions, normals, colours, a volume, per-point weights, transforms, or a plain
 * scalar parameter.
 */
public enum Role {
    IMAGE, MASK, POINTS, NORMALS, COLORS, VOLUME, WEIGHTS, TRANSFORMS, SCALAR, VECTOR, GENERIC;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromJson(String name) {
        return Arrays.stream(values()).filter(r -> r.jsonName().equalsIgnoreCase(name)).findFirst();
    }

    public static String jsonNames() {
        return Arrays.stream(values()).map(Role::jsonName).collect(Collectors.joining(", "));
    }
}
