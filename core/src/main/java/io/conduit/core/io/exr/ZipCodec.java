package io.conduit.core.io.exr;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * OpenEXR's ZIP and ZIPS compressions (they differ only in lines per chunk): {@link ByteReorder},
 * then zlib. Decoding stops at the expected size, so data that would inflate to more are refused
 * without growing any buffer.
 */
final class ZipCodec implements ChunkCodec {
    @Override
    public void decompress(byte[] in, int inLength, byte[] out, int outLength, Block block) {
        byte[] reordered = new byte[outLength];
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
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(ByteReorder.encode(raw, rawLength));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(rawLength / 2 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
