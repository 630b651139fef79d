package io.conduit.core.io.exr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ZIP's byte reordering and predictor against the rule written out byte by byte, for even and odd lengths. */
class ByteReorderTest {
    /** OpenEXR's rule, one byte at a time: even-indexed bytes first, then odd, then each as a difference + 128. */
    private static byte[] reference(byte[] raw, int length) {
        byte[] out = new byte[length];
        int half = (length + 1) / 2;
        for (int i = 0; i < length; i++) {
            out[(i & 1) == 0 ? i / 2 : half + i / 2] = raw[i];
        }
        for (int i = length - 1; i > 0; i--) {
            out[i] = (byte) (out[i] - out[i - 1] + 128);
        }
        return out;
    }

    @Test
    void encodingMatchesTheRuleAndDecodingUndoesIt() {
        Random random = new Random(17);
        for (int length : new int[]{0, 1, 2, 3, 8, 9, 1000, 4097}) {
            byte[] raw = new byte[length + 5]; // longer than length: only the first length bytes count
            random.nextBytes(raw);
            byte[] encoded = new byte[length + 5];
            ByteReorder.encode(raw, length, encoded);
            assertArrayEquals(reference(raw, length), Arrays.copyOf(encoded, length), "length " + length);
            byte[] decoded = new byte[length];
            ByteReorder.decode(encoded, decoded, length);
            assertArrayEquals(Arrays.copyOf(raw, length), decoded, "length " + length);
        }
    }
}
