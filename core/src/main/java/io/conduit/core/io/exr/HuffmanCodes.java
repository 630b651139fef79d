package io.conduit.core.io.exr;

/**
 * What PIZ's 16-bit Huffman encoder and decoder share. The stream is: five little-endian uint32
 * (smallest symbol, run-code symbol, table length, data length in bits, 0), the code lengths
 * packed 6 bits each with runs of zero lengths shortened, then the codes, MSB first. The run-code
 * symbol (largest value + 1) is followed by 8 bits saying how many more times the previous value
 * repeats. Codes are canonical, assigned from the lengths alone exactly as OpenEXR does, so only
 * lengths travel. A code is kept in a long as {@code code << 6 | length}.
 */
final class HuffmanCodes {
    static final int ENC_SIZE = (1 << 16) + 1;
    static final int MAX_CODE_LENGTH = 58;
    static final int SHORT_ZEROCODE_RUN = 59;
    static final int LONG_ZEROCODE_RUN = 63;
    static final int SHORTEST_LONG_RUN = 2 + LONG_ZEROCODE_RUN - SHORT_ZEROCODE_RUN;
    static final int LONGEST_LONG_RUN = 255 + SHORTEST_LONG_RUN;

    private HuffmanCodes() {
    }

    /** Turns lengths into canonical codes, stored as {@code code << 6 | length}. */
    static void canonicalCodes(long[] codes) {
        canonicalCodes(codes, 0, codes.length - 1);
    }

    /** As above, for an array whose lengths outside {@code from..to} are all zero (only those are visited). */
    static void canonicalCodes(long[] codes, int from, int to) {
        long[] n = new long[MAX_CODE_LENGTH + 1];
        for (int i = from; i <= to; i++) {
            n[(int) codes[i]]++;
        }
        long c = 0;
        for (int i = MAX_CODE_LENGTH; i > 0; i--) {
            long next = (c + n[i]) >> 1;
            n[i] = c;
            c = next;
        }
        for (int i = from; i <= to; i++) {
            int l = (int) codes[i];
            if (l > 0) {
                codes[i] = l | (n[l]++ << 6);
            }
        }
    }

    static int codeLength(long code) {
        return (int) (code & 63);
    }

    static long codeBits(long code) {
        return code >>> 6;
    }
}
