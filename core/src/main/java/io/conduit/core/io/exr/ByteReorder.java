package io.conduit.core.io.exr;

/**
 * The preprocessing ZIP and RLE share: split bytes into even and odd halves (so the high and low
 * bytes of 16-bit samples group together) and store each byte as the difference from the one
 * before, plus 128. Smooth images turn into long runs of bytes near 128, which compress well.
 */
final class ByteReorder {
    private ByteReorder() {
    }

    static byte[] encode(byte[] raw, int length) {
        byte[] out = new byte[length];
        encode(raw, length, out);
        return out;
    }

    /** Encodes the first {@code length} bytes of {@code raw} into the start of {@code out}. */
    static void encode(byte[] raw, int length, byte[] out) {
        int half = (length + 1) / 2;
        for (int i = 0, even = 0, odd = half; i < length; i++) {
            if ((i & 1) == 0) {
                out[even++] = raw[i];
            } else {
                out[odd++] = raw[i];
            }
        }
        int previous = length == 0 ? 0 : out[0];
        for (int i = 1; i < length; i++) {
            int current = out[i];
            out[i] = (byte) (current - previous + 128);
            previous = current;
        }
    }

    /** Undoes {@link #encode} from {@code in} into {@code out}; {@code in} is overwritten. */
    static void decode(byte[] in, byte[] out, int length) {
        for (int i = 1; i < length; i++) {
            in[i] = (byte) (in[i - 1] + in[i] - 128);
        }
        int half = (length + 1) / 2;
        for (int i = 0, even = 0, odd = half; i < length; i++) {
            out[i] = (i & 1) == 0 ? in[even++] : in[odd++];
        }
    }
}
