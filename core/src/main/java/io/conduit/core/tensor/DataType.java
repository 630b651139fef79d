package io.conduit.core.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The element types Conduit moves between files, engines and the wire. The names are those of the
 * KServe V2 / Open Inference Protocol, so a manifest, a {@code .npy} file and an HTTP request all
 * spell a type the same way. Every type but {@link #BYTES} has a fixed element size; BYTES (ONNX's
 * STRING, Triton's TYPE_STRING) holds text, one string per element, which {@link Tensor} keeps apart
 * from the byte buffers of the others.
 */
public enum DataType {
    BOOL(1, "|b1", "bool"),
    UINT8(1, "|u1", "uint8"),
    INT32(4, "<i4", "int32"),
    INT64(8, "<i8", "int64"),
    FP16(2, "<f2", "float16"),
    FP32(4, "<f4", "float32"),
    FP64(8, "<f8", "float64"),
    INT8(1, "|i1", "int8"),
    INT16(2, "<i2", "int16"),
    UINT16(2, "<u2", "uint16"),
    UINT32(4, "<u4", "uint32"),
    UINT64(8, "<u8", "uint64"),
    /** bfloat16: numpy has no such type; ml_dtypes' bfloat16 saves as two raw bytes, {@code |V2}. */
    BF16(2, "|V2", "bfloat16"),
    /**
     * Strings (ONNX's STRING), one per element, of any length. numpy holds them as fixed-width unicode,
     * {@code <U} followed by the widest element's length in code points.
     */
    BYTES(0, "<U", "str");

    private final int byteSize;
    private final String npyDescr;
    private final String numpyName;

    DataType(int byteSize, String npyDescr, String numpyName) {
        this.byteSize = byteSize;
        this.npyDescr = npyDescr;
        this.numpyName = numpyName;
    }

    /** Bytes per element; BYTES has no fixed size, so asking for it is a mistake of the caller's. */
    public int byteSize() {
        if (this == BYTES) {
            throw new IllegalStateException("BYTES elements are strings of any length; they have no fixed size");
        }
        return byteSize;
    }

    /** Whether elements have a fixed size and live in a byte buffer: every type but BYTES. */
    public boolean hasFixedSize() {
        return this != BYTES;
    }

    /** numpy's little-endian type descriptor, as written in a {@code .npy} header. */
    public String npyDescr() {
        return npyDescr;
    }

    /** numpy's name for the type ({@code float32}), for messages about {@code .npy} files. */
    public String numpyName() {
        return numpyName;
    }

    /** Whether the elements are floating point (FP16, BF16, FP32, FP64): values JSON may not carry (NaN, Inf). */
    public boolean isFloatingPoint() {
        return this == FP16 || this == BF16 || this == FP32 || this == FP64;
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
