package io.conduit.core.io;

/**
 * {@code x^p} for one fixed exponent, from tables instead of {@link Math#pow}, which costs tens of
 * nanoseconds and was most of the colour work on a plate (a 2K RGB frame is 6.6 million values each
 * way). A positive double is {@code m * 2^e} with {@code m} in [1, 2), so {@code x^p = m^p * 2^(e*p)}:
 * one table holds {@code 2^(e*p)} for every exponent and another {@code m^p} at 4,096 steps of {@code m},
 * between which it interpolates linearly. The relative error of that interpolation is at most
 * {@code |p(p-1)| / 8 * 2^-24}, about 2e-8 for the sRGB exponents 2.4 and 1/2.4 (below a float's
 * rounding); zero, subnormal, infinite and NaN arguments go to {@link Math#pow}, so every input gets
 * the same answer as before to within that error.
 */
final class PowerTable {
    private static final int STEP_BITS = 12;
    private static final int FRACTION_BITS = 52 - STEP_BITS;
    private static final double FRACTION_SCALE = 1.0 / (1L << FRACTION_BITS);
    private static final long FRACTION_MASK = (1L << FRACTION_BITS) - 1;
    private static final int EXPONENT_BIAS = 1023;

    private final double p;
    private final double[] mantissaPowers = new double[(1 << STEP_BITS) + 1];
    private final double[] exponentPowers = new double[2047];

    PowerTable(double p) {
        this.p = p;
        for (int i = 0; i < mantissaPowers.length; i++) {
            mantissaPowers[i] = Math.pow(1 + (double) i / (1 << STEP_BITS), p);
        }
        for (int biased = 1; biased < exponentPowers.length; biased++) {
            exponentPowers[biased] = Math.pow(2, (double) (biased - EXPONENT_BIAS) * p);
        }
    }

    /** {@code x^p} for {@code x >= 0} (negative arguments give {@link Math#pow}'s answer). */
    double pow(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int biased = (int) (bits >>> 52);
        if (biased == 0 || biased >= 0x7ff) {
            return Math.pow(x, p); // zero, subnormal, infinite, NaN or negative (sign bit set)
        }
        int step = (int) (bits >>> FRACTION_BITS) & ((1 << STEP_BITS) - 1);
        double fraction = (bits & FRACTION_MASK) * FRACTION_SCALE;
        double low = mantissaPowers[step];
        return (low + (mantissaPowers[step + 1] - low) * fraction) * exponentPowers[biased];
    }
}
