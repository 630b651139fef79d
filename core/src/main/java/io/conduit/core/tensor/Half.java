package io.conduit.core.tensor;

/**
 * IEEE 754 half-precision conversions (Java 17 has no {@code Float.floatToFloat16}). Rounds to
 * nearest-even and keeps infinities, NaN and subnormals, so FP16 files and images round-trip the
 * way numpy's {@code float16} does.
 */
public final class Half {
    private Half() {
    }

    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exponent = (f >>> 23) & 0xff;
        int mantissa = f & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int unbiased = exponent - 127;
        if (unbiased > 15) {
            return (short) (sign | 0x7c00); // overflow to infinity
        }
        if (unbiased >= -14) {
            int half = ((unbiased + 15) << 10) | (mantissa >>> 13);
            // Round to nearest even without a branch (on a plate's grain the old test mispredicted half the time):
            // the 13 dropped bits plus 0xfff plus the kept lowest bit reach 0x2000 exactly when rounding up.
            // The carry may run into the exponent, which is the correct rounding (65520 and up become infinity).
            half += ((mantissa & 0x1fff) + 0xfff + (half & 1)) >>> 13;
            return (short) (sign | half);
        }
        if (unbiased < -25) {
            return (short) sign; // underflow to signed zero
        }
        int full = mantissa | 0x800000;
        int shift = -unbiased - 14 + 13;
        int half = full >>> shift;
        int rest = full & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
