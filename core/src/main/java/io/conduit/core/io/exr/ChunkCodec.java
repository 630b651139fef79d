package io.conduit.core.io.exr;

import java.util.List;

/**
 * One EXR compression applied to one chunk. Raw chunk bytes are the file's uncompressed layout:
 * for each scanline of the block, each channel in file order, that channel's samples, little-endian.
 */
interface ChunkCodec {
    /**
     * Decodes {@code inLength} bytes of {@code in} into exactly {@code outLength} bytes of
     * {@code out}; throws {@link ChunkDataException} if the data do not decode to that size.
     */
    void decompress(byte[] in, int inLength, byte[] out, int outLength, Block block);

    /** Encodes the first {@code rawLength} bytes of {@code raw}; the result may be longer than the input. */
    byte[] compress(byte[] raw, int rawLength, Block block);

    /** The codec for {@code compression} over channels of {@code types} (file order); null for NONE. */
    static ChunkCodec of(ExrCompression compression, List<PixelType> types) {
        return switch (compression) {
            case NONE -> null;
            case RLE -> new RleCodec();
            case ZIPS, ZIP -> new ZipCodec();
            case PIZ -> new PizCodec(types);
            default -> throw new IllegalArgumentException(compression + " is not supported");
        };
    }
}
