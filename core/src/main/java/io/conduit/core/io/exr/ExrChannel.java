package io.conduit.core.io.exr;

import java.util.Objects;

/**
 * One channel of an EXR image: its name ({@code R}, {@code A}, {@code depth.Z}, any UTF-8 text)
 * and the sample type the file stores it as. Values are always handed out as floats or, for
 * {@link PixelType#UINT}, exact unsigned ints; the type says what a writer will store.
 */
public record ExrChannel(String name, PixelType type) {
    public ExrChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an EXR channel needs a non-empty name");
        }
    }
}
