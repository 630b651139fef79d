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
}
