package io.conduit.core.io.exr;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * OpenEXR's ZIP and ZIPS compressions (they differ only in lines per chunk): {@link ByteReorder},
 * then zlib. Decoding stops at the expected size, so data that would inflate to more are refused
 * without growing any buffer. The reordered bytes live in one scratch buffer per thread, and
 * compressed bytes go straight into the caller's buffer, so coding a plate makes no garbage per chunk
 * (a 4K float chunk is 0.8 MB, and a garbage-collected heap grows with what it must collect).
 */
final class ZipCodec implements ChunkCodec {
    /**
     * OpenEXR's own default, not zlib's 6: the C++ library gives every header level 4
     * ({@code s_DefaultZipCompressionLevel} in src/lib/OpenEXR/ImfHeader.cpp), and OpenEXRCore, whose global
     * default is unset (-1, base.c), then compresses at {@code EXR_DEFAULT_ZLIB_COMPRESS_LEVEL}, 4
     * (compression.c: "better trade off of speed vs size"). On grainy float plates 4 and 6 measured the
     * same size and time (docs/benchmarks.md, plates), so this matches the reference writer more than it saves.
     */
    static final int LEVEL = 4;

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    @Override
    public void decompress(byte[] in, int inLength, byte[] out, int outLength, Block block) {
        byte[] reordered = scratch(outLength);
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, 0, inLength);
            int n = 0;
            while (n < outLength) {
                int got = inflater.inflate(reordered, n, outLength - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            // A full buffer may leave the stream's end unread; one more byte tells "done" from "too long".
            if (n == outLength && !inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw new ChunkDataException("zlib data inflate to more than the expected " + outLength + " bytes");
            }
            if (n != outLength) {
                throw new ChunkDataException("zlib data inflate to " + n + " bytes; expected " + outLength);
            }
        } catch (DataFormatException e) {
            throw new ChunkDataException("zlib data are corrupt (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
        ByteReorder.decode(reordered, out, outLength);
    }

    @Override
    public byte[] compress(byte[] raw, int rawLength, Block block) {
        // zlib's deflateBound: stored blocks add 5 bytes per 16 KiB, plus the stream's header and trailer.
        byte[] out = new byte[rawLength + (rawLength >> 12) + (rawLength >> 14) + (rawLength >> 25) + 64];
        int n = deflate(raw, rawLength, out, out.length);
        if (n < 0) {
            throw new IllegalStateException("zlib wrote more than its bound for " + rawLength + " bytes");
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public int compress(byte[] raw, int rawLength, Block block, byte[] out) {
        int n = deflate(raw, rawLength, out, rawLength);
        return n < rawLength ? n : -1;
    }

    /** Deflates the reordered bytes into {@code out}; returns the bytes written, or -1 past {@code limit}. */
    private static int deflate(byte[] raw, int rawLength, byte[] out, int limit) {
        byte[] reordered = scratch(rawLength);
        ByteReorder.encode(raw, rawLength, reordered);
        Deflater deflater = new Deflater(LEVEL);
        try {
            deflater.setInput(reordered, 0, rawLength);
            deflater.finish();
            int n = 0;
            while (!deflater.finished() && n < limit) {
                n += deflater.deflate(out, n, limit - n);
            }
            return deflater.finished() ? n : -1;
        } finally {
            deflater.end();
        }
    }

    private static byte[] scratch(int length) {
        byte[] buffer = SCRATCH.get();
        if (buffer.length < length) {
            buffer = new byte[length];
            SCRATCH.set(buffer);
        }
        return buffer;
    }
}
