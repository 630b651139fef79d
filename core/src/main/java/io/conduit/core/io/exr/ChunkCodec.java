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

    /**
     * Encodes the first {@code rawLength} bytes of {@code raw} into {@code out} (at least {@code rawLength}
     * long) and returns the encoded length, or -1 when the encoding would not be shorter than the raw
     * bytes, in which case the chunk is stored raw and {@code out} holds nothing of use.
     */
    default int compress(byte[] raw, int rawLength, Block block, byte[] out) {
        byte[] data = compress(raw, rawLength, block);
        if (data.length >= rawLength) {
            return -1;
        }
        System.arraycopy(data, 0, out, 0, data.length);
        return data.length;
    }

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
