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
}
