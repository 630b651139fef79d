package io.conduit.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The table-driven sRGB curve against the formula with {@link Math#pow} it replaced. */
class SrgbCurveTest {
    private static final double TOLERANCE = 1e-6;

    private static double encodeByPow(double linear) {
        double a = Math.abs(linear);
        double encoded = a <= 0.0031308 ? a * 12.92 : 1.055 * Math.pow(a, 1 / 2.4) - 0.055;
        return Math.copySign(encoded, linear);
    }

    private static double decodeByPow(double encoded) {
        double a = Math.abs(encoded);
        double linear = a <= 0.04045 ? a / 12.92 : Math.pow((a + 0.055) / 1.055, 2.4);
        return Math.copySign(linear, encoded);
    }

    /** The larger relative error of encode and decode at {@code x}; both must keep the sign and zeros exact. */
    private static double error(double x) {
        return Math.max(relative(SrgbCurve.encode(x), encodeByPow(x)), relative(SrgbCurve.decode(x), decodeByPow(x)));
    }

    private static double relative(double got, double expected) {
        if (expected == 0 || Double.isNaN(expected) || Double.isInfinite(expected)) {
            return got == expected || Double.isNaN(got) && Double.isNaN(expected) ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - expected) / Math.abs(expected);
    }

    @Test
    void everyFloatStepInZeroToOneIsWithinOneMillionth() {
        double worst = 0;
        float worstAt = 0;
        // Every 61st float in [0, 1]: 17 million values, every exponent and about 30 per table step.
        for (int bits = 0; bits <= Float.floatToRawIntBits(1f); bits += 61) {
            float x = Float.intBitsToFloat(bits);
            double e = Math.max(error(x), error(-x));
            if (e > worst) {
                worst = e;
                worstAt = x;
            }
        }
        assertTrue(worst <= TOLERANCE, "relative error " + worst + " at " + worstAt);
    }

    @Test
    void edgesAndValuesOutsideZeroToOneFollowTheUnclampedFormula() {
        double[] edges = {0, 0.0031308, Math.nextUp(0.0031308), Math.nextDown(0.0031308), 0.04045,
            Math.nextUp(0.04045), Math.nextDown(0.04045), 1, Math.nextDown(1.0), Math.nextUp(1.0), 0.5, 0.18,
            1.5, 2, 4.75, 16, 100, 65504, 1e10, 1e-30, Float.MIN_VALUE, Double.MIN_VALUE, Float.MAX_VALUE};
        for (double x : edges) {
            assertTrue(error(x) <= TOLERANCE, "relative error " + error(x) + " at " + x);
            assertTrue(error(-x) <= TOLERANCE, "relative error " + error(-x) + " at " + -x);
            assertTrue(error((float) x) <= TOLERANCE, "relative error " + error((float) x) + " at float " + x);
        }
        assertEquals(1.0, SrgbCurve.encode(1.0), 1e-15);
        assertEquals(1.0, SrgbCurve.decode(1.0), 1e-15);
        assertEquals(-0.0, SrgbCurve.encode(-0.0));
        assertEquals(Double.POSITIVE_INFINITY, SrgbCurve.encode(Double.POSITIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, SrgbCurve.decode(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(SrgbCurve.encode(Double.NaN)) && Double.isNaN(SrgbCurve.decode(Double.NaN)));
        // Scene-linear highlights and negative grades: a float sweep over [1, 1e4] both signs.
        for (float x = 1f; x < 1e4f; x = Math.nextUp(x * 1.0001f)) {
            assertTrue(error(x) <= TOLERANCE && error(-x) <= TOLERANCE, "relative error at " + x);
        }
    }

    @Test
    void decodingAnEncodingGivesTheValueBack() {
        for (float x = -8f; x <= 8f; x += 0.0009765625f) {
            assertEquals(x, SrgbCurve.decode(SrgbCurve.encode(x)), Math.abs(x) * 1e-6 + 1e-12, "at " + x);
        }
    }

    @Test
    void theDecodeForHalfOutputsIsWithinFourTenMillionthsAndRoundsToTheSameHalfAlmostAlways() {
        double worst = 0;
        float worstAt = 0;
        long values = 0;
        long differentHalf = 0;
        // Every 61st float of [1/16, 256), the table's range: about 200,000 values, every step of every band.
        for (int bits = Float.floatToRawIntBits(0.0625f); bits < Float.floatToRawIntBits(256f); bits += 61) {
            float x = Float.intBitsToFloat(bits);
            double exact = decodeByPow(x);
            float fast = SrgbCurve.decodeForHalf(x);
            double e = relative(fast, exact);
            if (e > worst) {
                worst = e;
                worstAt = x;
            }
            short expectedHalf = io.conduit.core.tensor.Half.fromFloat((float) exact);
            short gotHalf = io.conduit.core.tensor.Half.fromFloat(fast);
            if (gotHalf != expectedHalf) {
                differentHalf++;
                assertEquals(1, Math.abs(gotHalf - expectedHalf), "more than one HALF step apart at " + x);
            }
            values++;
        }
        assertTrue(worst <= 4e-7, "relative error " + worst + " at " + worstAt);
        assertTrue(differentHalf * 1000 <= values, differentHalf + " of " + values + " values round to another HALF");
        assertEquals(1f, SrgbCurve.decodeForHalf(1f), 0f, "white stays white");
        // Outside the table: the double path, sign and all.
        for (float x : new float[]{0f, -0f, 0.01f, 0.05f, -0.5f, -3f, 300f, 1e6f, Float.MAX_VALUE, Float.MIN_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertEquals((float) SrgbCurve.decode(x), SrgbCurve.decodeForHalf(x), 0f, "at " + x);
        }
        assertTrue(Float.isNaN(SrgbCurve.decodeForHalf(Float.NaN)));
    }
}
