package io.conduit.core.manifest;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The colour encodings an image tensor may declare in {@code colorSpace}, and the only ones Conduit
 * converts between: {@code sRGB} (values through the sRGB transfer curve, as an 8-bit PNG stores them),
 * {@code linear} (scene-linear, as an EXR plate stores them) and {@code raw} (numbers with no colour
 * meaning, such as masks or normals, passed through untouched). Anything else (ACEScg, an OCIO role)
 * would need a colour management system Conduit does not have, so the manifest reader refuses it by
 * name instead of feeding the model values in an encoding it did not ask for.
 */
public enum ColorSpace {
    SRGB("sRGB"), LINEAR("linear"), RAW("raw");

    private final String jsonName;

    ColorSpace(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The colour space a manifest names, matched without regard to case. */
    public static Optional<ColorSpace> fromJson(String name) {
        return Arrays.stream(values()).filter(c -> c.jsonName.equalsIgnoreCase(name)).findFirst();
    }

    public static String jsonNames() {
        return Arrays.stream(values()).map(ColorSpace::jsonName).collect(Collectors.joining(", "));
    }
}
