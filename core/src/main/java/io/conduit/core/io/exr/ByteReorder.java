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
        int pairs = length / 2;
        // Pairs without a branch per byte; an odd length leaves one even byte.
        for (int j = 0; j < pairs; j++) {
            out[j] = raw[2 * j];
            out[half + j] = raw[2 * j + 1];
        }
        if (half > pairs) {
            out[pairs] = raw[length - 1];
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
        int previous = length == 0 ? 0 : in[0];
        for (int i = 1; i < length; i++) {
            previous = (byte) (previous + in[i] - 128);
            in[i] = (byte) previous;
        }
        int half = (length + 1) / 2;
        int pairs = length / 2;
        for (int j = 0; j < pairs; j++) {
            out[2 * j] = in[j];
            out[2 * j + 1] = in[half + j];
        }
        if (half > pairs) {
            out[length - 1] = in[pairs];
        }
    }
}
