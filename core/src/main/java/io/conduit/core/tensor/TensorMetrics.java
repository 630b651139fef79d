package io.conduit.core.tensor;

import java.nio.ByteBuffer;

/** Comparisons between tensors of the same shape: the figures a TD quotes about a model's output. */
public final class TensorMetrics {
    private TensorMetrics() {
    }

    /** Peak signal-to-noise ratio in dB for values whose full range is {@code peak} (1 for [0, 1] images). */
    public static double psnr(Tensor a, Tensor b, double peak) {
        double mse = meanSquaredError(a, b);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / mse);
    }

    public static double meanSquaredError(Tensor a, Tensor b) {
        requireSameShape(a, b);
        long n = a.elementCount();
        double sum = 0;
        for (long i = 0; i < n; i++) {
            double d = value(a, i) - value(b, i);
            sum += d * d;
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * The largest absolute difference between two tensors of the same shape; infinite where NaN appears.
     * Strings have no distance: 0 when every one is the same, else infinite.
     */
    public static double maxAbsDifference(Tensor a, Tensor b) {
        requireSameShape(a, b);
        if (a.type() == DataType.BYTES || b.type() == DataType.BYTES) {
            return a.type() == b.type() && java.util.Arrays.equals(a.strings(), b.strings()) ? 0 : Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (long i = 0; i < a.elementCount(); i++) {
            double d = Math.abs(value(a, i) - value(b, i));
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** The element as a double, whatever the datatype; not for strings (BYTES), which have no number. */
    public static double value(Tensor t, long index) {
        if (t.type() == DataType.BYTES) {
            throw new IllegalArgumentException(t + " holds strings, which have no numeric value");
        }
        ByteBuffer b = t.bytes();
        int i = Math.toIntExact(index);
        return switch (t.type()) {
            case FP32 -> b.getFloat(i * 4);
            case FP16 -> Half.toFloat(b.getShort(i * 2));
            case INT32 -> b.getInt(i * 4);
            case INT64 -> b.getLong(i * 8);
            case UINT8 -> b.get(i) & 0xff;
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            case FP64 -> b.getDouble(i * 8);
            case BF16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
            case INT8 -> b.get(i);
            case INT16 -> b.getShort(i * 2);
            case UINT16 -> b.getShort(i * 2) & 0xffff;
            case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
            case UINT64 -> unsignedToDouble(b.getLong(i * 8));
            case BYTES -> throw new IllegalStateException("refused above");
        };
    }

    private static double unsignedToDouble(long bits) {
        return bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
    }

    private static void requireSameShape(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("cannot compare " + a + " with " + b + ": shapes differ");
        }
    }
}
