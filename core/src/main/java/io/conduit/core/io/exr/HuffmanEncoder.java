package io.conduit.core.io.exr;

import static io.conduit.core.io.exr.HuffmanCodes.ENC_SIZE;
import static io.conduit.core.io.exr.HuffmanCodes.LONGEST_LONG_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.LONG_ZEROCODE_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.MAX_CODE_LENGTH;
import static io.conduit.core.io.exr.HuffmanCodes.SHORTEST_LONG_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.SHORT_ZEROCODE_RUN;
import static io.conduit.core.io.exr.HuffmanCodes.canonicalCodes;
import static io.conduit.core.io.exr.HuffmanCodes.codeBits;
import static io.conduit.core.io.exr.HuffmanCodes.codeLength;

import java.util.Arrays;

/** Encodes 16-bit values as PIZ's Huffman stream ({@link HuffmanCodes} describes it). */
final class HuffmanEncoder {
    private HuffmanEncoder() {
    }

    /** Encodes {@code values} in the format {@link HuffmanDecoder#decode} reads. */
    static byte[] encode(short[] values) {
        if (values.length == 0) {
            return new byte[0];
        }
        Scratch scratch = SCRATCH.get();
        long[] frequencies = scratch.frequencies;
        for (short v : values) {
            frequencies[v & 0xffff]++;
        }
        int im = 0;
        while (frequencies[im] == 0) {
            im++;
        }
        int iM = 0;
        for (int i = ENC_SIZE - 2; i >= 0; i--) {
            if (frequencies[i] != 0) {
                iM = i;
                break;
            }
        }
        int runCode = iM + 1;
        frequencies[runCode] = 1;
        try {
            return encode(values, frequencies, im, runCode, scratch);
        } finally {
            // Only symbols im..runCode were counted or given lengths: clearing them leaves the scratch all zeros
            // again, whether this chunk was encoded or refused.
            Arrays.fill(frequencies, im, runCode + 1, 0);
            Arrays.fill(scratch.lengths, im, runCode + 1, 0);
        }
    }

    private static byte[] encode(short[] values, long[] frequencies, int im, int runCode, Scratch scratch) {
        long[] codes = codeLengths(frequencies, im, runCode, scratch);
        canonicalCodes(codes, im, runCode);

        BitWriter out = new BitWriter(20 + values.length * 2);
        out.zeros(20);
        packTable(codes, im, runCode, out);
        out.padToByte();
        int tableLength = out.size() - 20;
        int dataStart = out.size();
        int s = values[0] & 0xffff;
        int repeats = 0;
        for (int i = 1; i < values.length; i++) {
            int v = values[i] & 0xffff;
            if (v == s && repeats < 255) {
                repeats++;
            } else {
                sendRun(codes, s, repeats, runCode, out);
                repeats = 0;
            }
            s = v;
        }
        sendRun(codes, s, repeats, runCode, out);
        long nBits = (long) (out.size() - dataStart) * 8 + out.pendingBits();
        out.padToByte();
        byte[] bytes = out.toByteArray();
        putUint(bytes, 0, im);
        putUint(bytes, 4, runCode);
        putUint(bytes, 8, tableLength);
        putUint(bytes, 12, (int) nBits);
        return bytes;
    }

    /**
     * Per-thread arrays over every symbol: a 2K plate's frame is 34 PIZ chunks, and allocating (and zeroing) these
     * 2.5 MB for each chunk cost more than the range of symbols a chunk actually uses. Frequencies and lengths are
     * all zero between calls.
     */
    private static final class Scratch {
        final long[] frequencies = new long[ENC_SIZE];
        final long[] weight = new long[ENC_SIZE];
        final long[] lengths = new long[ENC_SIZE];
        final int[] next = new int[ENC_SIZE];
        final int[] tail = new int[ENC_SIZE];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A value followed by {@code repeats} copies: explicitly, or as value + run code + count when shorter. */
    private static void sendRun(long[] codes, int symbol, int repeats, int runCode, BitWriter out) {
        long code = codes[symbol];
        long run = codes[runCode];
        if (codeLength(code) + codeLength(run) + 8 < codeLength(code) * repeats) {
            out.code(code);
            out.code(run);
            out.bits(8, repeats);
        } else {
            for (int i = 0; i <= repeats; i++) {
                out.code(code);
            }
        }
    }

    /**
     * Huffman code lengths for symbols {@code im..iM}, in the scratch's all-zero lengths array. Each merge of two
     * subtrees lengthens every code in both by one bit; subtrees are kept as linked lists of their symbols so that
     * is cheap.
     */
    private static long[] codeLengths(long[] frequencies, int im, int iM, Scratch scratch) {
        int[] next = scratch.next;
        int[] tail = scratch.tail;
        long[] weight = scratch.weight;
        PackedHeap heap = new PackedHeap(iM - im + 1);
        for (int i = im; i <= iM; i++) {
            next[i] = -1;
            tail[i] = i;
            weight[i] = frequencies[i];
            if (weight[i] != 0) {
                heap.add(weight[i], i);
            }
        }
        long[] lengths = scratch.lengths;
        while (heap.size() > 1) {
            int a = heap.pollSymbol();
            int b = heap.pollSymbol();
            for (int j = a; j != -1; j = next[j]) {
                lengths[j]++;
            }
            for (int j = b; j != -1; j = next[j]) {
                lengths[j]++;
            }
            next[tail[b]] = a;
            tail[b] = tail[a];
            weight[b] += weight[a];
            heap.add(weight[b], b);
        }
        for (int i = im; i <= iM; i++) {
            if (lengths[i] > MAX_CODE_LENGTH) {
                throw new IllegalStateException("Huffman code longer than " + MAX_CODE_LENGTH + " bits");
            }
        }
        return lengths;
    }

    private static void packTable(long[] codes, int im, int iM, BitWriter out) {
        for (int i = im; i <= iM; i++) {
            int l = codeLength(codes[i]);
            if (l == 0) {
                int run = 1;
                while (i < iM && run < LONGEST_LONG_RUN && codeLength(codes[i + 1]) == 0) {
                    i++;
                    run++;
                }
                if (run >= SHORTEST_LONG_RUN) {
                    out.bits(6, LONG_ZEROCODE_RUN);
                    out.bits(8, run - SHORTEST_LONG_RUN);
                    continue;
                }
                if (run >= 2) {
                    out.bits(6, SHORT_ZEROCODE_RUN + run - 2);
                    continue;
                }
            }
            out.bits(6, l);
        }
    }

    private static void putUint(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
        b[at + 3] = (byte) (value >>> 24);
    }

    /**
     * Bits packed most significant first into a growing byte array. Not a {@code ByteArrayOutputStream}: its
     * {@code write(int)} is synchronized, and taking that lock for every output byte was a quarter of a
     * 2K plate's PIZ encoding time.
     */
    private static final class BitWriter {
        private byte[] bytes;
        private int size;
        private long c;
        private int lc;

        BitWriter(int expectedBytes) {
            bytes = new byte[Math.max(64, expectedBytes)];
        }

        void code(long code) {
            bits(codeLength(code), codeBits(code));
        }

        void bits(int n, long value) {
            c = (c << n) | value;
            lc += n;
            while (lc >= 8) {
                lc -= 8;
                put((byte) (c >>> lc));
            }
        }

        void zeros(int count) {
            for (int i = 0; i < count; i++) {
                put((byte) 0);
            }
        }

        private void put(byte b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }

        int size() {
            return size;
        }

        int pendingBits() {
            return lc;
        }

        void padToByte() {
            if (lc > 0) {
                put((byte) (c << (8 - lc)));
                lc = 0;
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /**
     * A min-heap of (weight, symbol) pairs packed into one long each, weight above the symbol's 17 bits, so the
     * order is by weight and then by symbol, as OpenEXR breaks ties. A {@code PriorityQueue} of boxed pairs did
     * the same with an object and a comparator call per step, and its inlined code was the costliest method the
     * JIT compiled in a 10-frame batch (about 0.45 s of compiler time).
     */
    private static final class PackedHeap {
        private static final int SYMBOL_BITS = 17;
        private static final long MAX_WEIGHT = Long.MAX_VALUE >>> SYMBOL_BITS;
        private final long[] keys;
        private int size;

        PackedHeap(int capacity) {
            keys = new long[Math.max(1, capacity)];
        }

        int size() {
            return size;
        }

        void add(long weight, int symbol) {
            if (weight > MAX_WEIGHT) {
                throw new IllegalStateException("Huffman weight " + weight + " exceeds " + MAX_WEIGHT);
            }
            long key = (weight << SYMBOL_BITS) | symbol;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                i = parent;
            }
            keys[i] = key;
        }

        int pollSymbol() {
            long top = keys[0];
            long last = keys[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && keys[child + 1] < keys[child]) {
                    child++;
                }
                if (last <= keys[child]) {
                    break;
                }
                keys[i] = keys[child];
                i = child;
            }
            if (size > 0) {
                keys[i] = last;
            }
            return (int) (top & ((1L << SYMBOL_BITS) - 1));
        }
    }
}
