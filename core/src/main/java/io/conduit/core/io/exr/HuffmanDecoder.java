package io.conduit.core.io.exr;

import static io.conduit.core.io.exr.HuffmanCodes.ENC_SIZE;
import static io.conduit.core.io.exr.HuffmanCodes.LONG_ZEROCODE_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.SHORTEST_LONG_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.SHORT_ZEROCODE_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.canonicalCodes;
import static io.conduit.core.io.exr.HuffmanCodes.codeBits;
import static io.conduit.core.io.exr.HuffmanCodes.codeLength;

import java.util.Arrays;

/**
 * Decodes PIZ's Huffman stream ({@link HuffmanCodes} describes it). Every length, code and output
 * position is checked against its bounds, because these bytes come from a file that may be
 * damaged or hostile; codes of up to 14 bits resolve with one table lookup.
 */
final class HuffmanDecoder {
    private static final int DEC_BITS = 14;
    private static final int DEC_SIZE = 1 << DEC_BITS;
    private static final int DEC_MASK = DEC_SIZE - 1;

    private HuffmanDecoder() {
    }

    /** Decodes {@code length} bytes of {@code in} from {@code offset} into exactly {@code out.length} values. */
    static void decode(byte[] in, int offset, int length, short[] out) {
        if (length == 0) {
            if (out.length != 0) {
                throw new ChunkDataException("PIZ Huffman data are empty; expected " + out.length + " values");
            }
            return;
        }
        if (length < 20) {
            throw new ChunkDataException("PIZ Huffman data hold " + length + " bytes, less than their 20-byte header");
        }
        int end = offset + length;
        long im = uint(in, offset);
        long iM = uint(in, offset + 4);
        long nBits = uint(in, offset + 12);
        if (im >= ENC_SIZE || iM >= ENC_SIZE || im > iM) {
            throw new ChunkDataException("PIZ Huffman table covers symbols " + im + " to " + iM + "; expected 0 to 65536");
        }
        BitReader table = new BitReader(in, offset + 20, end);
        long[] codes = unpackTable(table, (int) im, (int) iM);
        int dataStart = table.position();
        if (nBits > Integer.MAX_VALUE - 7 || (nBits + 7) / 8 > end - dataStart) {
            throw new ChunkDataException("PIZ Huffman data declare " + nBits + " bits but hold only "
                    + (end - dataStart) + " bytes");
        }
        DecodeTable decodeTable = new DecodeTable(codes, (int) im, (int) iM);
        decodeTable.decode(in, dataStart, (int) nBits, (int) iM, out);
    }

    private static long[] unpackTable(BitReader in, int im, int iM) {
        long[] codes = new long[ENC_SIZE];
        for (int i = im; i <= iM; i++) {
            int l = (int) in.bits(6);
            if (l == LONG_ZEROCODE_RUN || l >= SHORT_ZEROCODE_RUN) {
                int run = l == LONG_ZEROCODE_RUN ? (int) in.bits(8) + SHORTEST_LONG_RUN : l - SHORT_ZEROCODE_RUN + 2;
                if (i + run > iM + 1) {
                    throw new ChunkDataException("PIZ Huffman table runs past its last symbol");
                }
                i += run - 1; // codes[] is already zero there
            } else {
                codes[i] = l;
            }
        }
        canonicalCodes(codes);
        return codes;
    }

    private static long uint(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    /** MSB-first bit reader over a bounded range, for the code-length table. */
    private static final class BitReader {
        private final byte[] in;
        private int position;
        private final int end;
        private long c;
        private int lc;

        BitReader(byte[] in, int position, int end) {
            this.in = in;
            this.position = position;
            this.end = end;
        }

        long bits(int n) {
            while (lc < n) {
                if (position >= end) {
                    throw new ChunkDataException("PIZ Huffman table ends early");
                }
                c = (c << 8) | (in[position++] & 0xff);
                lc += 8;
            }
            lc -= n;
            return (c >> lc) & ((1L << n) - 1);
        }

        int position() {
            return position;
        }
    }

    /**
     * Codes of up to 14 bits resolve with one lookup; longer ones are listed under their first 14
     * bits and tried in turn, as in OpenEXR (they are rare).
     */
    private static final class DecodeTable {
        private final long[] codes;
        private final int[] length = new int[DEC_SIZE];
        private final int[] symbol = new int[DEC_SIZE];
        private final int[][] longCodes = new int[DEC_SIZE][];

        DecodeTable(long[] codes, int im, int iM) {
            this.codes = codes;
            for (int i = im; i <= iM; i++) {
                long code = codeBits(codes[i]);
                int l = codeLength(codes[i]);
                if (l == 0) {
                    continue;
                }
                if (code >>> l != 0) {
                    throw new ChunkDataException("PIZ Huffman table is invalid (over-subscribed code lengths)");
                }
                if (l > DEC_BITS) {
                    int slot = (int) (code >>> (l - DEC_BITS));
                    if (length[slot] != 0) {
                        throw new ChunkDataException("PIZ Huffman table is invalid (a long code shadows a short one)");
                    }
                    int[] list = longCodes[slot];
                    list = list == null ? new int[1] : Arrays.copyOf(list, list.length + 1);
                    list[list.length - 1] = i;
                    longCodes[slot] = list;
                } else {
                    int first = (int) (code << (DEC_BITS - l));
                    int count = 1 << (DEC_BITS - l);
                    for (int slot = first; slot < first + count; slot++) {
                        if (length[slot] != 0 || longCodes[slot] != null) {
                            throw new ChunkDataException("PIZ Huffman table is invalid (two codes share a prefix)");
                        }
                        length[slot] = l;
                        symbol[slot] = i;
                    }
                }
            }
        }

        void decode(byte[] in, int start, int nBits, int runCode, short[] out) {
            long c = 0;
            int lc = 0;
            int ip = start;
            int ie = start + (int) ((nBits + 7L) / 8);
            Output o = new Output(out);
            while (ip < ie) {
                c = (c << 8) | (in[ip++] & 0xff);
                lc += 8;
                while (lc >= DEC_BITS) {
                    int slot = (int) ((c >> (lc - DEC_BITS)) & DEC_MASK);
                    if (length[slot] != 0) {
                        lc -= length[slot];
                        if (symbol[slot] == runCode) {
                            if (lc < 8) {
                                if (ip >= ie) {
                                    throw new ChunkDataException("PIZ Huffman data end inside a run count");
                                }
                                c = (c << 8) | (in[ip++] & 0xff);
                                lc += 8;
                            }
                            lc -= 8;
                            o.repeat((int) ((c >> lc) & 0xff));
                        } else {
                            o.put(symbol[slot]);
                        }
                        continue;
                    }
                    int[] candidates = longCodes[slot];
                    if (candidates == null) {
                        throw new ChunkDataException("PIZ Huffman data hold an invalid code");
                    }
                    boolean found = false;
                    for (int s : candidates) {
                        int l = codeLength(codes[s]);
                        while (lc < l && ip < ie) {
                            c = (c << 8) | (in[ip++] & 0xff);
                            lc += 8;
                        }
                        if (lc >= l && codeBits(codes[s]) == ((c >> (lc - l)) & ((1L << l) - 1))) {
                            lc -= l;
                            if (s == runCode) {
                                if (lc < 8) {
                                    if (ip >= ie) {
                                        throw new ChunkDataException("PIZ Huffman data end inside a run count");
                                    }
                                    c = (c << 8) | (in[ip++] & 0xff);
                                    lc += 8;
                                }
                                lc -= 8;
                                o.repeat((int) ((c >> lc) & 0xff));
                            } else {
                                o.put(s);
                            }
                            found = true;
                            break;
                        }
                    }
                    if (!found) {
                        throw new ChunkDataException("PIZ Huffman data hold an invalid long code");
                    }
                }
            }
            // The last byte is padded with zero bits; drop them, then decode what is left with short codes.
            int padding = (8 - nBits) & 7;
            c >>= padding;
            lc -= padding;
            while (lc > 0) {
                int slot = (int) ((c << (DEC_BITS - lc)) & DEC_MASK);
                int l = length[slot];
                if (l == 0 || l > lc) {
                    throw new ChunkDataException("PIZ Huffman data end with an invalid code");
                }
                lc -= l;
                if (symbol[slot] == runCode) {
                    if (lc < 8) {
                        throw new ChunkDataException("PIZ Huffman data end inside a run count");
                    }
                    lc -= 8;
                    o.repeat((int) ((c >> lc) & 0xff));
                } else {
                    o.put(symbol[slot]);
                }
            }
            if (o.count != out.length) {
                throw new ChunkDataException("PIZ Huffman data decode to " + o.count + " values; expected " + out.length);
            }
        }
    }

    /** Where decoded values go, refusing to run past the expected count. */
    private static final class Output {
        private final short[] out;
        private int count;

        Output(short[] out) {
            this.out = out;
        }

        void put(int value) {
            if (count >= out.length) {
                throw new ChunkDataException("PIZ Huffman data decode to more than the expected " + out.length + " values");
            }
            out[count++] = (short) value;
        }

        void repeat(int times) {
            if (count == 0) {
                throw new ChunkDataException("PIZ Huffman data start with a run code");
            }
            if (count + times > out.length) {
                throw new ChunkDataException("PIZ Huffman data decode to more than the expected " + out.length + " values");
            }
            Arrays.fill(out, count, count + times, out[count - 1]);
            count += times;
        }
    }
}
