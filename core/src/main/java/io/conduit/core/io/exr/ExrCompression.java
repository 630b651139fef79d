package io.conduit.core.io.exr;

/**
 * Every compression an OpenEXR header may name, with its id in the file, the scanlines one chunk
 * holds, and whether Conduit can read it. The unsupported ones are listed rather than left out so
 * that a refused file is refused by name ("DWAA is not supported") instead of by a bare number.
 */
public enum ExrCompression {
    NONE(0, 1, true),
    RLE(1, 1, true),
    ZIPS(2, 1, true),
    ZIP(3, 16, true),
    PIZ(4, 32, true),
    PXR24(5, 16, false),
    B44(6, 32, false),
    B44A(7, 32, false),
    DWAA(8, 32, false),
    DWAB(9, 256, false),
    HTJ2K256(10, 256, false),
    HTJ2K32(11, 32, false);

    private final int id;
    private final int linesPerChunk;
    private final boolean supported;

    ExrCompression(int id, int linesPerChunk, boolean supported) {
        this.id = id;
        this.linesPerChunk = linesPerChunk;
        this.supported = supported;
    }

    /** The number the file stores for this compression. */
    public int id() {
        return id;
    }

    /** How many scanlines one chunk of a scanline file holds with this compression. */
    public int linesPerChunk() {
        return linesPerChunk;
    }

    /** Whether {@link ExrReader} and {@link ExrWriter} handle this compression. */
    public boolean isSupported() {
        return supported;
    }

    /**
     * The most raw bytes one stored byte can stand for: a file whose header promises more pixel
     * data than its length times this is lying, and is refused before anything is allocated. RLE
     * turns 2 bytes into at most 128, deflate reaches at most about 1032:1, and PIZ's run code
     * spends at least 9 bits on 255 16-bit values.
     */
    long maxExpansion() {
        return switch (this) {
            case NONE -> 1;
            case RLE -> 64;
            case PIZ -> 512;
            default -> 1040;
        };
    }

    /** The compression with file id {@code id}, or null for an id no OpenEXR version defines. */
    static ExrCompression byId(int id) {
        for (ExrCompression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }
}
