package io.conduit.core.io.exr;

/**
 * The three sample types an OpenEXR channel may hold, with the id the file stores and the bytes a
 * sample takes. Kept apart from Conduit's {@code DataType} because EXR's set is different (no int8,
 * an unsigned 32-bit type) and its ids are fixed by the file format.
 */
public enum PixelType {
    /** Unsigned 32-bit integer, e.g. object or material ids. */
    UINT(0, 4),
    /** IEEE 754 half precision, the usual type for colour. */
    HALF(1, 2),
    /** IEEE 754 single precision, the usual type for depth and positions. */
    FLOAT(2, 4);

    private final int id;
    private final int byteSize;

    PixelType(int id, int byteSize) {
        this.id = id;
        this.byteSize = byteSize;
    }

    /** The number the file stores for this type. */
    public int id() {
        return id;
    }

    /** Bytes one sample takes in the file. */
    public int byteSize() {
        return byteSize;
    }

    /** The type with file id {@code id}, or null when there is none. */
    static PixelType byId(int id) {
        for (PixelType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        return null;
    }
}
