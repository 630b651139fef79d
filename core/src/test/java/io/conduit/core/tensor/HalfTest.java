package io.conduit.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfTest {
    @Test
    void convertsKnownBitPatterns() {
        assertEquals((short) 0x3c00, Half.fromFloat(1.0f));
        assertEquals((short) 0xc000, Half.fromFloat(-2.0f));
        assertEquals((short) 0x7bff, Half.fromFloat(65504f));
        assertEquals((short) 0x7c00, Half.fromFloat(1e6f));
        assertEquals((short) 0x0001, Half.fromFloat(5.9604645e-8f));
        assertEquals(0.333251953125f, Half.toFloat(Half.fromFloat(1f / 3f)));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
    }

    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = Half.toFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, Half.fromFloat(value), "bits " + Integer.toHexString(bits));
            }
        }
    }

    /** Round to nearest even as the IEEE rule says it, with branches: the reference for the branchless code. */
    private static int roundedReference(float value) {
        int f = Float.floatToRawIntBits(value);
        int exponent = ((f >>> 23) & 0xff) - 127;
        int mantissa = f & 0x7fffff;
        int half = ((exponent + 15) << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return ((f >>> 16) & 0x8000) | half;
    }

    @Test
    void normalValuesRoundToNearestEvenAtEveryTieAndAroundIt() {
        // Each normal half's neighbourhood: the halfway point to the next half, one float ulp either side,
        // and a spread of values between, for both signs; plus every 4099th float of the normal range.
        for (int bits = 0x0400; bits < 0x7c00; bits++) {
            int low = Float.floatToRawIntBits(Half.toFloat((short) bits));
            for (int offset : new int[]{0, 1, 0x0fff, 0x1000 - 1, 0x1000, 0x1000 + 1, 0x1800, 0x1fff}) {
                for (int sign : new int[]{0, 0x80000000}) {
                    float value = Float.intBitsToFloat((low + offset) | sign);
                    assertEquals((short) roundedReference(value), Half.fromFloat(value), "float " + value);
                }
            }
        }
        for (long f = 0x38800000L; f < 0x477ff000L; f += 4099) {
            float value = Float.intBitsToFloat((int) f);
            assertEquals((short) roundedReference(value), Half.fromFloat(value), "float " + value);
        }
        assertEquals((short) 0x7c00, Half.fromFloat(65520f), "the tie above 65504 rounds up to infinity");
        assertEquals((short) 0x7bff, Half.fromFloat(65519.996f));
    }
}
