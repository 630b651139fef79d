package io.conduit.core.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The element types Conduit moves between files, engines and the wire. The names are those of the
 * KServe V2 / Open Inference Protocol, so a manifest, a {@code .npy} file and an HTTP request all
 * spell a type the same way.
 */
public enum DataType {
    BOOL(1, "|b1"),
    UINT8(1, "|u1"),
    INT32(4, "<i4"),
    INT64(8, "<i8"),
    FP16(2, "<f2"),
    FP32(4, "<f4");

    private final int byteSize;
    private final String npyDescr;

    DataType(int byteSize, String npyDescr) {
        this.byteSize = byteSize;
        this.npyDescr = npyDescr;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** numpy's little-endian type descriptor, as written in a {@code .npy} header. */
    public String npyDescr() {
        return npyDescr;
    }

    /** The type with this V2 name (case-insensitive), if Conduit supports it. */
    public static Optional<DataType> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    /** The supported names, for error messages: {@code BOOL, UINT8, ...}. */
    public static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
