package io.conduit.core.io.exr;

import java.io.ByteArrayOutputStream;

/**
 * OpenEXR's RLE compression: {@link ByteReorder} then byte runs. A signed count byte {@code n}
 * means "repeat the next byte n+1 times" when n >= 0, and "copy the next -n bytes" when negative.
 */
final class RleCodec implements ChunkCodec {
    private static final int MIN_RUN = 3;
    private static final int MAX_RUN = 127;

    @Override
    public void decompress(byte[] in, int inLength, byte[] out, int outLength, Block block) {
        byte[] reordered = new byte[outLength];
        int ip = 0;
        int op = 0;
        while (ip < inLength) {
            int count = in[ip++];
            if (count < 0) {
                count = -count;
                if (ip + count > inLength || op + count > outLength) {
                    throw new ChunkDataException("RLE data overrun: a literal run of " + count + " bytes does not fit");
                }
                System.arraycopy(in, ip, reordered, op, count);
                ip += count;
                op += count;
            } else {
                if (ip >= inLength || op + count + 1 > outLength) {
                    throw new ChunkDataException("RLE data overrun: a repeat of " + (count + 1) + " bytes does not fit");
                }
                java.util.Arrays.fill(reordered, op, op + count + 1, in[ip++]);
                op += count + 1;
            }
        }
        if (op != outLength) {
            throw new ChunkDataException("RLE data decode to " + op + " bytes; expected " + outLength);
        }
        ByteReorder.decode(reordered, out, outLength);
    }

    @Override
    public byte[] compress(byte[] raw, int rawLength, Block block) {
        byte[] in = ByteReorder.encode(raw, rawLength);
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawLength / 2 + 16);
        int runStart = 0;
        while (runStart < rawLength) {
            int runEnd = runStart + 1;
            while (runEnd < rawLength && in[runEnd] == in[runStart] && runEnd - runStart - 1 < MAX_RUN) {
                runEnd++;
            }
            if (runEnd - runStart >= MIN_RUN) {
                out.write(runEnd - runStart - 1);
                out.write(in[runStart]);
                runStart = runEnd;
            } else {
                // A literal stretch lasts until the next run of three equal bytes begins.
                runEnd = runStart;
                while (runEnd < rawLength && runEnd - runStart < MAX_RUN
                        && !(runEnd + 2 < rawLength && in[runEnd] == in[runEnd + 1] && in[runEnd] == in[runEnd + 2])) {
                    runEnd++;
                }
                if (runEnd == runStart) {
                    runEnd++;
                }
                out.write(-(runEnd - runStart));
                out.write(in, runStart, runEnd - runStart);
                runStart = runEnd;
            }
        }
        return out.toByteArray();
    }
}
