package io.conduit.core.io;

/**
 * The sRGB transfer curve (IEC 61966-2-1) between scene-linear values and sRGB-encoded ones. Values
 * outside [0, 1], which scene-linear EXR plates hold (highlights above one, negative values from
 * grading), go through the curve mirrored about zero and extended past one, so every float has an
 * encoding and decoding gives it back.
 */
final class SrgbCurve {
    private static final PowerTable ENCODE_POWER = new PowerTable(1 / 2.4);
    private static final PowerTable DECODE_POWER = new PowerTable(2.4);

    private SrgbCurve() {
    }

    static double encode(double linear) {
        double a = Math.abs(linear);
        double encoded = a <= 0.0031308 ? a * 12.92 : 1.055 * ENCODE_POWER.pow(a) - 0.055;
        return Math.copySign(encoded, linear);
    }

    static double decode(double encoded) {
        double a = Math.abs(encoded);
        double linear = a <= 0.04045 ? a / 12.92 : DECODE_POWER.pow((a + 0.055) / 1.055);
        return Math.copySign(linear, encoded);
    }

    /**
     * {@link #decode} for a value that will be rounded to HALF next: within 4e-7 of it (relative), where HALF's
     * own steps are 1e-3, so at most a value sitting on a HALF rounding boundary can land one step away. From a
     * table of the curve over [1/16, 256) (every float exponent there, 2,048 steps each, interpolated linearly in
     * float), which is several times cheaper than the double path; other values take the double path.
     */
    static float decodeForHalf(float encoded) {
        int bits = Float.floatToRawIntBits(encoded);
        // The sign bit stays above the exponent, so negative values (and NaN, infinities) fall outside the bands.
        int band = (bits >>> 23) - 127 - HALF_TABLE_LOWEST_EXPONENT;
        if (band < 0 || band >= HALF_TABLE_BANDS) {
            return (float) decode(encoded);
        }
        int at = band * (HALF_TABLE_STEPS + 1) + ((bits >>> 12) & (HALF_TABLE_STEPS - 1));
        float low = HALF_TABLE[at];
        return low + (HALF_TABLE[at + 1] - low) * ((bits & 0xfff) * 0x1p-12f);
    }

    private static final int HALF_TABLE_LOWEST_EXPONENT = -4;
    private static final int HALF_TABLE_BANDS = 12;
    private static final int HALF_TABLE_STEPS = 1 << 11;
    private static final float[] HALF_TABLE = halfTable();

    /** The curve at 2^e * (1 + j / 2048) for every band e and step j, both ends of each band included. */
    private static float[] halfTable() {
        float[] table = new float[HALF_TABLE_BANDS * (HALF_TABLE_STEPS + 1)];
        for (int band = 0; band < HALF_TABLE_BANDS; band++) {
            double base = Math.scalb(1.0, band + HALF_TABLE_LOWEST_EXPONENT);
            for (int j = 0; j <= HALF_TABLE_STEPS; j++) {
                double a = base * (1 + (double) j / HALF_TABLE_STEPS);
                table[band * (HALF_TABLE_STEPS + 1) + j] = (float) Math.pow((a + 0.055) / 1.055, 2.4);
            }
        }
        return table;
    }
}
