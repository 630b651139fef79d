package io.conduit.core.io.exr;

import java.util.List;

/**
 * OpenEXR's PIZ compression: the chunk's 16-bit words are regrouped channel by channel, mapped
 * through a table of the values that occur (a bitmap of them travels with the data), transformed
 * with a 2D {@link Wavelet} per channel and word, and {@link HuffmanDecoder Huffman} coded. 32-bit samples are
 * treated as two 16-bit words each, which is why it is lossless for every pixel type.
 *
 * <p>Layout: uint16 first and last non-zero bitmap byte, those bitmap bytes, int32 Huffman length,
 * Huffman data; all little-endian.
 */
final class PizCodec implements ChunkCodec {
    private static final int USHORT_RANGE = 1 << 16;
    private static final int BITMAP_SIZE = USHORT_RANGE >> 3;

    private final List<PixelType> types;

    PizCodec(List<PixelType> types) {
        this.types = List.copyOf(types);
    }

    @Override
    public void decompress(byte[] in, int inLength, byte[] out, int outLength, Block block) {
        if (inLength < 4) {
            throw new ChunkDataException("PIZ data hold " + inLength + " bytes, less than their 4-byte header");
        }
        int minNonZero = u16(in, 0);
        int maxNonZero = u16(in, 2);
        if (minNonZero >= BITMAP_SIZE || maxNonZero >= BITMAP_SIZE) {
            throw new ChunkDataException("PIZ bitmap range " + minNonZero + ".." + maxNonZero + " exceeds " + BITMAP_SIZE);
        }
        byte[] bitmap = new byte[BITMAP_SIZE];
        int p = 4;
        if (minNonZero <= maxNonZero) {
            int n = maxNonZero - minNonZero + 1;
            if (p + n > inLength) {
                throw new ChunkDataException("PIZ data end inside their bitmap");
            }
            System.arraycopy(in, p, bitmap, minNonZero, n);
            p += n;
        }
        short[] lut = new short[USHORT_RANGE];
        int maxValue = reverseLut(bitmap, lut);
        if (p + 4 > inLength) {
            throw new ChunkDataException("PIZ data end before their Huffman length");
        }
        int length = u16(in, p) | u16(in, p + 2) << 16;
        p += 4;
        if (length < 0 || length > inLength - p) {
            throw new ChunkDataException("PIZ Huffman length " + length + " exceeds the " + (inLength - p) + " bytes left");
        }
        short[] words = new short[outLength / 2];
        HuffmanDecoder.decode(in, p, length, words);
        forEachPlane(block, (base, nx, ox, ny, oy) -> Wavelet.decode(words, base, nx, ox, ny, oy, maxValue));
        for (int i = 0; i < words.length; i++) {
            words[i] = lut[words[i] & 0xffff];
        }
        scatterWords(words, out, block, false);
    }

    @Override
    public byte[] compress(byte[] raw, int rawLength, Block block) {
        short[] words = new short[rawLength / 2];
        scatterWords(words, raw, block, true);
        byte[] bitmap = new byte[BITMAP_SIZE];
        for (short w : words) {
            int v = w & 0xffff;
            bitmap[v >> 3] |= (byte) (1 << (v & 7));
        }
        bitmap[0] &= (byte) ~1; // zero is implied, never stored
        int minNonZero = BITMAP_SIZE - 1;
        int maxNonZero = 0;
        for (int i = 0; i < BITMAP_SIZE; i++) {
            if (bitmap[i] != 0) {
                minNonZero = Math.min(minNonZero, i);
                maxNonZero = Math.max(maxNonZero, i);
            }
        }
        short[] lut = new short[USHORT_RANGE];
        int maxValue = forwardLut(bitmap, lut);
        for (int i = 0; i < words.length; i++) {
            words[i] = lut[words[i] & 0xffff];
        }
        forEachPlane(block, (base, nx, ox, ny, oy) -> Wavelet.encode(words, base, nx, ox, ny, oy, maxValue));
        byte[] huffman = HuffmanEncoder.encode(words);
        int bitmapBytes = minNonZero <= maxNonZero ? maxNonZero - minNonZero + 1 : 0;
        byte[] out = new byte[4 + bitmapBytes + 4 + huffman.length];
        putU16(out, 0, minNonZero);
        putU16(out, 2, maxNonZero);
        System.arraycopy(bitmap, minNonZero, out, 4, bitmapBytes);
        int p = 4 + bitmapBytes;
        putU16(out, p, huffman.length & 0xffff);
        putU16(out, p + 2, huffman.length >>> 16);
        System.arraycopy(huffman, 0, out, p + 4, huffman.length);
        return out;
    }

    /** Visits each channel's planes: one per 16-bit word of its samples, strided within the channel. */
    private void forEachPlane(Block block, PlaneVisitor visitor) {
        int base = 0;
        for (PixelType type : types) {
            int size = type.byteSize() / 2;
            for (int word = 0; word < size; word++) {
                visitor.visit(base + word, block.width(), size, block.height(), block.width() * size);
            }
            base += block.width() * block.height() * size;
        }
    }

    /**
     * Moves words between the chunk's raw layout (line, then channel, then sample) and PIZ's
     * (channel, then line, then sample): {@code toWords} reads {@code bytes} into {@code words}.
     */
    private void scatterWords(short[] words, byte[] bytes, Block block, boolean toWords) {
        int[] channelStart = new int[types.size()];
        int start = 0;
        for (int c = 0; c < types.size(); c++) {
            channelStart[c] = start;
            start += block.width() * block.height() * (types.get(c).byteSize() / 2);
        }
        int b = 0;
        for (int y = 0; y < block.height(); y++) {
            for (int c = 0; c < types.size(); c++) {
                int n = block.width() * (types.get(c).byteSize() / 2);
                int w = channelStart[c] + y * n;
                for (int i = 0; i < n; i++, w++, b += 2) {
                    if (toWords) {
                        words[w] = (short) u16(bytes, b);
                    } else {
                        putU16(bytes, b, words[w]);
                    }
                }
            }
        }
    }

    private static int forwardLut(byte[] bitmap, short[] lut) {
        int k = 0;
        for (int i = 0; i < USHORT_RANGE; i++) {
            lut[i] = (i == 0 || (bitmap[i >> 3] & (1 << (i & 7))) != 0) ? (short) k++ : 0;
        }
        return k - 1;
    }

    private static int reverseLut(byte[] bitmap, short[] lut) {
        int k = 0;
        for (int i = 0; i < USHORT_RANGE; i++) {
            if (i == 0 || (bitmap[i >> 3] & (1 << (i & 7))) != 0) {
                lut[k++] = (short) i;
            }
        }
        return k - 1; // the rest of lut stays 0
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static void putU16(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
    }

    @FunctionalInterface
    private interface PlaneVisitor {
        void visit(int base, int nx, int ox, int ny, int oy);
    }
}
